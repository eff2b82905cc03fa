"""The reach report page: figures of a period beside the period before, with
filters, breakdown tables and their charts. Coordinators and admins only.

Every report URL (this page, the exports, the API) reads the same query
parameters through `requested_scope()`: the period (see periods.py) and the
filters `service_centre_id`, `school_id`, `grade`, `module_id`, `topic`,
`region`. A reader limited to regions (app/regions/services.py) gets figures
of those regions only, whatever the parameters; a `region` outside them is
refused like any value that names nothing.
"""

from flask import Blueprint, abort, current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select
from wtforms import SelectChoice

from app.curriculum.models import CurriculumModule
from app.db import get_session
from app.help.messages import topic_labels
from app.i18n import current_language
from app.regions import data as regions
from app.regions.services import limited_regions
from app.reports import periods, reach
from app.reports.charts import bar_chart
from app.reports.labels import period_label
from app.reports.report import build_report
from app.schools import services as schools
from app.schools.forms import GRADE_CHOICES
from app.schools.models import School, ServiceCentre
from app.security import Role, role_required

bp = Blueprint("reports", __name__, template_folder="templates")

READERS = (Role.COORDINATOR,)  # and admins, always


class ScopeError(Exception):
    """A report parameter names no period or no filter value; its argument
    says which (a key of `scope_messages()`)."""


def scope_messages():
    return {
        "range": _(
            "Reports cover a month, a quarter or a year, not dates of your choice: two "
            "periods a few days apart would give away the small counts that reports hide."
        ),
        "straddles": _(
            "Reports cover a month, a quarter or a school year (July to June): a fiscal or a "
            "calendar year straddles two school years, and the figures of one could be "
            "subtracted from the other's to give away the small counts that reports hide."
        ),
        "grade_and_module": _(
            "Choose a grade or a module, not both: the figures are not broken down by both."
        ),
        "school": _("This school is not among the choices, or not in the region chosen."),
        "service_centre_id": _(
            "This school service centre is not among the choices, or not in the region chosen."
        ),
    }


def scope_message(error):
    default = _("These report settings are not valid: check the period.")
    return scope_messages().get(str(error), default)


def _id(name):
    value = request.args.get(name, "")
    if not value or value == "0":
        return None
    try:
        return int(value)
    except ValueError:
        raise ScopeError(name) from None


def scope_from_args(user=None):
    """(period, filters) from the query string for `user` (the signed-in
    user by default; the token's owner in the API), or ScopeError."""
    user = current_user if user is None else user
    within = limited_regions(get_session(), user)
    try:
        period = periods.period_from(request.args, today=schools.local_today())
    except periods.PeriodError as error:
        raise ScopeError(str(error)) from None
    grade = request.args.get("grade") or None
    topic = request.args.get("topic") or None
    if grade is not None and grade not in dict(GRADE_CHOICES):
        raise ScopeError("grade")
    if topic is not None and topic not in topic_labels():
        raise ScopeError("topic")
    region = request.args.get("region") or None
    if region is not None and region not in (within or regions.CODES):
        raise ScopeError("region")
    filters = reach.Filters(
        service_centre_id=_id("service_centre_id"),
        school_id=_id("school_id"),
        grade=grade,
        module_id=_id("module_id"),
        topic=topic,
        region=region,
        within=within,
    )
    if filters.grade is not None and filters.module_id is not None:
        raise ScopeError("grade_and_module")
    _check_places(filters)
    return period, filters


def _check_places(filters):
    """A school or a centre must be one the reader may see, and lie in the
    region and the centre chosen with it."""
    session = get_session()
    if filters.service_centre_id is not None:
        centre = session.get(ServiceCentre, filters.service_centre_id)
        if centre is None or (
            filters.regions is not None and centre.region_code not in filters.regions
        ):
            raise ScopeError("service_centre_id")
    if filters.school_id is not None:
        school = session.get(School, filters.school_id)
        if (
            school is None
            or (filters.regions is not None and school.region_code not in filters.regions)
            or filters.service_centre_id not in (None, school.service_centre_id)
        ):
            raise ScopeError("school")


def requested_scope(user=None):
    """(period, filters) of this request; 400 with a message when they make
    no sense (an export must never quietly answer for another period): a
    page in the request's language, or JSON for the API."""
    try:
        return scope_from_args(user)
    except ScopeError as error:
        abort(refusal(scope_message(error)))


def refusal(message):
    """The 400 answer that says what is wrong with a report's settings."""
    if request.path.startswith("/api/"):
        response = jsonify({"error": message, "status": 400})
        response.status_code = 400
        response.headers["Cache-Control"] = "no-store"
        return response
    page = render_template(
        "errors/error.html",
        code=400,
        title=_("These report settings are not valid"),
        message=message,
    )
    return make_response(page, 400)


def threshold():
    return current_app.config["REPORT_SUPPRESSION_THRESHOLD"]


def scope_params(period, filters):
    """The query parameters that name this report (for links to the exports)."""
    return {**period.params(), **filters.params()}


def _filter_choices(session, within):
    """The filters' choices; for a reader limited to regions, only the
    regions, centres and schools of those regions are offered."""
    lang = current_language()
    anyone = SelectChoice("", _("All"))
    modules = session.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all()
    centres = [
        c
        for c in schools.list_service_centres(session)
        if within is None or c.region_code in within
    ]
    return {
        "region": [SelectChoice("", _("All my regions") if within else _("All"))]
        + [SelectChoice(code, regions.label(code, lang)) for code in (within or regions.CODES)],
        "service_centre_id": [anyone] + [SelectChoice(str(c.id), c.name) for c in centres],
        "school_id": [anyone]
        + [SelectChoice(str(s.id), s.name) for s in schools.list_all_schools(session, within)],
        "grade": [anyone] + [SelectChoice(k, str(v)) for k, v in GRADE_CHOICES],
        "module_id": [anyone] + [SelectChoice(str(m.id), m.title(lang)) for m in modules],
        "topic": [anyone] + [SelectChoice(k, v) for k, v in topic_labels().items()],
    }


def period_kind_labels():
    return {
        "school_year": _("School year (July to June)"),
        "quarter": _("Quarter"),
        "month": _("Month"),
    }


def chart_items(table):
    """(row label, value) of the column a table's chart shows: sessions for
    the session tables, else the first column."""
    column = table.columns.index(
        "sessions_delivered" if "sessions_delivered" in table.columns else table.columns[0]
    )
    return [(label, values[column]) for _key, label, values in table.rows]


@bp.route("/<lang:lang>/reports/")
@role_required(*READERS)
def index():
    session = get_session()
    try:
        period, filters = scope_from_args()
        error = None
    except ScopeError as problem:
        period = periods.current("school_year", schools.local_today())
        filters = reach.Filters(within=limited_regions(session, current_user))
        error = scope_message(problem)
    report = build_report(session, period, filters, threshold=threshold())
    charts = {
        table.key: bar_chart(
            f"chart-{table.key}",
            table.title,
            chart_items(table),
            description=_("The same figures are in the table below the chart."),
        )
        for table in report.tables
    }
    return render_template(
        "reports/index.html",
        report=report,
        charts=charts,
        period_label=period_label(report.period),
        previous_label=period_label(report.previous),
        params=scope_params(period, filters),
        choices=_filter_choices(session, filters.within),
        region_names=[regions.label(code, current_language()) for code in filters.regions or ()],
        kinds=period_kind_labels(),
        error=error,
        threshold=threshold(),
    ), (400 if error else 200)
