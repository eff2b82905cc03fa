"""Campaign materials: posters, cards and the slide, their QR code, cache and revalidation."""

import ctypes
import io
import re
from types import SimpleNamespace

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from app.campaigns import pdfs as campaign_pdfs
from app.campaigns.loader import get_campaigns
from tests.campaigns_factory import write_campaign
from tests.conftest import ClosingClient

pytestmark = pytest.mark.one_database("sqlite")


@pytest.fixture
def campaign_dir(curriculum_dir):
    write_campaign(curriculum_dir, "spring", n=1)
    return curriculum_dir


@pytest.fixture
def app(make_app, campaign_dir, tmp_path):
    return make_app(
        CURRICULUM_PATH=str(campaign_dir),
        CURRICULUM_RELOAD_SECONDS=0,
        PDF_CACHE_DIR=str(tmp_path / "pdf-cache"),
    )


@pytest.fixture
def client(app):
    """A test client whose responses are read and closed (materials are streamed files)."""
    return ClosingClient(app.test_client())


def _flat(text):
    return re.sub(r"\s+", " ", text)


def _pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, _flat("\n".join(page.extract_text() for page in reader.pages))


def _render(pdf, *, scale):
    """The first page of `pdf` as an RGB image, as a phone's camera would see it."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    return image


def _qr_texts(pdf):
    return [code.text for code in zxingcpp.read_barcodes(_render(pdf, scale=2))]


def _line_heights(pdf):
    """The height of each character's line box on the first page, in points.

    PDFium's loose box spans the font's ascent and descent, so it grows with the
    type size whatever the glyph (about 1.16 times the size for DejaVu Sans).
    """
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        text = page.get_textpage()
        heights = []
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1).isspace():
                continue
            box = pypdfium2.raw.FS_RECTF()
            pypdfium2.raw.FPDFText_GetLooseCharBox(text, i, ctypes.byref(box))
            heights.append(box.top - box.bottom)
        text.close()
        page.close()
    finally:
        document.close()
    return heights


@pytest.mark.parametrize(
    ("lang", "size", "points", "words"),
    [
        (
            "fr",
            "letter",
            (612, 792),
            ["Le titre de l’affiche 1", "Le texte de l’affiche 1.", "Besoin de parler"],
        ),
        (
            "en",
            "tabloid",
            (792, 1224),
            ["Poster headline 1", "Poster text 1.", "Need to talk to someone now?"],
        ),
    ],
)
def test_poster(client, lang, size, points, words):
    response = client.get(f"/{lang}/campaigns/spring/poster-{size}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert f"attachment; filename=mobilis-spring-poster-{size}-{lang}-v1.0.pdf" == disposition
    reader, text = _pdf_text(response.data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == points
    assert reader.trailer["/Root"]["/Lang"] == lang
    for expected in [*words, "Tel-jeunes", "1 800 263-2266", "911", f"/{lang}/help/"]:
        assert expected in text, expected
    # The headline is the poster's slogan: the key message, which says it again, is not printed.
    assert "message clé" not in text.lower() and "key message" not in text.lower()
    # The QR code, read from the printed page, opens the question page in the poster's language.
    assert _qr_texts(response.data) == [f"http://localhost/{lang}/help/"]


@pytest.mark.parametrize(
    ("lang", "shape", "pixels"),
    [("fr", "square", (1080, 1080)), ("en", "story", (1080, 1920))],
)
def test_card_is_a_png_of_the_exact_size_with_readable_text(app, client, lang, shape, pixels):
    response = client.get(f"/{lang}/campaigns/spring/card-{shape}.png")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG"
    assert image.size == pixels
    # Not a blank page: the purple background, white lettering and anti-aliased edges.
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50
    counts = {colour: count for count, colour in colours}
    area = pixels[0] * pixels[1]
    assert counts.get((0x3F, 0x1C, 0x5E), 0) > area // 4, "the accent background"
    assert counts.get((0xFF, 0xFF, 0xFF), 0) > area // 50, "white text and the help box"

    # The same card's source PDF: the words, and type large enough to read on a phone.
    with app.test_request_context(f"/{lang}/"):
        campaign = get_campaigns().get("spring")
        pdf = campaign_pdfs.build_pdf(
            kind="card",
            variant=shape,
            lang=lang,
            campaign=campaign,
            help_url=f"http://localhost/{lang}/help/",
        )
    _reader, text = _pdf_text(pdf)
    assert campaign.key_message(lang) in text and campaign.card(lang)["text"] in text
    assert "Tel-jeunes" in text and "1 800 263-2266" in text
    # Cards are drawn at 2 px a point: every line of text is at least 30 px high in the
    # image, about 11 px on a phone that shows it 390 px wide; the key message 80 px.
    heights = [2 * height for height in _line_heights(pdf)]
    assert min(heights) >= 30, min(heights)
    assert max(heights) >= 80, max(heights)


def test_slide_is_16_by_9_with_the_question_page(client):
    response = client.get("/en/campaigns/spring/slide.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader, text = _pdf_text(response.data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, abs=0.001)
    for expected in ["Slide headline 1", "Slide text 1.", "Kids Help Phone", "1 800 668-6868"]:
        assert expected in text, expected
    assert "Key message 1." not in text, "the headline says it once"
    assert _qr_texts(response.data) == ["http://localhost/en/help/"]


def test_etag_304_and_the_cache(client, campaign_dir, tmp_path):
    first = client.get("/en/campaigns/spring/poster-letter.pdf")
    etag = first.headers["ETag"]
    assert etag and not etag.startswith("W/"), "a strong ETag"
    assert "max-age=3600" in first.headers["Cache-Control"]
    cached = list((tmp_path / "pdf-cache").glob("[!.]*"))
    assert [p.suffix for p in cached] == [".pdf"], "one file"
    assert not list((tmp_path / "pdf-cache").glob(".render-*")), "no temporary one left"
    stamp = cached[0].stat().st_mtime_ns

    again = client.get("/en/campaigns/spring/poster-letter.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    second = client.get("/en/campaigns/spring/poster-letter.pdf")
    assert second.data == first.data and second.headers["ETag"] == etag
    assert cached[0].stat().st_mtime_ns == stamp, "not rendered again"

    # Editing the campaign gives a new key: the old ETag no longer matches.
    path = campaign_dir / "campaigns" / "spring" / "en.md"
    path.write_text(path.read_text().replace("Poster headline 1", "Edited headline"))
    edited = client.get("/en/campaigns/spring/poster-letter.pdf", headers={"If-None-Match": etag})
    assert edited.status_code == 200 and edited.headers["ETag"] != etag
    assert "Edited headline" in _pdf_text(edited.data)[1]


@pytest.mark.parametrize(
    "url",
    [
        "/fr/campaigns/nope/poster-letter.pdf",
        "/fr/campaigns/spring/poster-a4.pdf",
        "/fr/campaigns/nope/card-square.png",
        "/en/campaigns/spring/card-banner.png",
        "/en/campaigns/nope/slide.pdf",
        "/de/campaigns/spring/slide.pdf",
    ],
)
def test_unknown_campaign_size_or_shape_is_404(client, url):
    assert client.get(url).status_code == 404


def _fake_campaign(**changes):
    values = {"slug": "spring", "content_hash": "a" * 64, **changes}
    return SimpleNamespace(**values)


def test_the_key_changes_with_everything_a_material_is_made_of():
    base = {
        "kind": "poster",
        "variant": "letter",
        "lang": "fr",
        "campaign": _fake_campaign(),
        "help_url": "https://example.org/fr/help/",
    }
    key = campaign_pdfs.material_key(**base)
    assert key == campaign_pdfs.material_key(**base)
    for change in [
        {"kind": "slide"},
        {"variant": "tabloid"},
        {"lang": "en"},
        {"campaign": _fake_campaign(content_hash="b" * 64)},
        {"campaign": _fake_campaign(slug="autumn")},
        {"help_url": "https://example.org/en/help/"},
    ]:
        assert campaign_pdfs.material_key(**{**base, **change}) != key, change


def test_a_long_text_is_set_smaller_to_stay_on_one_page(app):
    words = " ".join(["exploitation"] * 40)  # the most a poster's text may have
    campaign = SimpleNamespace(
        slug="long",
        title=lambda lang: "A long campaign",
        key_message=lambda lang: "A key message that runs on for a good many words, twice over.",
        poster=lambda lang: {"headline": "A headline of twelve words " * 2, "text": words},
    )
    source = {
        "kind": "poster",
        "variant": "letter",
        "lang": "en",
        "campaign": campaign,
        "help_url": "http://localhost/en/help/",
    }
    with app.test_request_context("/en/"):
        scale = campaign_pdfs.fitting_scale(**source)
        pdf = campaign_pdfs.build_pdf(**source)
    assert scale < 1
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_card_alt_text_names_the_numbers_on_the_card(app):
    with app.test_request_context("/fr/"):
        campaign = get_campaigns().get("spring")
        alt = campaign_pdfs.card_alt(campaign, "fr")
    assert alt.startswith(campaign.card("fr")["alt"])
    for expected in ("911", "Tel-jeunes", "1 800 263-2266", "Jeunesse, J’écoute"):
        assert expected in alt
