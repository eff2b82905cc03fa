"""The reach report as one document: the figures of a period beside those of
the period before, and the breakdown tables. The page and every export
(CSV, XLSX, PDF, JSON) show `build_report(..., threshold=...)`, whose small
counts, and the counts that would give them away, are hidden the same way
everywhere (publication.py), so they agree to the unit.

Labels are in the language of the request (or of `force_locale`).
"""

from dataclasses import dataclass, replace

from flask_babel import gettext as _
from sqlmodel import select

from app.campaigns.loader import get_campaigns
from app.curriculum.models import CurriculumModule
from app.formats import date_text
from app.help.messages import topic_labels
from app.i18n import current_language
from app.presentations.messages import audience_labels
from app.regions import data as regions
from app.reports import cube, reach
from app.reports.publication import Publication, other_of, scope_of
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
    totals: tuple  # each column's figure for the whole table


@dataclass(frozen=True)
class Report:
    period: object
    previous: object
    filters: reach.Filters
    summary: tuple  # ((figure key, label, value, previous value), ...)
    tables: tuple
    threshold: int | None = None  # None: every count shown (inside the partnership only)


SESSION_COLUMNS = ("groups_reached", "sessions_delivered", "students_reached")
QUESTION_COLUMNS = ("questions_received", "questions_answered", "questions_urgent", "escalations")
PRESENTATION_COLUMNS = ("presentations_held", "presentation_audience")


def _sort(keys):
    """Rows in the order of their keys, what names nothing last."""
    return sorted(keys, key=lambda k: (k is None, str(type(k)), k if k is not None else 0))


class _Tables:
    """The breakdown tables of one report, read from one publication."""

    def __init__(self, publication, period, filters):
        self.pub, self.period, self.filters = publication, period, filters
        self.scope = scope_of(filters)
        self.labels = figure_labels()

    def table(self, key, title, header, columns, other, rows):
        """`rows`: [(row key, label, scope, other)]; rows with nothing are left out."""
        found = []
        for row_key, label, scope, row_other in rows:
            cells = [self.pub.cell(c, self.period, scope, row_other) for c in columns]
            if any(cell and (cell[0] or cell[1]) for cell in cells):  # a count, or hidden
                found.append((row_key, label, tuple(self.pub.show(c) for c in cells)))
        totals = tuple(
            self.pub.show(self.pub.cell(c, self.period, self.scope, other)) for c in columns
        )
        return Table(
            key=key,
            title=title,
            row_header=header,
            columns=tuple(columns),
            column_labels=tuple(self.labels[c] for c in columns),
            rows=tuple(found),
            totals=totals,
        )

    def region_rows(self, other, none_label):
        """Rows of the regions of the scope; "none": what names no region."""
        lang = current_language()
        allowed = self.scope.regions
        codes = (*regions.CODES, None) if allowed is None else allowed
        return [
            (
                code or "none",
                regions.label(code, lang) if code else none_label,
                replace(self.scope, regions=(code,)),
                other,
            )
            for code in codes
        ]

    def place_rows(self, field, model, other):
        """Rows of the service centres ("centre") or the schools ("school")."""
        places = self.pub.places
        ids = sorted(places.centres if field == "centre" else places.schools)
        ids = [i for i in ids if getattr(self.scope, field) in (None, i)]
        names = _names(self.pub.session, model, ids)
        return [
            (str(i), names.get(i, str(i)), replace(self.scope, **{field: i}), other) for i in ids
        ]

    def other_rows(self, family, dim, other, labels):
        values = self.pub.values_of(family, self.period, dim)
        if other != cube.ANY:
            if other[0] != dim:
                return None  # a breakdown by two dimensions at once: no cube holds it
            values = [other[1]] if other[1] in values else []
        return [(str(v), labels(v), self.scope, (dim, v)) for v in _sort(values)]


def _session_tables(tables):
    family = cube.SESSIONS
    other = other_of(family, tables.filters)
    if other is None:
        return []
    lang = current_language()
    grades = dict(GRADE_CHOICES)
    modules = {m.id: m.title(lang) for m in tables.pub.session.exec(select(CurriculumModule)).all()}
    specs = [
        (
            "region",
            _("Region"),
            _("Delivered sessions by region"),
            tables.region_rows(other, _("No region")),
        ),
        (
            "service_centre",
            _("School service centre"),
            _("Delivered sessions by school service centre"),
            tables.place_rows("centre", ServiceCentre, other),
        ),
        (
            "school",
            _("School"),
            _("Delivered sessions by school"),
            tables.place_rows("school", School, other),
        ),
        (
            "grade",
            _("Grade"),
            _("Delivered sessions by grade"),
            tables.other_rows(family, "grade", other, lambda g: str(grades.get(g, g))),
        ),
        (
            "module",
            _("Module"),
            _("Delivered sessions by module"),
            tables.other_rows(family, "module", other, lambda m: modules.get(m, str(m))),
        ),
    ]
    return [
        tables.table(f"sessions_by_{key}", title, header, SESSION_COLUMNS, other, rows)
        for key, header, title, rows in specs
        if rows is not None
    ]


def _other_tables(tables):
    found = []
    family = cube.FAMILY_OF["presentations_held"]
    other = other_of(family, tables.filters)
    if other is not None and tables.pub.places_of(tables.scope, family.depth) is not None:
        audiences = audience_labels()
        rows = tables.other_rows(family, "audience", other, lambda a: audiences.get(a, a))
        found.append(
            tables.table(
                "presentations_by_audience",
                _("Presentations held by audience"),
                _("Audience"),
                PRESENTATION_COLUMNS,
                other,
                rows,
            )
        )
        rows = tables.region_rows(other, _("No school or service centre given"))
        found.append(
            tables.table(
                "presentations_by_region",
                _("Presentations held by region"),
                _("Region"),
                PRESENTATION_COLUMNS,
                other,
                rows,
            )
        )
    family = cube.FAMILY_OF["questions_received"]
    other = other_of(family, tables.filters)
    if other is not None and tables.pub.places_of(tables.scope, family.depth) is not None:
        topics = topic_labels()
        rows = tables.other_rows(family, "topic", other, lambda t: topics.get(t, t))
        found.append(
            tables.table(
                "questions_by_topic",
                _("Questions by topic"),
                _("Topic"),
                QUESTION_COLUMNS,
                other,
                rows,
            )
        )
        rows = tables.region_rows(other, _("No school given"))
        found.append(
            tables.table(
                "questions_by_region",
                _("Questions by region"),
                _("Region"),
                QUESTION_COLUMNS,
                other,
                rows,
            )
        )
    family = cube.FAMILY_OF["campaign_posters"]
    other = other_of(family, tables.filters)
    if other is not None:
        catalogue, lang = get_campaigns(), current_language()

        def title(slug):
            campaign = catalogue.get(slug)
            return campaign.title(lang) if campaign else slug

        rows = tables.other_rows(family, "campaign", other, title)
        found.append(
            tables.table(
                "campaigns_by_campaign",
                _("Campaign materials by campaign"),
                _("Campaign"),
                reach.CAMPAIGN_FIGURES,
                other,
                rows,
            )
        )
    return found


def _names(session, model, ids):
    ids = [i for i in ids if i is not None]
    if not ids:
        return {}
    return dict(session.exec(select(model.id, model.name).where(model.id.in_(ids))).all())


def build_report(session, period, filters, *, threshold=None):
    """The reach report of `period` (with the period before) under `filters`;
    with `threshold`, as it may be shown: small counts hidden, and the counts
    that would give them away. Without, every count (tests, the partnership)."""
    publication = Publication(session, threshold)
    previous = period.previous()
    labels = figure_labels()
    tables = _Tables(publication, period, filters)
    found = [*_session_tables(tables), *_other_tables(tables)]
    return Report(
        period=period,
        previous=previous,
        filters=filters,
        summary=tuple(
            (
                key,
                labels[key],
                publication.figure(key, period, filters),
                publication.figure(key, previous, filters),
            )
            for key in reach.FIGURES
        ),
        tables=tuple(t for t in found if t.rows),
        threshold=threshold,
    )


def period_label(period):
    """The period in words, in the page's language."""
    if period.kind == "school_year":
        return _("School year %(start)s–%(end)s", start=period.year, end=period.year + 1)
    if period.kind == "fiscal_year":
        return _("Fiscal year %(start)s–%(end)s", start=period.year, end=period.year + 1)
    if period.kind == "calendar_year":
        return _("Year %(year)s", year=period.year)
    if period.kind == "quarter":
        return _("Quarter %(number)s of %(year)s", number=period.number, year=period.year)
    if period.kind == "month":
        return date_text(period.start, "month").capitalize()
    return _("%(start)s to %(end)s", start=date_text(period.start), end=date_text(period.end))
