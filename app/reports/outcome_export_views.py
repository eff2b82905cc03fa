"""The outcome report's downloads besides its PDF: CSV and XLSX, with the
evaluation's sections, from the same suppressed report as the page."""

from flask_babel import gettext as _

from app.db import get_session, utcnow
from app.i18n import current_language
from app.reports import evaluation_report, outcome_files, outcome_report
from app.reports.export_views import _download
from app.reports.labels import period_label
from app.reports.views import READERS, bp, requested_scope, threshold
from app.security import role_required


def outcome_export(user=None):
    """(suppressed report, its evaluation sections, the method note) of this request."""
    session = get_session()
    period, filters = requested_scope(user)
    report = outcome_report.outcome_report(
        session, period, within=filters.within, threshold=threshold()
    ).suppressed()
    evaluation = evaluation_report.sections_of(
        session, report, threshold=threshold(), lang=current_language()
    )
    return report, evaluation, evaluation_report.method_note(threshold())


def _lines():
    report, evaluation, method = outcome_export()
    found = outcome_files.lines(report, evaluation, method, threshold=threshold(), made=utcnow())
    return report, found


def _name(report, extension):
    period = report.period
    return f"mobilis-outcomes-{current_language()}-{period.start}-{period.end}.{extension}"


@bp.route("/<lang:lang>/reports/outcomes.csv")
@role_required(*READERS)
def outcomes_csv():
    report, found = _lines()
    return _download(outcome_files.to_csv(found), "text/csv; charset=utf-8", _name(report, "csv"))


@bp.route("/<lang:lang>/reports/outcomes.xlsx")
@role_required(*READERS)
def outcomes_xlsx():
    report, found = _lines()
    title = f"{_('Outcome report')}: {period_label(report.period)}"
    return _download(
        outcome_files.to_xlsx(found, title=title),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _name(report, "xlsx"),
    )
