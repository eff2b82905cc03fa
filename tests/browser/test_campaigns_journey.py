"""A teacher, new to the site and not signed in, finds the March campaign,
downloads its poster in one language and its square card in the other: the
poster's QR code leads to the anonymous question page in the poster's
language; the card is a real 1080×1080 PNG. Both ways round, every page
checked with axe."""

import io

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from app import pdfbuild
from tests.browser.a11y import goto, scan

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {
        "campaigns": "Campagnes",
        "march": "La semaine de mars",
        "poster": "Affiche, format lettre (PDF)",
        "card": "Image carrée, pour les publications (PNG)",
        "language": "Français",
    },
    "en": {
        "campaigns": "Campaigns",
        "march": "The March week",
        "poster": "Poster, letter size (PDF)",
        "card": "Square card, for posts (PNG)",
        "language": "English",
    },
}


def qr_codes(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.fixture
def built(app, live_server):
    """The March campaign's letter posters and square cards, built ahead as
    `flask curriculum build` does before the site serves them."""
    for target in pdfbuild.targets(app):
        if "/march-week/" in target.path and target.path.endswith(
            ("/poster-letter.pdf", "/card-square.png")
        ):
            pdfbuild.build_one(app, target)


@pytest.mark.parametrize(("first", "then"), [("fr", "en"), ("en", "fr")])
def test_a_teacher_takes_the_march_campaign(page, live_server, built, first, then):
    goto(page, f"/{first}/")
    page.locator("header").get_by_role("link", name=WORDS[first]["campaigns"]).click()
    scan(page)
    page.get_by_role("link", name=WORDS[first]["march"]).click()
    scan(page)
    expect(page.locator("h1")).to_contain_text(WORDS[first]["march"])

    # The poster, in the first language: its QR code opens the question page.
    with page.expect_download() as started:
        page.get_by_role("link", name=WORDS[first]["poster"]).click()
    poster = started.value.path().read_bytes()
    assert poster.startswith(b"%PDF")
    assert qr_codes(poster) == [f"{live_server}/{first}/help/"]

    # The square card, in the other language.
    page.locator("nav.lang-switch").get_by_role("link", name=WORDS[then]["language"]).click()
    scan(page)
    expect(page.locator("html")).to_have_attribute("lang", then)
    card_url = page.get_by_role("link", name=WORDS[then]["card"]).get_attribute("href")
    response = page.request.get(f"{live_server}{card_url}")
    assert response.ok and response.headers["content-type"] == "image/png"
    card = Image.open(io.BytesIO(response.body()))
    assert (card.format, card.size) == ("PNG", (1080, 1080))
    colours = card.convert("RGB").getcolors(maxcolors=1080 * 1080)
    assert len(colours) > 50  # drawn text and colours, not a blank image
