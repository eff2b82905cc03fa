"""Module pages, the teacher guide, the facilitator notes and the PDFs (slide decks too)."""

import re

from flask import Blueprint, abort, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _

from app.core.helplines import last_reviewed, load_helplines, report_lines
from app.curriculum import get_catalogue, published
from app.curriculum.catalogue import GRADE_LABELS, TOPIC_LABELS, filter_modules
from app.curriculum.render import render_document, scrollable_tables
from app.i18n import current_language
from app.pagecache import public_page
from app.pdfserve import send_built
from app.security import Role, public, role_required

bp = Blueprint("curriculum", __name__, template_folder="templates")

# A page that speaks of the DPJ (most tell someone to report to it) gives its numbers.
SPEAKS_OF_REPORTING = re.compile(r"\bDPJ\b")


def _module_or_404(slug):
    module = get_catalogue().get(slug)
    if module is None:
        abort(404)
    return module


def _choice(name, allowed):
    value = request.args.get(name) or None
    return value if value in allowed else None


@bp.route("/<lang:lang>/modules/")
@public
@public_page
def catalogue():
    lang = current_language()
    modules = get_catalogue().modules
    grade = _choice("grade", GRADE_LABELS)
    topic = _choice("topic", TOPIC_LABELS)
    query = (request.args.get("q") or "").strip()[:100]
    found = filter_modules(modules, lang=lang, grade=grade, topic=topic, query=query)
    grades = sorted({g for m in modules for g in m.meta()["grades"]})
    topics = [t for t in TOPIC_LABELS if any(t in m.meta()["topics"] for m in modules)]
    return render_template(
        "curriculum/catalogue.html",
        modules=found,
        total=len(modules),
        filters={"grade": grade, "topic": topic, "q": query},
        grades=grades,
        topics=topics,
        grade_labels=GRADE_LABELS,
        topic_labels=TOPIC_LABELS,
    )


def _render_page(module, kind, template):
    lang = current_language()
    document = module.document(kind, lang)
    # The guide and the notes print the answers of the lesson's true-or-false activity.
    lesson = None if kind == "lesson" else module.lesson(lang)
    body, toc = render_document(document, lang=lang, slug=module.slug, lesson=lesson)
    speaks_of_reporting = SPEAKS_OF_REPORTING.search(document.body)
    return render_template(
        template,
        module=module,
        lesson=module.lesson(lang).meta,
        document=document.meta,
        body=scrollable_tables(body),
        toc=toc,
        grade_labels=GRADE_LABELS,
        topic_labels=TOPIC_LABELS,
        helplines=load_helplines(lang),
        helplines_reviewed=last_reviewed(),
        reporting=report_lines(lang) if speaks_of_reporting else [],
    )


@bp.route("/<lang:lang>/modules/<slug>/")
@public
@public_page
def module(slug):
    return _render_page(_module_or_404(slug), "lesson", "curriculum/module.html")


@bp.route("/<lang:lang>/modules/<slug>/guide/")
@public
@public_page
def guide(slug):
    return _render_page(_module_or_404(slug), "guide", "curriculum/guide.html")


@bp.route("/<lang:lang>/modules/<slug>/notes/")
@role_required(Role.COORDINATOR, Role.PREVENTION_WORKER, Role.YOUTH_WORKER)
def notes(slug):
    return _render_page(_module_or_404(slug), "notes", "curriculum/notes.html")


@bp.route("/modules/<slug>/images/<path:filename>")
@public
def image(slug, filename):
    return send_from_directory(_module_or_404(slug).folder / "images", filename)


def _send_pdf(target, *, download_name, back_url):
    return send_built(
        target, mimetype="application/pdf", download_name=download_name, back_url=back_url
    )


def _module_pdf(slug, kind):
    module = _module_or_404(slug)
    lang = current_language()
    part = "" if kind == "lesson" else f"-{kind}"
    return _send_pdf(
        published.module_target(module, kind, lang),
        download_name=f"mobilis-{module.slug}{part}-{lang}-v{module.version}.pdf",
        back_url=url_for("curriculum.module", lang=lang, slug=module.slug),
    )


@bp.route("/<lang:lang>/modules/<slug>.pdf")
@public
@public_page
def lesson_pdf(slug):
    return _module_pdf(slug, "lesson")


@bp.route("/<lang:lang>/modules/<slug>/guide.pdf")
@public
@public_page
def guide_pdf(slug):
    return _module_pdf(slug, "guide")


@bp.route("/<lang:lang>/modules/<slug>/deck.pdf")
@public
@public_page
def deck_pdf(slug):
    if not _module_or_404(slug).has_deck:
        abort(404)
    return _module_pdf(slug, "deck")


@bp.route("/<lang:lang>/modules/pack.pdf")
@public
@public_page
def pack_pdf():
    modules = get_catalogue().modules
    if not modules:
        abort(404)
    lang = current_language()
    latest = max(m.updated for m in modules).isoformat()
    # Translators: part of a file name, lowercase ASCII letters and hyphens only.
    name = _("teacher-pack")
    return _send_pdf(
        published.pack_target(modules, lang),
        download_name=f"mobilis-{name}-{lang}-{latest}.pdf",
        back_url=url_for("curriculum.catalogue", lang=lang),
    )
