"""The reach report as one document: the figures of a period beside those of
the period before, and the breakdown tables. The page shows it as is; every
export (CSV, XLSX, PDF, JSON) shows `report.suppressed(threshold)`, so the
four agree to the unit.

Labels are in the language of the request (or of `force_locale`).
"""

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlmodel import select

from app.campaigns.loader import get_campaigns
from app.curriculum.models import CurriculumModule
from app.help.messages import topic_labels
from app.i18n import current_language
from app.presentations.messages import audience_labels
from app.regions import data as regions
from app.reports import reach
from app.reports.suppression import suppress_columns, suppress_value
from app.schools.forms import GRADE_CHOICES
from app.schools.models import School, ServiceCentre


def figure_labels():
    return {
        "schools_visited": _("Schools visited"),
        "visits_done": _("Visits done"),
        "groups_reached": _("Class groups reached (distinct)"),
        "sessions_delivered": _("Sessions delivered (group reaches)"),
        "students_reached": _("Students reached (sum of attendance)"),
        "presentations_held": _("Presentations held"),
        "presentation_audience": _("Presentation audience"),
        "requests_received": _("School requests received"),
        "requests_accepted": _("School requests accepted"),
        "campaign_posters": _("Campaign posters handed out"),
        "campaign_flyers": _("Campaign flyers handed out"),
        "campaign_days": _("Campaign days held"),
        "kiosk_students": _("Students reached at a campaign kiosk"),
        "questions_received": _("Questions received"),
        "questions_answered": _("Questions answered"),
        "questions_urgent": _("Urgent questions"),
        "escalations": _("Escalations recorded"),
        "median_reply_hours": _("Median hours to a first reply"),
    }


@dataclass(frozen=True)
class Table:
    key: str  # e.g. "sessions_by_grade": stable, for files and the API
    title: str
    row_header: str
    columns: tuple  # figure keys
    column_labels: tuple
    rows: tuple  # ((row key, row label, (values...)), ...)
    totals: tuple  # a column's total, or None when it is not a count

    def suppressed(self, threshold):
        rows, totals = suppress_columns(
            [list(values) for _key, _label, values in self.rows], list(self.totals), threshold
        )
        return replace(
            self,
            rows=tuple(
                (key, label, tuple(values))
                for (key, label, _values), values in zip(self.rows, rows, strict=True)
            ),
            totals=tuple(totals),
        )


@dataclass(frozen=True)
class Report:
    period: object
    previous: object
    filters: reach.Filters
    summary: tuple  # ((figure key, label, value, previous value), ...)
    tables: tuple

    def suppressed(self, threshold):
        return replace(
            self,
            summary=tuple(
                (key, label, _hide(key, value, threshold), _hide(key, before, threshold))
                for key, label, value, before in self.summary
            ),
            tables=tuple(t.suppressed(threshold) for t in self.tables),
        )


def _hide(key, value, threshold):
    return value if key in reach.NOT_COUNTS else suppress_value(value, threshold)


def _table(key, title, row_header, columns, rows):
    labels = figure_labels()
    totals = tuple(
        None if column in reach.NOT_COUNTS else sum(values[i] for _k, _l, values in rows)
        for i, column in enumerate(columns)
    )
    return Table(
        key=key,
        title=title,
        row_header=row_header,
        columns=tuple(columns),
        column_labels=tuple(labels[c] for c in columns),
        rows=tuple(rows),
        totals=totals,
    )


SESSION_COLUMNS = ("groups_reached", "sessions_delivered", "students_reached")
QUESTION_COLUMNS = ("questions_received", "questions_answered", "questions_urgent", "escalations")


def _names(session, model, ids):
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return dict(session.exec(select(model.id, model.name).where(model.id.in_(ids))).all())


def _session_tables(session, period, filters):
    lang = current_language()
    dimensions = {
        "region": (_("Region"), _("Delivered sessions by region"), "region"),
        "service_centre": (
            _("School service centre"),
            _("Delivered sessions by school service centre"),
            ServiceCentre,
        ),
        "school": (_("School"), _("Delivered sessions by school"), School),
        "grade": (_("Grade"), _("Delivered sessions by grade"), None),
        "module": (_("Module"), _("Delivered sessions by module"), CurriculumModule),
    }
    grades = dict(GRADE_CHOICES)
    tables = []
    for dimension, (header, title, model) in dimensions.items():
        found = reach.sessions_by(session, period, filters, dimension)
        if model is CurriculumModule:
            modules = session.exec(
                select(CurriculumModule).where(CurriculumModule.id.in_([k for k, *_ in found]))
            ).all()
            names = {m.id: m.title(lang) for m in modules}
        elif model == "region":
            names = {k: regions.label(k, lang) for k, *_ in found}
        elif model is not None:
            names = _names(session, model, [k for k, *_ in found])
        else:
            names = {k: str(grades.get(k, k)) for k, *_ in found}
        rows = [(str(k), names.get(k, str(k)), tuple(values)) for k, *values in found]
        tables.append(
            _table(
                f"sessions_by_{dimension}",
                title,
                header,
                SESSION_COLUMNS,
                rows,
            )
        )
    return tables


def _other_tables(session, period, filters):
    audiences = audience_labels()
    rows = [
        (key, audiences.get(key, key), (held, people))
        for key, held, people in reach.presentations_by_audience(session, period, filters)
    ]
    tables = [
        _table(
            "presentations_by_audience",
            _("Presentations held by audience"),
            _("Audience"),
            ("presentations_held", "presentation_audience"),
            rows,
        )
    ]
    lang = current_language()
    rows = [
        (
            key or "none",
            regions.label(key, lang) if key else _("No school or service centre given"),
            (held, people),
        )
        for key, held, people in reach.presentations_by_region(session, period, filters)
    ]
    tables.append(
        _table(
            "presentations_by_region",
            _("Presentations held by region"),
            _("Region"),
            ("presentations_held", "presentation_audience"),
            rows,
        )
    )
    topics = topic_labels()
    rows = [
        (key, topics.get(key, key), tuple(values))
        for key, *values in reach.questions_by(session, period, filters, "topic")
    ]
    tables.append(
        _table("questions_by_topic", _("Questions by topic"), _("Topic"), QUESTION_COLUMNS, rows)
    )
    found = reach.questions_by(session, period, filters, "school_id")
    names = _names(session, School, [int(k) for k, *_ in found if k is not None])
    rows = [
        (
            key or "none",
            names.get(int(key), key) if key else _("No school given"),
            tuple(values),
        )
        for key, *values in found
    ]
    tables.append(
        _table("questions_by_school", _("Questions by school"), _("School"), QUESTION_COLUMNS, rows)
    )
    rows = [
        (key or "none", regions.label(key, lang) if key else _("No school given"), tuple(values))
        for key, *values in reach.questions_by(session, period, filters, "region")
    ]
    tables.append(
        _table("questions_by_region", _("Questions by region"), _("Region"), QUESTION_COLUMNS, rows)
    )
    return tables


def _campaign_table(session, period, filters):
    """Campaign materials by campaign; a campaign no longer published keeps its slug."""
    catalogue, lang = get_campaigns(), current_language()
    rows = []
    for slug, *values in reach.campaigns_by_campaign(session, period, filters):
        campaign = catalogue.get(slug)
        rows.append((slug, campaign.title(lang) if campaign else slug, tuple(values)))
    return _table(
        "campaigns_by_campaign",
        _("Campaign materials by campaign"),
        _("Campaign"),
        reach.CAMPAIGN_FIGURES,
        rows,
    )


def build_report(session, period, filters):
    """The reach report of `period` (with the period before) under `filters`."""
    previous = period.previous()
    now = reach.figures(session, period, filters)
    before = reach.figures(session, previous, filters)
    labels = figure_labels()
    tables = [
        *_session_tables(session, period, filters),
        *_other_tables(session, period, filters),
        _campaign_table(session, period, filters),
    ]
    return Report(
        period=period,
        previous=previous,
        filters=filters,
        summary=tuple((key, labels[key], now[key], before[key]) for key in reach.FIGURES),
        tables=tuple(t for t in tables if t.rows),
    )


def period_label(period):
    """The period in words, in the page's language."""
    from flask_babel import format_date

    if period.kind == "school_year":
        return _("School year %(start)s–%(end)s", start=period.year, end=period.year + 1)
    if period.kind == "fiscal_year":
        return _("Fiscal year %(start)s–%(end)s", start=period.year, end=period.year + 1)
    if period.kind == "calendar_year":
        return _("Year %(year)s", year=period.year)
    if period.kind == "quarter":
        return _("Quarter %(number)s of %(year)s", number=period.number, year=period.year)
    if period.kind == "month":
        return format_date(period.start, "MMMM y").capitalize()
    return _(
        "%(start)s to %(end)s",
        start=format_date(period.start, "medium"),
        end=format_date(period.end, "medium"),
    )
