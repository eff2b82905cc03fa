"""The outcome report (page and PDF) and the partner figures behind it
(form and history). Coordinators and admins only, like every report.

The period is named by the same query parameters as the reach report's
(`requested_scope()`; filters do not apply to outcomes). The page and the
PDF show the same figures, small counts hidden: the site's as the reach
report hides them (app/reports/publication.py), so that the outcome report
gives none of its hidden cells away.
"""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from markupsafe import Markup

from app.accounts import services as accounts
from app.db import get_session
from app.formats import date_text
from app.i18n import current_language
from app.paging import Page
from app.pdf import PDF_FOLDERS, render_pdf
from app.regions import data as regions
from app.regions.loading import current_regions
from app.reports import evaluation_report, objectives, outcome_report, outcomes, reach
from app.reports.charts import bar_chart
from app.reports.figure_forms import figures_form
from app.reports.labels import period_label
from app.reports.views import READERS, bp, period_kind_labels, requested_scope, threshold
from app.schools import services as schools
from app.security import role_required

HISTORY_PER_PAGE = 25


def _partnership_wide_or_404():
    """Partner figures are the whole partnership's, in no region: a reader
    limited to regions neither reads nor enters them (app/regions/services.py)."""
    if current_regions() is not None:
        abort(404)


@bp.route("/<lang:lang>/reports/figures", methods=["GET", "POST"])
@role_required(*READERS)
def figures():
    _partnership_wide_or_404()
    session = get_session()
    period, _filters = requested_scope()
    current = outcomes.current_figures(session, period)
    form = figures_form(current)
    if form.validate_on_submit():
        try:
            saved = outcomes.enter_figures(
                session, period=period, entries=form.entries(), by=current_user
            )
        except outcomes.FigureError as error:
            form.add_problems(error.problems)
        else:
            count = len(saved)
            message = ngettext("Saved: %(num)s figure.", "Saved: %(num)s figures.", count)
            flash(message if count else _("Nothing changed."), "success")
            return redirect(url_for("reports.figures", **period.params()))
    elif form.is_submitted():
        # A field in the wrong shape: say what else is wrong too, in one go.
        form.add_problems(outcomes.check_figures(session, period=period, entries=form.entries()))
    return render_template(
        "reports/figures.html",
        form=form,
        period=period,
        period_label=period_label(period),
        objectives=objectives.OBJECTIVES,
        current=current,
        names=outcomes.entered_by_names(session, [f for f in current.values() if f]),
        kinds=period_kind_labels(),
    ), (422 if form.errors else 200)


@bp.route("/<lang:lang>/reports/figures/<indicator>")
@role_required(*READERS)
def figure_history(indicator):
    _partnership_wide_or_404()
    if indicator not in objectives.PARTNER_KEYS:
        abort(404)
    session = get_session()
    period, _filters = requested_scope()
    page = Page.requested(HISTORY_PER_PAGE)
    pages = page.count(outcomes.history_count(session, indicator=indicator, period=period))
    entries = outcomes.history(session, indicator=indicator, period=period, page=page)
    return render_template(
        "reports/figure_history.html",
        indicator=objectives.INDICATORS[indicator],
        entries=entries,
        names=outcomes.entered_by_names(session, entries),
        period=period,
        period_label=period_label(period),
        page=page.number,
        pages=pages,
    )


def _charts(report, prefix):
    """{objective key: bar chart of its counts for the period}."""
    return {
        result.objective.key: bar_chart(
            f"{prefix}-{result.objective.key}",
            str(result.objective.title),
            [
                (str(row.indicator.label), "—" if row.value is None else row.value)
                for row in result.rows
                if row.indicator.key not in reach.NOT_COUNTS
            ],
            description=_("The same figures are in the table with the chart."),
        )
        for result in report.objectives
    }


def _context(report, lang):
    return {
        # The evaluation's sections (app/reports/evaluation_report.py).
        "evaluation": evaluation_report.sections_of(
            get_session(), report, threshold=threshold(), lang=lang
        ),
        "evaluation_method": evaluation_report.method_note(threshold()),
        "report": report,
        "region_names": [regions.label(code, lang) for code in report.within or ()],
        "period_label": period_label(report.period),
        "previous_label": period_label(report.previous),
        "threshold": threshold(),
        "lang": lang,
    }


@bp.route("/<lang:lang>/reports/outcomes", endpoint="outcomes")
@role_required(*READERS)
def outcomes_page():
    period, filters = requested_scope()
    report = outcome_report.outcome_report(
        get_session(), period, within=filters.within, threshold=threshold()
    )
    hidden = [row for row in report.rows() if row.hidden(threshold())]
    report = report.suppressed()
    return render_template(
        "reports/outcomes.html",
        charts=_charts(report, "chart"),
        hidden=hidden,
        kinds=period_kind_labels(),
        **_context(report, current_language()),
    )


# WeasyPrint does not apply the document's styles inside an inline SVG, but
# reads a <style> element of the SVG itself.
CHART_PRINT_STYLE = (
    "<style>.chart-bar { fill: #5b2a86; } "
    ".chart-label, .chart-value { font-family: 'MOBILIS Sans', sans-serif; font-size: 14px; "
    "fill: #1d1b22; }</style>"
)


def _print_chart(svg):
    """The chart with its colours inside, for the PDF."""
    text = str(svg)
    opening = text.index(">") + 1
    return Markup(text[:opening] + CHART_PRINT_STYLE + text[opening:])  # noqa: S704  (escaped by bar_chart)


def _page_css(running_title):
    # Made here rather than in a stylesheet: the page strings are translated.
    page = _("Page %(page)s of %(pages)s", page='" counter(page) "', pages='" counter(pages) "')
    title = running_title.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'@page {{ @top-left {{ content: "{title}"; }} @bottom-right {{ content: "{page}"; }} }}'
        "@page :first { @top-left { content: none; } @bottom-right { content: none; } }"
    )


@bp.route("/<lang:lang>/reports/outcomes.pdf")
@role_required(*READERS)
def outcomes_pdf():
    session = get_session()
    period, filters = requested_scope()
    lang = current_language()
    report = outcome_report.outcome_report(
        session, period, within=filters.within, threshold=threshold()
    )
    report = report.suppressed()
    title = _("Outcome report")
    context = _context(report, lang)
    html = render_template(
        "reports/pdf/outcomes.html",
        title=title,
        charts={k: _print_chart(v) for k, v in _charts(report, "pdf-chart").items()},
        partners=accounts.list_partners(session),
        made_on=date_text(schools.local_today()),
        **context,
    )
    running = f"{title} · {context['period_label']}"
    pdf = render_pdf(
        html, folders=PDF_FOLDERS, stylesheets=[_page_css(running), evaluation_report.PDF_CSS]
    )
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    filename = f"mobilis-outcomes-{lang}-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
