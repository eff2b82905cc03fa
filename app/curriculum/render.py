"""Markdown to safe HTML for the modules' pages and PDFs.

python-markdown (tables, heading ids, table of contents), then nh3 with a
short list of allowed tags: the content is ours, but a page read by children
gets no HTML that a slip in a file could turn into a script or a tracker.
"""

import functools
import re

import markdown
import nh3
from flask import request, url_for

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "div", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "nav",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"align"},
    "th": {"align", "scope"},
    "div": {"class"},
    "nav": {"class"},
}
# A heading with its id (the toc extension gives every heading one), or a table.
HEADING_OR_TABLE_RE = re.compile(r'<h[2-6] id="([^"]+)">|<table>')
MODULE_LINK_RE = re.compile(r"\]\(module:([a-z0-9-]+)(#[^)\s]*)?\)")
IMAGE_RE = re.compile(r"(!\[[^\]]*\]\()images/")


def _resolve_links(text, lang, slug):
    def module_link(match):
        url = url_for("curriculum.module", lang=lang, slug=match.group(1))
        return f"]({url}{match.group(2) or ''})"

    text = MODULE_LINK_RE.sub(module_link, text)
    images = url_for("curriculum.image", slug=slug, filename="")
    return IMAGE_RE.sub(lambda m: m.group(1) + images, text)


def _to_html(text):
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    html = md.convert(text)
    return html, md.toc


def sanitize(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_document(document, *, lang, slug):
    """(body HTML, table of contents HTML) of a module document, sanitised."""
    return _render_cached(document.body, lang, slug, request.script_root)


def render_fragment(text, *, lang, slug):
    """Body HTML of a piece of a module's Markdown (a slide), sanitised."""
    return _render_cached(text, lang, slug, request.script_root)[0]


@functools.lru_cache(maxsize=256)
def _render_cached(body, lang, slug, _script_root):
    # Keyed by the text itself: an edited file is a new entry, never a stale one.
    html, toc = _to_html(_resolve_links(body, lang, slug))
    return sanitize(html), sanitize(toc)


def scrollable_tables(html):
    """`html` (sanitised) with each table in a box that scrolls sideways on a
    narrow screen, so that a wide table never makes the whole page wider
    than a phone (WCAG 2.1 § 1.4.10). For the pages only: a PDF page has its
    width. The box takes the keyboard focus (a keyboard scrolls it) and is
    named by the heading above the table, for screen readers."""
    heading = None

    def wrap(match):
        nonlocal heading
        if match.group(1):
            heading = match.group(1)
            return match.group(0)
        named = f' role="region" aria-labelledby="{heading}"' if heading else ""
        return f'<div class="table-wrap" tabindex="0"{named}><table>'

    return HEADING_OR_TABLE_RE.sub(wrap, html).replace("</table>", "</table></div>")


def plain_text(document):
    """The document's words, for search."""
    return re.sub(r"[#*_>`|\[\]()-]+", " ", document.body)
