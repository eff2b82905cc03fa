"""The reach figures, computed in the database (GROUP BY), never by loading
rows into Python; the same statements run on SQLite and PostgreSQL.

What each figure counts, for a period [start, end] (dates, inclusive):

- sessions: class sessions delivered on a day of the period; their visit's
  school, the class group's grade, and the module they taught (the one
  recorded: app/visits/records.py) are what the filters and breakdowns use;
- schools visited, class groups reached: distinct schools and class groups
  among those sessions (a group seen in three modules is one group, reached
  three times: three sessions);
- students reached: the sum of the attendance recorded for those sessions;
- visits done: visits marked done with a session delivered in the period;
- presentations held on a day of the period, and their actual audience;
- school requests received in the period, and those of them accepted;
- campaign materials: the posters and flyers handed to schools on a day of
  the period, the campaign days held there (a campaign, a school and a day
  count once: the records refuse a second one) and the students reached at a
  kiosk, from the distribution records (app/campaigns/);
- questions asked in the period: those still in the box plus the monthly
  counts kept when questions are purged (by the month they were asked);
  answered, urgent, escalations likewise; the median hours to a first reply
  is over the questions still in the box.

A filter applies to the figures it concerns: grade and module to sessions,
topic to questions; the figures a filter does not concern are None (campaign
materials go to a school, not to a grade or a module: like presentations).

Regions (a `region` filter, or the regions a coordinator is limited to) apply
to every figure through the school's region: sessions by their visit's
school; presentations by their school, or their service centre when they
name no school; school requests, campaign materials and questions by their
school. What names neither (a question with no school, a request from a
school not yet on the list, a presentation to the public) belongs to no
region and is left out whenever regions apply.
"""

from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import case, distinct, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from app.campaigns.models import DistributionRecord
from app.help.models import Conversation, Escalation, MonthlyCount
from app.presentations.models import Presentation, PresentationStatus, RequestStatus, SchoolRequest
from app.regions.services import in_regions
from app.schools.models import ClassGroup, School, ServiceCentre
from app.visits.models import ClassSession, SessionStatus, Visit, VisitStatus
from app.visits.records import taught_module_id

SESSION_FIGURES = (
    "schools_visited",
    "visits_done",
    "groups_reached",
    "sessions_delivered",
    "students_reached",
)
PRESENTATION_FIGURES = ("presentations_held", "presentation_audience")
REQUEST_FIGURES = ("requests_received", "requests_accepted")
CAMPAIGN_FIGURES = ("campaign_posters", "campaign_flyers", "campaign_days", "kiosk_students")
QUESTION_FIGURES = (
    "questions_received",
    "questions_answered",
    "questions_urgent",
    "escalations",
    "median_reply_hours",
)
FIGURES = (
    SESSION_FIGURES + PRESENTATION_FIGURES + REQUEST_FIGURES + CAMPAIGN_FIGURES + QUESTION_FIGURES
)
# Figures that are not counts: never suppressed, never added up.
NOT_COUNTS = frozenset({"median_reply_hours"})


@dataclass(frozen=True)
class Filters:
    service_centre_id: int | None = None
    school_id: int | None = None
    grade: str | None = None
    module_id: int | None = None
    topic: str | None = None
    region: str | None = None  # a region code chosen in the page (one of `within`)
    within: tuple | None = None  # the codes the reader is limited to; None: every region

    def params(self):
        """The query parameters of the chosen filters (`within` is the
        reader's, never a parameter)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "within" and getattr(self, f.name)
        }

    @property
    def regions(self):
        """The region codes the figures are limited to, or None for all."""
        if self.region is not None:
            return (self.region,)
        return self.within

    @property
    def sessions_only(self):
        return self.grade is not None or self.module_id is not None


def _bounds(period):
    """The period's UTC instants [from, to), for the timestamps."""
    start = datetime.combine(period.start, time(0), UTC)
    return start, datetime.combine(period.end + timedelta(days=1), time(0), UTC)


# Sessions ------------------------------------------------------------------------

delivered_module = taught_module_id()


def _delivered(query, period, filters, dimension=None):
    """Delivered sessions of the period under `filters`. School and ClassGroup
    are joined only when a filter or the `dimension` reads them: every visit
    has a school and every session a group (NOT NULL foreign keys), so those
    joins drop no row, and SQLite does not leave out unused joins by itself
    (a quarter less time at 1,000,000 sessions: bench/reports.py)."""
    query = (
        query.select_from(ClassSession)
        .join(Visit, Visit.id == ClassSession.visit_id)
        .where(
            ClassSession.status == SessionStatus.DELIVERED,
            ClassSession.on_date >= period.start,
            ClassSession.on_date <= period.end,
        )
    )
    if (
        filters.service_centre_id is not None
        or filters.regions is not None
        or dimension in ("service_centre", "region")
    ):
        query = query.join(School, School.id == Visit.school_id)
    if filters.regions is not None:
        query = query.where(School.region_code.in_(filters.regions))
    if filters.grade is not None or dimension == "grade":
        query = query.join(ClassGroup, ClassGroup.id == ClassSession.class_group_id)
    if filters.service_centre_id is not None:
        query = query.where(School.service_centre_id == filters.service_centre_id)
    if filters.school_id is not None:
        query = query.where(Visit.school_id == filters.school_id)
    if filters.grade is not None:
        query = query.where(ClassGroup.grade == filters.grade)
    if filters.module_id is not None:
        query = query.where(delivered_module == filters.module_id)
    return query


SESSION_COLUMNS = (
    func.count(distinct(ClassSession.class_group_id)),
    func.count(),
    func.coalesce(func.sum(ClassSession.attendance), 0),
)


def session_figures(session, period, filters):
    if filters.topic is not None:
        return dict.fromkeys(SESSION_FIGURES)
    done = case((Visit.status == VisitStatus.DONE, Visit.id), else_=None)
    row = session.exec(
        _delivered(
            select(
                func.count(distinct(Visit.school_id)), func.count(distinct(done)), *SESSION_COLUMNS
            ),
            period,
            filters,
        )
    ).one()
    return dict(zip(SESSION_FIGURES, (int(v) for v in row), strict=True))


SESSION_DIMENSIONS = {
    "service_centre": School.service_centre_id,
    "region": School.region_code,
    "school": Visit.school_id,
    "grade": ClassGroup.grade,
    "module": delivered_module,
}


def sessions_by(session, period, filters, dimension):
    """[(key, groups reached, sessions delivered, students reached)] by `dimension`."""
    if filters.topic is not None:
        return []
    key = SESSION_DIMENSIONS[dimension]
    query = _delivered(select(key, *SESSION_COLUMNS), period, filters, dimension)
    rows = session.exec(query.group_by(key).order_by(key))
    return [(k, int(groups), int(count), int(students)) for k, groups, count, students in rows]


# Presentations and requests ----------------------------------------------------------


def _place_filter(query, model, filters):
    """Restrict to a school, or a service centre (its own, or its schools'),
    and to regions (its school's; its own centre's when it names no school)."""
    if filters.regions is not None:
        query = query.where(in_regions(model, filters.regions))
    if filters.school_id is not None:
        query = query.where(model.school_id == filters.school_id)
    if filters.service_centre_id is not None:
        in_centre = select(School.id).where(School.service_centre_id == filters.service_centre_id)
        own_centre = (
            model.service_centre_id == filters.service_centre_id
            if hasattr(model, "service_centre_id")
            else literal(False)
        )
        query = query.where(or_(model.school_id.in_(in_centre), own_centre))
    return query


def _held(query, period, filters):
    query = query.where(
        Presentation.status == PresentationStatus.HELD,
        Presentation.on_date >= period.start,
        Presentation.on_date <= period.end,
    )
    return _place_filter(query, Presentation, filters)


def presentation_figures(session, period, filters):
    if filters.sessions_only or filters.topic is not None:
        return dict.fromkeys(PRESENTATION_FIGURES + REQUEST_FIGURES)
    held = session.exec(
        _held(
            select(func.count(), func.coalesce(func.sum(Presentation.actual_audience), 0)),
            period,
            filters,
        )
    ).one()
    start, end = _bounds(period)
    accepted = case((SchoolRequest.status == RequestStatus.ACCEPTED, 1), else_=0)
    asked = session.exec(
        _place_filter(
            select(func.count(), func.coalesce(func.sum(accepted), 0)).where(
                SchoolRequest.created_at >= start, SchoolRequest.created_at < end
            ),
            SchoolRequest,
            filters,
        )
    ).one()
    return dict(
        zip(PRESENTATION_FIGURES + REQUEST_FIGURES, (int(v) for v in (*held, *asked)), strict=True)
    )


def presentations_by_region(session, period, filters):
    """[(region code, presentations held, their audience)]; the code is None
    for presentations that name neither a school nor a service centre."""
    if filters.sessions_only or filters.topic is not None:
        return []
    centre = aliased(ServiceCentre)
    region = func.coalesce(School.region_code, centre.region_code)
    query = _held(
        select(region, func.count(), func.coalesce(func.sum(Presentation.actual_audience), 0))
        .select_from(Presentation)
        .outerjoin(School, School.id == Presentation.school_id)
        .outerjoin(centre, centre.id == Presentation.service_centre_id),
        period,
        filters,
    )
    rows = session.exec(query.group_by(region))
    found = [(code, int(n), int(people)) for code, n, people in rows]
    return sorted(found, key=lambda row: (row[0] is None, row[0] or ""))


def presentations_by_audience(session, period, filters):
    """[(audience, presentations held, their audience)]."""
    if filters.sessions_only or filters.topic is not None:
        return []
    query = _held(
        select(
            Presentation.audience,
            func.count(),
            func.coalesce(func.sum(Presentation.actual_audience), 0),
        ),
        period,
        filters,
    )
    rows = session.exec(query.group_by(Presentation.audience).order_by(Presentation.audience))
    return [(str(a), int(n), int(people)) for a, n, people in rows]


# Campaign materials ----------------------------------------------------------------------


def _distributed(query, period, filters):
    query = query.where(
        DistributionRecord.on_date >= period.start, DistributionRecord.on_date <= period.end
    )
    return _place_filter(query, DistributionRecord, filters)


CAMPAIGN_COLUMNS = (
    func.coalesce(func.sum(DistributionRecord.posters), 0),
    func.coalesce(func.sum(DistributionRecord.flyers), 0),
    func.coalesce(func.sum(case((DistributionRecord.campaign_day, 1), else_=0)), 0),
    func.coalesce(func.sum(DistributionRecord.kiosk_students), 0),
)


def campaign_figures(session, period, filters):
    if filters.sessions_only or filters.topic is not None:
        return dict.fromkeys(CAMPAIGN_FIGURES)
    row = session.exec(
        _distributed(select(*CAMPAIGN_COLUMNS).select_from(DistributionRecord), period, filters)
    ).one()
    return dict(zip(CAMPAIGN_FIGURES, (int(v) for v in row), strict=True))


def campaigns_by_campaign(session, period, filters):
    """[(campaign slug, posters, flyers, campaign days, kiosk students)]."""
    if filters.sessions_only or filters.topic is not None:
        return []
    slug = DistributionRecord.campaign_slug
    query = _distributed(select(slug, *CAMPAIGN_COLUMNS), period, filters)
    rows = session.exec(query.group_by(slug).order_by(slug))
    return [(str(key), *(int(v) for v in values)) for key, *values in rows]


# Questions ----------------------------------------------------------------------------------


def _asked(query, model, period, filters):
    """Questions asked in the period: `model` is Conversation (live) or
    MonthlyCount (purged, counted by month)."""
    if model is Conversation:
        start, end = _bounds(period)
        query = query.where(Conversation.created_at >= start, Conversation.created_at < end)
    else:
        query = query.where(MonthlyCount.month >= period.start, MonthlyCount.month <= period.end)
    if filters.topic is not None:
        query = query.where(model.topic == filters.topic)
    if filters.school_id is not None:
        query = query.where(model.school_id == filters.school_id)
    if filters.service_centre_id is not None:
        in_centre = select(School.id).where(School.service_centre_id == filters.service_centre_id)
        query = query.where(model.school_id.in_(in_centre))
    if filters.regions is not None:
        query = query.where(in_regions(model, filters.regions))
    return query


def _question_counts(session, period, filters, key=None):
    """{key: [received, answered, urgent, escalations]}, live and purged together."""
    escalations = (
        select(func.count())
        .where(Escalation.conversation_id == Conversation.id)
        .correlate(Conversation)
        .scalar_subquery()
    )
    live_columns = (
        func.count(),
        func.count(Conversation.first_reply_at),
        func.coalesce(func.sum(case((Conversation.urgent, 1), else_=0)), 0),
        func.coalesce(func.sum(escalations), 0),
    )
    kept_columns = (
        func.coalesce(func.sum(MonthlyCount.questions), 0),
        func.coalesce(func.sum(MonthlyCount.answered), 0),
        func.coalesce(func.sum(case((MonthlyCount.urgent, MonthlyCount.questions), else_=0)), 0),
        func.coalesce(func.sum(MonthlyCount.escalations), 0),
    )
    found = {}
    for model, columns in ((Conversation, live_columns), (MonthlyCount, kept_columns)):
        if key == "region":  # the school's; None for questions naming no school
            group = School.region_code
            query = select(group, *columns).select_from(model)
            query = query.outerjoin(School, School.id == model.school_id)
        else:
            group = getattr(model, key) if key else literal(None)
            query = select(group, *columns).select_from(model)
        query = _asked(query, model, period, filters)
        if key:
            query = query.group_by(group)
        for group_key, *counts in session.exec(query):
            if key is None and not counts[0]:
                continue
            total = found.setdefault(None if group_key is None else str(group_key), [0] * 4)
            for i, value in enumerate(counts):
                total[i] += int(value)
    return found


def median_reply(session, period, filters):
    """(the median of whole hours to a first reply, the number of replies it
    is over); window functions: the same SQL on SQLite and PostgreSQL."""
    ranked = _asked(
        select(
            Conversation.first_reply_hours.label("hours"),
            func.row_number().over(order_by=Conversation.first_reply_hours).label("rank"),
            func.count().over().label("total"),
        ).where(Conversation.first_reply_hours.is_not(None)),
        Conversation,
        period,
        filters,
    ).subquery()
    # Floor division: SQLAlchemy 2's "/" is true division, and rank 3.5 of 6
    # matches no row (the median of an even count would be the upper value).
    middle = or_(
        ranked.c.rank == (ranked.c.total + 1) // 2, ranked.c.rank == (ranked.c.total + 2) // 2
    )
    value, total = session.exec(
        select(func.avg(ranked.c.hours), func.max(ranked.c.total)).where(middle)
    ).one()
    return (None, 0) if value is None else (float(value), int(total))


def median_reply_hours(session, period, filters):
    return median_reply(session, period, filters)[0]


def question_figures(session, period, filters):
    if filters.sessions_only:
        return dict.fromkeys(QUESTION_FIGURES)
    counts = _question_counts(session, period, filters).get(None, [0] * 4)
    return {
        **dict(zip(QUESTION_FIGURES[:4], counts, strict=True)),
        "median_reply_hours": median_reply_hours(session, period, filters),
    }


def questions_by(session, period, filters, key):
    """[(value of `key`, received, answered, urgent, escalations)], `key`
    being "topic", "school_id" or "region" (None: no school given)."""
    if filters.sessions_only:
        return []
    found = _question_counts(session, period, filters, key=key)
    return sorted(
        ((k, *v) for k, v in found.items()), key=lambda row: (row[0] is None, str(row[0]))
    )


# All of it ------------------------------------------------------------------------------------


def figures(session, period, filters):
    """{figure: value} for the period; None where a filter does not apply."""
    return {
        **session_figures(session, period, filters),
        **presentation_figures(session, period, filters),
        **campaign_figures(session, period, filters),
        **question_figures(session, period, filters),
    }
