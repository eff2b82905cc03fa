"""The reach report's downloads: CSV, XLSX and PDF, for coordinators and
admins. They read the same query parameters as the page and show the
suppressed report (exports.py), so the files agree with each other and with
the API to the unit.
"""

from flask import make_response, render_template
from flask_babel import gettext as _

from app.db import get_session, utcnow
from app.i18n import current_language
from app.pdf import PDF_FOLDERS, render_pdf
from app.reports import exports, files
from app.reports.charts import bar_chart
from app.reports.labels import period_label
from app.reports.report import build_report
from app.reports.views import READERS, bp, chart_items, requested_scope, threshold
from app.security import role_required


def _export():
    """(suppressed report, what the files say about it) for this request."""
    session = get_session()
    period, filters = requested_scope()
    report = build_report(session, period, filters, threshold=threshold())
    context = {
        "threshold": threshold(),
        "filters": exports.filter_labels(session, filters),
        "made": utcnow(),
    }
    return report, context


def _download(body, mimetype, name):
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<lang:lang>/reports/reach.csv")
@role_required(*READERS)
def reach_csv():
    report, context = _export()
    return _download(
        files.to_csv(report, **context),
        "text/csv; charset=utf-8",
        exports.filename(report, "csv"),
    )


@bp.route("/<lang:lang>/reports/reach.xlsx")
@role_required(*READERS)
def reach_xlsx():
    report, context = _export()
    return _download(
        files.to_xlsx(report, **context),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.filename(report, "xlsx"),
    )


@bp.route("/<lang:lang>/reports/reach.pdf")
@role_required(*READERS)
def reach_pdf():
    report, context = _export()
    label = period_label(report.period)
    charts = {
        table.key: bar_chart(
            f"chart-{table.key}",
            table.title,
            chart_items(table),
            description=_("The same figures are in the table below the chart."),
            pdf=True,
        )
        for table in report.tables
    }
    html = render_template(
        "reports/pdf/reach.html",
        title=_("Reach report: %(period)s", period=label),
        report=report,
        charts=charts,
        period_label=label,
        previous_label=period_label(report.previous),
        filters=context["filters"],
        made=exports.made_label(context["made"]),
        suppression_rule=exports.suppression_rule(context["threshold"]),
        not_applicable_rule=exports.not_applicable_rule(),
        lang=current_language(),
    )
    # Not cached (unlike the modules' PDFs): the figures change with every
    # session delivered and every question asked.
    return _download(
        render_pdf(html, folders=PDF_FOLDERS), "application/pdf", exports.filename(report, "pdf")
    )
