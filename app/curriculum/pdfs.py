"""The modules' PDFs: their source, and the digest of what they are made of.

Handouts (lesson, guide, pack) are Letter pages; a module's slide deck is
16:9 landscape slides, one a page, ending with the question page's slide and
the help numbers' slide. Each opens on a cover (the name mark, the module's
number, title, grades and duration, the help numbers) and numbers its other
pages « page 2 sur 6 »; each is an accessible PDF (PDF/UA: tagged, in its
language). A PDF's key is a hash of its kind, language, the content hash of
each module in it, the help numbers, the address its QR code points to, and
the version of the templates, styles and name mark that draw it. Editing any
of these gives a new key, so a stale PDF is never served. The files are
built ahead and served from disk (`published.py`, app/pdfbuild.py).
"""

import functools
import hashlib
import re
from pathlib import Path
from urllib.parse import quote

import segno
from flask import render_template

from app.config import PROJECT_ROOT
from app.core.helplines import helplines_signature, last_reviewed, load_helplines
from app.curriculum.catalogue import GRADE_LABELS, TOPIC_LABELS
from app.curriculum.render import render_document, render_fragment
from app.pdf import PDF_FOLDERS, render_pdf

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "curriculum" / "pdf"
SHARED_TEMPLATES = PROJECT_ROOT / "app" / "templates" / "pdf"  # every PDF's base, the help box
PDF_STYLES = PROJECT_ROOT / "static" / "css"  # pdf.css, and pdf-*.css beside it
FONTS = PROJECT_ROOT / "static" / "fonts"
MARK = PROJECT_ROOT / "static" / "img" / "mark.svg"  # the name mark, on every cover
# Every PDF of the modules and campaigns is an accessible PDF (tagged, its language set).
PDF_VARIANT = "pdf/ua-1"
# A deck's cover gives the numbers to call at once: those of the urgent panel that the
# home page shows too (the last slide gives them all).
COVER_TAGS = frozenset({"home", "urgent"})


@functools.cache
def template_version():
    """A hash of everything that draws a PDF besides its content."""
    digest = hashlib.sha256()
    for path in [
        *sorted(TEMPLATE_DIR.glob("*.html")),
        *sorted(SHARED_TEMPLATES.glob("*.html")),
        *sorted(PDF_STYLES.glob("pdf*.css")),
        *sorted(FONTS.glob("*.ttf")),
        MARK,
    ]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pdf_key(*, kind, lang, modules, help_url):
    digest = hashlib.sha256()
    for part in (kind, lang, help_url or "", helplines_signature(), template_version()):
        digest.update(part.encode())
        digest.update(b"\0")
    for module in modules:
        digest.update(f"{module.slug}:{module.content_hash}\0".encode())
    return digest.hexdigest()[:32]


def qr_data_uri(url):
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2, dark="#1d1b22")


@functools.cache
def mark_data_uri():
    """The name mark (static/img/mark.svg) as a data URI, its words in the PDFs' font.

    The file asks for DejaVu Sans, which WeasyPrint would take from the system
    and embed beside the project's own copy: the PDFs embed only the fonts of
    pdf.css, so the same letters are named by their @font-face name here.
    """
    svg = re.sub(r'font-family="[^"]*"', 'font-family="MOBILIS Sans"', MARK.read_text("utf-8"))
    return "data:image/svg+xml;charset=utf-8," + quote(svg)


def helplines_tagged(lang, tags):
    """The help lines that carry every tag in `tags`, in the file's order."""
    return [line for line in load_helplines(lang) if tags <= set(line["tags"])]


def page_css(running_title=None):
    """The page furniture: « page 2 sur 6 » at the foot, the running title at the top.

    Generated here rather than in a stylesheet: the words are translated. The
    first page, the cover, has neither.
    """
    from flask_babel import gettext as _

    page = _("page %(page)s of %(pages)s", page='" counter(page) "', pages='" counter(pages) "')
    header = ""
    if running_title:
        title = running_title.replace("\\", "\\\\").replace('"', '\\"')
        header = f'@top-left {{ content: "{title}"; }} '
    return (
        f'@page {{ {header}@bottom-right {{ content: "{page}"; }} }}'
        "@page :first { @top-left { content: none; } @bottom-right { content: none; } }"
    )


def _sections(modules, kinds, lang):
    sections = []
    for module in modules:
        for kind in kinds:
            document = module.document(kind, lang)
            # The handout has the statements only; the guide, their answers.
            lesson = None if kind == "lesson" else module.lesson(lang)
            body, _toc = render_document(document, lang=lang, slug=module.slug, lesson=lesson)
            sections.append({"module": module, "kind": kind, "document": document, "body": body})
    return sections


def pdf_source(*, kind, lang, modules, help_url, title):
    """(HTML, extra stylesheets) of a PDF: `kind` is lesson, guide, pack or deck."""
    if kind == "deck":
        (module,) = modules
        return _deck_source(lang=lang, module=module, help_url=help_url, title=title)
    kinds = {"lesson": ("lesson",), "guide": ("guide",), "pack": ("lesson", "guide")}[kind]
    html = render_template(
        "curriculum/pdf/document.html",
        kind=kind,
        lang=lang,
        title=title,
        modules=modules,
        sections=_sections(modules, kinds, lang),
        helplines=load_helplines(lang),
        reviewed=last_reviewed(),
        grade_labels=GRADE_LABELS,
        topic_labels=TOPIC_LABELS,
        help_url=help_url,
        qr_code=qr_data_uri(help_url) if help_url else None,
        mark=mark_data_uri(),
    )
    return html, [page_css(title)]


def deck_context(*, lang, module, help_url, title):
    """What curriculum/pdf/deck.html draws a module's deck from (a class
    session's deck adds its questionnaire slides: app/evaluation/slides.py)."""
    slides = [
        {
            "slide": slide,
            "body": render_fragment(slide.body, lang=lang, slug=module.slug),
            "source": render_fragment(slide.source, lang=lang, slug=module.slug),
        }
        for slide in (module.slides(lang) if module.has_deck else [])
    ]
    return {
        "lang": lang,
        "title": title,
        "module": module,
        "slides": slides,
        "helplines": load_helplines(lang),
        "reviewed": last_reviewed(),
        "cover_helplines": helplines_tagged(lang, COVER_TAGS),
        "grade_labels": GRADE_LABELS,
        "help_url": help_url,
        "qr_code": qr_data_uri(help_url) if help_url else None,
        "mark": mark_data_uri(),
    }


def _deck_source(*, lang, module, help_url, title):
    context = deck_context(lang=lang, module=module, help_url=help_url, title=title)
    return render_template("curriculum/pdf/deck.html", **context), [page_css()]


def build_pdf(**source):
    """Render the PDF, without the cache (see `pdf_source` for the arguments)."""
    html, stylesheets = pdf_source(**source)
    return render_pdf(html, folders=PDF_FOLDERS, stylesheets=stylesheets, variant=PDF_VARIANT)
