"""Posters and slides that work on a wall and on a screen, read from their images.

Each poster (Letter, 11x17) and classroom slide of the program's campaigns, in
both languages, and each module's slide deck are rendered to images and read
as a passer-by would: one large headline, the slogan once, the picture, no
empty half page, the QR code that opens the question page, and the help
numbers in type large enough to read from across a room (36 pt on 11x17,
24 pt on a slide).
"""

from types import SimpleNamespace

import pytest

from app.campaigns import pdfs as campaign_pdfs
from app.campaigns.loader import load_campaigns
from app.config import PROJECT_ROOT
from app.core.helplines import load_helplines
from app.curriculum.modules import load_catalogue
from tests.conftest import ClosingClient
from tests.pdf_reading import (
    longest_blank_band,
    page_count,
    page_image,
    qr_texts,
    share_of_colour,
    sizes_of,
    squashed,
    type_sizes,
)

pytestmark = pytest.mark.one_database("postgres")

CURRICULUM = PROJECT_ROOT / "curriculum"
CAMPAIGNS = [c.slug for c in load_campaigns(CURRICULUM).campaigns]
DECKS = [m.slug for m in load_catalogue(CURRICULUM).modules if m.has_deck]
# material: (URL's end, smallest help number in points, smallest headline in points)
MATERIALS = {
    "poster-tabloid": ("poster-tabloid.pdf", 36, 60),
    "poster-letter": ("poster-letter.pdf", 24, 40),
    "slide": ("slide.pdf", 24, 24),
}
ART_YELLOW = (0xFF, 0xBF, 0x47)  # the posters' picture (static/img/poster-art.svg)


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))


@pytest.fixture
def client(app):
    return ClosingClient(app.test_client())


def _numbers(lang, tags):
    """Every help number a material must show, from the help lines' file."""
    return [
        contact["value"]
        for line in load_helplines(lang)
        if tags <= set(line["tags"])
        for contact in line["contacts"]
    ]


def _check_numbers(pdf, numbers, smallest, index=0):
    """Each number is printed at `smallest` points or more (a line's name may say it
    again smaller: "Info-Social 811")."""
    text, sizes = type_sizes(pdf, index)
    for number in numbers:
        found = sizes_of(text, sizes, number)
        assert found, (number, text)
        assert max(found) >= smallest - 0.5, (number, found)
    return text, sizes


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("material", list(MATERIALS))
@pytest.mark.parametrize("slug", CAMPAIGNS)
def test_poster_and_slide_layout(app, client, slug, material, lang):
    end, smallest_number, smallest_headline = MATERIALS[material]
    response = client.get(f"/{lang}/campaigns/{slug}/{end}")
    assert response.status_code == 200
    pdf = response.data
    assert page_count(pdf) == 1
    campaign = load_campaigns(CURRICULUM).get(slug)
    content = campaign.slide(lang) if material == "slide" else campaign.poster(lang)

    # The help numbers, each large enough to read from across the room.
    text, sizes = _check_numbers(pdf, _numbers(lang, campaign_pdfs.POSTER_TAGS), smallest_number)

    # One large headline, the largest type on the page; the slogan printed once.
    headline = content["headline"]
    assert squashed(text).count(squashed(headline)) == 1, text
    headline_size = min(sizes_of(text, sizes, headline))
    assert headline_size >= smallest_headline, headline_size
    words = [s for c, s in zip(text, sizes, strict=True) if not c.isspace()]
    numbers_size = max(sizes_of(text, sizes, "911"))
    assert headline_size >= max(s for s in words if s < numbers_size - 1) - 0.5
    assert squashed(campaign.key_message(lang)) not in squashed(text), "the slogan twice"

    image = page_image(pdf, scale=0.5)
    # No empty half page: nowhere a band of blank paper a tenth of the page tall.
    assert longest_blank_band(image) < 0.1, longest_blank_band(image)
    if material.startswith("poster"):
        # The picture, not only the yellow dot of the mark (some thirty times smaller).
        assert share_of_colour(image, ART_YELLOW) > 0.002, "the picture is drawn"
    # The QR code, read from the printed page, opens the question page in its language.
    assert qr_texts(page_image(pdf, scale=2)) == [f"http://localhost/{lang}/help/"]


def test_a_long_poster_text_keeps_its_numbers_large(app):
    campaign = SimpleNamespace(
        slug="long",
        title=lambda lang: "A long campaign",
        key_message=lambda lang: "A key message.",
        poster=lambda lang: {"headline": "A headline of twelve words " * 4, "text": "words " * 90},
    )
    source = {
        "kind": "poster",
        "variant": "tabloid",
        "lang": "en",
        "campaign": campaign,
        "help_url": "http://localhost/en/help/",
    }
    with app.test_request_context("/en/"):
        assert campaign_pdfs.fitting_scale(**source) < 1
        pdf = campaign_pdfs.build_pdf(**source)
    assert page_count(pdf) == 1
    _check_numbers(pdf, _numbers("en", campaign_pdfs.POSTER_TAGS), 36)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("slug", DECKS)
def test_deck_slides_give_the_help_numbers_at_24_pt(client, slug, lang):
    pdf = client.get(f"/{lang}/modules/{slug}/deck.pdf").data
    lines = load_helplines(lang)
    every = [c["value"] for line in lines for c in line["contacts"]]
    # The last slide gives every number, and none smaller (but in a line's name: "Info-Social
    # 811"); the cover, the most urgent ones.
    last = page_count(pdf) - 1
    text, sizes = _check_numbers(pdf, every, 24, index=last)
    named = [n for n in every if any(n in line["name"] for line in lines)]
    for number in set(every) - set(named):
        assert min(sizes_of(text, sizes, number)) >= 23.5, number
    _check_numbers(pdf, ["911", "1 800 263-2266", "1 800 668-6868"], 24, index=0)
