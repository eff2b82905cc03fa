"""Markdown to safe HTML for the modules' pages and PDFs.

python-markdown (tables, heading ids, table of contents), then nh3 with a
short list of allowed tags: the content is ours, but a page read by children
gets no HTML that a slip in a file could turn into a script or a tracker.
French documents get French spacing (`app.formats.french_spacing`) on their
words once rendered, so their files are typed with plain spaces.
"""

import functools
import re

import markdown
import nh3
from flask import request, url_for
from markdown.treeprocessors import Treeprocessor

from app.curriculum import truefalse
from app.formats import french_spacing, french_spacing_html

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "div", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "img", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody", "td",
    "th", "thead", "tr", "ul", "nav", "span",
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
    # The true-or-false activities' statements, boxes and answers (truefalse.py).
    "p": {"class"},
    "span": {"class"},
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


class FrenchSpacing(Treeprocessor):
    """Non-breaking spaces before : ; ! ? and inside « » in the text of every
    element but code. Runs after the table of contents has made the headings'
    ids (priority 5), so anchors stay what they were."""

    PRIORITY = 3

    def run(self, root):
        for element in root.iter():
            if element.text and element.tag not in ("code", "pre"):
                element.text = french_spacing(element.text)
            if element.tail:
                element.tail = french_spacing(element.tail)


def _to_html(text, lang):
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
        output_format="html",
    )
    if lang == "fr":
        md.treeprocessors.register(FrenchSpacing(md), "french_spacing", FrenchSpacing.PRIORITY)
    body = md.convert(text)
    return body, french_spacing_html(md.toc) if lang == "fr" else md.toc


def sanitize(markup):
    return nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_document(document, *, lang, slug, lesson=None):
    """(body HTML, table of contents HTML) of a module document, sanitised.

    A lesson's true-or-false activities come out as statements with boxes to
    tick, never their answers; a guide or notes give `lesson`, whose answers
    fill their answer key (truefalse.py).
    """
    lesson_body = lesson.body if lesson is not None else None
    return _render_cached(document.body, lang, slug, request.script_root, lesson_body)


def render_fragment(text, *, lang, slug):
    """Body HTML of a piece of a module's Markdown (a slide), sanitised."""
    return _render_cached(text, lang, slug, request.script_root, None)[0]


@functools.lru_cache(maxsize=256)
def _render_cached(body, lang, slug, _script_root, lesson_body):
    # Keyed by the texts themselves: an edited file is a new entry, never a stale one.
    text = truefalse.handout(_resolve_links(body, lang, slug), lang)
    if lesson_body is not None:
        lesson_text = _resolve_links(lesson_body, lang, slug)
        text = truefalse.with_answer_key(text, lesson_text, lang)
    html, toc = _to_html(text, lang)
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


def plain_text(document, lang="fr"):
    """The document's words, for search (a lesson's answers are not searched)."""
    return re.sub(r"[#*_>`|\[\]()-]+", " ", truefalse.without_answers(document.body, lang))
