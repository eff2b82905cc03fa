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

from app.accounts import services as accounts
from app.db import get_session
from app.formats import date_text
from app.i18n import current_language
from app.paging import Page
from app.pdf import PDF_FOLDERS, render_pdf
from app.regions import data as regions
from app.regions.loading import current_regions
from app.reports import evaluation_report, objectives, outcome_charts, outcome_report, outcomes
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


def _context(session, report, lang, prefix, *, compact=False):
    """What the page and the PDF show alike: the figures, their times (with
    their n) and their charts, one unit per chart (outcome_charts.py)."""
    labels = (period_label(report.period), period_label(report.previous))
    times = outcome_charts.times(session, report, threshold())
    return {
        # The evaluation's sections (app/reports/evaluation_report.py).
        "evaluation": evaluation_report.sections_of(
            get_session(), report, threshold=threshold(), lang=lang
        ),
        "evaluation_method": evaluation_report.method_note(threshold()),
        "report": report,
        "region_names": [regions.label(code, lang) for code in report.within or ()],
        "period_label": labels[0],
        "previous_label": labels[1],
        "threshold": threshold(),
        "lang": lang,
        "times": times,
        "charts": outcome_charts.objective_charts(report, times, labels, prefix, compact=compact),
    }


@bp.route("/<lang:lang>/reports/outcomes", endpoint="outcomes")
@role_required(*READERS)
def outcomes_page():
    period, filters = requested_scope()
    session = get_session()
    report = outcome_report.outcome_report(
        session, period, within=filters.within, threshold=threshold()
    )
    hidden = [row for row in report.rows() if row.hidden(threshold())]
    report = report.suppressed()
    return render_template(
        "reports/outcomes.html",
        hidden=hidden,
        kinds=period_kind_labels(),
        **_context(session, report, current_language(), "chart"),
    )


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
    context = _context(session, report, lang, "pdf-chart", compact=True)
    context["charts"] = outcome_charts.for_print(context["charts"])
    html = render_template(
        "reports/pdf/outcomes.html",
        title=title,
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
