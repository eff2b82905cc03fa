"""Campaign materials: posters, social media cards and a classroom slide, generated.

Each material is an HTML template (`templates/campaigns/materials/`, on
every PDF's base, `pdf/base.html`) in the print style of the modules' PDFs
(`pdf.css`, then `pdf-campaign.css`),
rendered by WeasyPrint to a one-page PDF: posters on Letter or 11x17 in paper
and a 16:9 slide, each with the name mark, the QR code to the anonymous
question page and the help numbers in type that a fixed size per page keeps
readable from across a room (36 pt on 11x17), and cards at the exact aspect
ratio of their image, which pypdfium2 then rasterises to a 1080x1080 or
1080x1920 px PNG. Campaign texts differ in length, so the root font size is
lowered step by step until the material fits on its one page; a poster's
picture (static/img/poster-art.svg) then grows to fill what is left, so that
no part of the page is left empty.

Files are built ahead like the module PDFs (`published.py`): their key is a
hash of the material, its size, language, the campaign's content hash, the
help numbers, the question page's address and the version of the templates,
styles and fonts that draw it (app/pdfbuild.py adds what every file shares).
"""

import functools
import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from flask import current_app, render_template
from flask_babel import gettext as _

from app.config import PROJECT_ROOT
from app.core.helplines import helplines_signature, last_reviewed, load_helplines
from app.curriculum import pdfs
from app.formats import clause_list
from app.pdf import PDF_FOLDERS, page_count, render_pdf

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "campaigns" / "materials"
# The posters' picture, drawn for the project (pdf-campaign.css).
POSTER_ART = PROJECT_ROOT / "static" / "img" / "poster-art.svg"
ACCENT_DARK = "#3f1c5e"


@dataclass(frozen=True)
class Format:
    """A material's page: its CSS size and margin, and its root font size before fitting."""

    size: str
    margin: str
    font_pt: float
    background: str | None = None
    pixels: tuple[int, int] | None = None  # cards only: the PNG's size
    # The page's content height: a card's content is centred in it, a poster's or a
    # slide's picture and help band fill it.
    body_height: str | None = None
    numbers_pt: float | None = None  # the help numbers' size, whatever the fitting


POSTER_SIZES = {
    # Help numbers readable at 3 m on 11x17 in (36 pt), in proportion on Letter.
    "letter": Format("8.5in 11in", "0.5in", 20, body_height="714pt", numbers_pt=27),
    "tabloid": Format("11in 17in", "0.7in", 28, body_height="1116pt", numbers_pt=36),
}
# Cards are drawn at half their pixel size in points and rasterised at 2 px a point,
# so the page and the image have exactly the same proportions.
CARD_SHAPES = {
    "square": Format("540pt 540pt", "30pt 32pt", 19, ACCENT_DARK, (1080, 1080), "479pt"),
    # A story's top and bottom are covered by the apps' buttons: wide margins there.
    "story": Format("540pt 960pt", "120pt 36pt", 24, ACCENT_DARK, (1080, 1920), "719pt"),
}
# 16:9, as the modules' slide decks; the numbers as large as on the decks' slides.
SLIDE = Format("254mm 142.875mm", "9mm 10mm", 19, body_height="345pt", numbers_pt=24)

# Root font sizes tried, largest first; the smallest is used even if it overflows.
FIT_STEPS = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58, 0.52)

# Posters and the slide show the help numbers of the home page; a card, read on a
# phone, only the urgent ones among them.
POSTER_TAGS = frozenset({"home"})
CARD_TAGS = frozenset({"home", "urgent"})

# PDFium may be called from one thread at a time only, whatever the document.
_pdfium_lock = threading.Lock()


@functools.cache
def template_version():
    """A hash of everything that draws a material besides its content."""
    digest = hashlib.sha256(pdfs.template_version().encode())
    for path in [*sorted(TEMPLATE_DIR.glob("*.html")), POSTER_ART]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def material_key(*, kind, variant, lang, campaign, help_url):
    """The digest of what one material of `campaign` is made of."""
    digest = hashlib.sha256()
    for part in (
        "campaign",
        kind,
        variant,
        lang,
        campaign.slug,
        campaign.content_hash,
        help_url or "",
        helplines_signature(),
        template_version(),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def helplines_for(lang, tags):
    """The help lines that carry every tag in `tags`, in the file's order."""
    return [line for line in load_helplines(lang) if tags <= set(line["tags"])]


def card_alt(campaign, lang):
    """The alt text to post with a card: the campaign's own, then the numbers the card shows."""
    numbers = clause_list(
        f"{line['name']}, "
        + ", ".join(f"{contact['label']} {contact['value']}" for contact in line["contacts"])
        for line in helplines_for(lang, CARD_TAGS)
    )
    return " ".join(
        [campaign.card(lang)["alt"], _("Help numbers on the card: %(numbers)s.", numbers=numbers)]
    )


def _address(url):
    """The question page's address without its scheme, as people type it."""
    return url.split("://", 1)[-1] if url else ""


def material_source(*, kind, variant, lang, campaign, help_url, scale=1.0, filled=True):
    """The HTML of a material: `kind` is poster, card or slide.

    `scale` multiplies the root font size. Unless `filled` is false, a card's
    content is centred in its height, and a poster's or a slide's parts are
    spread over the whole page: WeasyPrint clips a flex box taller than its
    page instead of breaking it, so whether a material fits is found out
    without that.
    """
    page = _format(kind, variant)
    context = {
        "lang": lang,
        "variant": variant,
        "key_message": campaign.key_message(lang),
        "help_url": help_url,
        "help_address": _address(help_url),
        "reviewed": last_reviewed(),
        "mark": pdfs.mark_data_uri(),
        "filled": filled,
    }
    if kind == "card":
        context.update(
            content=campaign.card(lang),
            alt=campaign.card(lang)["alt"],
            helplines=helplines_for(lang, CARD_TAGS),
            title=campaign.title(lang),
        )
    else:
        context.update(
            content=campaign.poster(lang) if kind == "poster" else campaign.slide(lang),
            helplines=helplines_for(lang, POSTER_TAGS),
            qr_code=pdfs.qr_data_uri(help_url) if help_url else None,
            title=campaign.title(lang),
        )
    return render_template(f"campaigns/materials/{kind}.html", **context), [
        _page_css(page, kind=kind, scale=scale, filled=filled)
    ]


def _page_css(page, *, kind, scale, filled):
    """The page's size, the root font size chosen to fit, the numbers' fixed size.

    A stylesheet given to WeasyPrint, not a <style> in the template (no inline
    styles anywhere). WeasyPrint treats it as a user stylesheet, below the
    linked author sheets, hence !important to win over pdf.css's own page.
    """
    background = f"background: {page.background} !important;" if page.background else ""
    css = (
        f"@page {{ size: {page.size} !important; margin: {page.margin} !important; "
        f"{background} }}"
        f"html {{ font-size: {page.font_pt * scale:.2f}pt !important; }}"
    )
    if page.numbers_pt:
        css += f".big-lines .number {{ font-size: {page.numbers_pt}pt !important; }}"
    if page.body_height and filled:
        if kind == "card":
            # A little under the page's content height, so a card that fits stays one page.
            css += (
                "body { display: flex !important; flex-direction: column !important; "
                "justify-content: center !important; "
                f"min-height: {page.body_height} !important; }}"
            )
        else:
            css += f".sheet {{ height: {page.body_height} !important; }}"
    return css


def _format(kind, variant):
    if kind == "poster":
        return POSTER_SIZES[variant]
    if kind == "card":
        return CARD_SHAPES[variant]
    return SLIDE


def fitting_scale(**source):
    """The largest of FIT_STEPS at which the material lays out to one page.

    A bisection: smaller type never takes more pages, so four layouts find it.
    """

    def fits(scale):
        html, css = material_source(**source, scale=scale, filled=False)
        return page_count(html, folders=PDF_FOLDERS, stylesheets=css) == 1

    low, high = 0, len(FIT_STEPS)  # the answer's index is in [low, high)
    while low < high:
        middle = (low + high) // 2
        if fits(FIT_STEPS[middle]):
            high = middle
        else:
            low = middle + 1
    if low < len(FIT_STEPS):
        return FIT_STEPS[low]
    current_app.logger.warning(
        "campaign %s: the %s (%s, %s) does not fit on one page even at the smallest type",
        source["campaign"].slug,
        source["kind"],
        source["variant"],
        source["lang"],
    )
    return FIT_STEPS[-1]


def build_pdf(**source):
    """The material as a one-page PDF, its type made smaller until it fits."""
    html, css = material_source(**source, scale=fitting_scale(**source))
    return render_pdf(html, folders=PDF_FOLDERS, stylesheets=css, variant=pdfs.PDF_VARIANT)


def rasterise(pdf, pixels):
    """The first page of `pdf` as PNG bytes of exactly `pixels` (width, height)."""
    width, height = pixels
    with _pdfium_lock:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[0]
            bitmap = page.render(scale=width / page.get_width())
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
            page.close()
        finally:
            document.close()
    if image.size != (width, height):  # a rounding pixel, never a distortion
        image = image.resize((width, height))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def build_material(*, kind, variant, lang, campaign, help_url):
    """The bytes of a material: a PDF (poster, slide) or a PNG (card)."""
    pdf = build_pdf(kind=kind, variant=variant, lang=lang, campaign=campaign, help_url=help_url)
    if kind == "card":
        return rasterise(pdf, CARD_SHAPES[variant].pixels)
    return pdf
