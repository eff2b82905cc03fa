"""The modules' PDFs: their source, and the digest of what they are made of.

Handouts (lesson, guide, pack) are Letter pages; a module's slide deck is
16:9 landscape slides, one a page, ending with a help slide. A PDF's key is a
hash of its kind, language, the content hash of each module in it, the help
numbers, the address its QR code points to, and the version of the templates
and styles that draw it. Editing any of these gives a new key, so a stale
PDF is never served. The files are built ahead and served from disk
(`published.py`, app/pdfbuild.py).
"""

import functools
import hashlib
from pathlib import Path

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


@functools.cache
def template_version():
    """A hash of everything that draws a PDF besides its content."""
    digest = hashlib.sha256()
    for path in [
        *sorted(TEMPLATE_DIR.glob("*.html")),
        *sorted(SHARED_TEMPLATES.glob("*.html")),
        *sorted(PDF_STYLES.glob("pdf*.css")),
        *sorted(FONTS.glob("*.ttf")),
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


def _page_css(lang, running_title):
    # Generated here rather than in a template: the page strings are translated.
    from flask_babel import gettext as _

    page = _("Page %(page)s of %(pages)s", page='" counter(page) "', pages='" counter(pages) "')
    title = running_title.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'@page {{ @top-left {{ content: "{title}"; }} '
        f'@bottom-right {{ content: "{page}"; }} }}'
        "@page :first { @top-left { content: none; } @bottom-right { content: none; } }"
    )


def _sections(modules, kinds, lang):
    sections = []
    for module in modules:
        for kind in kinds:
            document = module.document(kind, lang)
            body, _toc = render_document(document, lang=lang, slug=module.slug)
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
    )
    return html, [_page_css(lang, title)]


def _deck_source(*, lang, module, help_url, title):
    slides = [
        {
            "slide": slide,
            "body": render_fragment(slide.body, lang=lang, slug=module.slug),
            "source": render_fragment(slide.source, lang=lang, slug=module.slug),
        }
        for slide in module.slides(lang)
    ]
    html = render_template(
        "curriculum/pdf/deck.html",
        lang=lang,
        title=title,
        module=module,
        slides=slides,
        helplines=load_helplines(lang),
        reviewed=last_reviewed(),
        help_url=help_url,
        qr_code=qr_data_uri(help_url) if help_url else None,
    )
    return html, []


def build_pdf(**source):
    """Render the PDF, without the cache (see `pdf_source` for the arguments)."""
    html, stylesheets = pdf_source(**source)
    return render_pdf(html, folders=PDF_FOLDERS, stylesheets=stylesheets)
