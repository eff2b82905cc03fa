"""The questionnaires' results page: per module, and per school and module,
the share of correct answers before and after and the change with its 95 %
interval; the confidence statements; for the period (and the region, school)
of the reach report's query parameters, within the reader's regions.

Small waves are left out of every figure (app/evaluation/results.py), so the
page hides nothing else; the count of waves left out is hidden when small.
"""

from flask import render_template
from sqlmodel import select

from app.db import get_session
from app.evaluation import results
from app.i18n import current_language
from app.reports import evaluation_report
from app.reports.labels import period_label
from app.reports.suppression import suppress_value
from app.reports.views import (
    READERS,
    bp,
    period_kind_labels,
    requested_scope,
    threshold,
)
from app.schools.models import School
from app.security import role_required


def _by_school(session, scope, lang):
    """[(school name, [ChangeRow of each module])], by school name."""
    found = results.results(session, scope, threshold=threshold(), by_school=True)
    rows = evaluation_report.module_rows(
        session, [r for r in found if isinstance(r.key, int)], lang
    )
    names = dict(
        session.exec(
            select(School.id, School.name).where(School.id.in_({r.school_id for r in found}))
        ).all()
    )
    grouped = {}
    for result, row in rows:
        grouped.setdefault(names[result.school_id], []).append(row)
    return sorted(grouped.items())


@bp.route("/<lang:lang>/reports/evaluation")
@role_required(*READERS)
def evaluation():
    session = get_session()
    period, filters = requested_scope()
    lang = current_language()
    scope = results.Scope(
        period.start, period.end, within=filters.regions, school_id=filters.school_id
    )
    found = results.results(session, scope, threshold=threshold())
    completed = results.completed(session, scope, threshold=threshold())
    modules = [r for r in found if isinstance(r.key, int)]
    knowledge = evaluation_report.knowledge_rows(session, modules, completed, lang)
    confidence = evaluation_report.confidence_rows([r for r in found if r not in modules], lang)
    return render_template(
        "reports/evaluation.html",
        period=period,
        period_label=period_label(period),
        kinds=period_kind_labels(),
        completed=completed,
        left_out=suppress_value(completed.left_out, threshold()),
        knowledge=knowledge,
        confidence=confidence,
        schools=_by_school(session, scope, lang),
        method=evaluation_report.method_note(threshold()),
    )
