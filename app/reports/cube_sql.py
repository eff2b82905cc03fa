"""The grouped counts the cubes are made of (app/reports/cube.py): one
statement per family and school year, GROUP BY month, place and breakdown;
the same SQL on SQLite and PostgreSQL.

What each counts is what app/reports/reach.py counts (its docstring), and
tests/test_reports.py checks that both agree. The month is found by
comparing with the months' first days (first instants, in UTC, for
timestamps), never with a database's date functions: PostgreSQL's would
follow the connection's time zone.

Each LEAVES function answers [(month index from 0 = July, school id,
centre id, (breakdown values), (counts))].
"""

from datetime import UTC, datetime, time

from sqlalchemy import case, distinct, func, literal_column
from sqlmodel import select

from app.campaigns.models import DistributionRecord
from app.help.models import Conversation, Escalation, MonthlyCount
from app.presentations.models import Presentation, PresentationStatus, RequestStatus, SchoolRequest
from app.reports import periods
from app.reports.reach import delivered_module
from app.schools.models import ClassGroup
from app.visits.models import ClassSession, SessionStatus, Visit, VisitStatus

# The value of a dimension a row does not break down by (a total).
ANY = ("any",)


def _month(column, school_year, *, instants=False):
    bounds = [month.start for month in periods.months(school_year)][1:]
    if instants:
        bounds = [datetime.combine(day, time(0), UTC) for day in bounds]
    return case(*((column < bound, index) for index, bound in enumerate(bounds)), else_=11)


def _within(column, period, *, instants=False):
    if instants:
        start = datetime.combine(period.start, time(0), UTC)
        end = datetime.combine(periods.make("school_year", period.year + 1).start, time(0), UTC)
        return (column >= start) & (column < end)
    return (column >= period.start) & (column <= period.end)


def _grouped(session, query, keys):
    """Run `query` grouped by its first `keys` columns (by position: the
    month is an expression with parameters)."""
    positions = [literal_column(str(n)) for n in range(1, keys + 1)]
    return session.exec(query.group_by(*positions)).all()


def _delivered(query, period):
    return (
        query.select_from(ClassSession)
        .join(Visit, Visit.id == ClassSession.visit_id)
        .join(ClassGroup, ClassGroup.id == ClassSession.class_group_id)
        .where(ClassSession.status == SessionStatus.DELIVERED)
        .where(_within(ClassSession.on_date, period))
    )


def sessions(session, year):
    query = _delivered(
        select(
            _month(ClassSession.on_date, year),
            Visit.school_id,
            ClassGroup.grade,
            delivered_module,
            func.count(),
            func.coalesce(func.sum(ClassSession.attendance), 0),
        ),
        year,
    )
    return [
        (m, school, None, (str(grade), module), (n, people))
        for m, school, grade, module, n, people in _grouped(session, query, 4)
    ]


def presentations(session, year):
    query = select(
        _month(Presentation.on_date, year),
        Presentation.school_id,
        Presentation.service_centre_id,
        Presentation.audience,
        func.count(),
        func.coalesce(func.sum(Presentation.actual_audience), 0),
    ).where(Presentation.status == PresentationStatus.HELD, _within(Presentation.on_date, year))
    return [
        (m, school, centre, (str(audience),), (n, people))
        for m, school, centre, audience, n, people in _grouped(session, query, 4)
    ]


def campaigns(session, year):
    record = DistributionRecord
    query = select(
        _month(record.on_date, year),
        record.school_id,
        record.campaign_slug,
        func.coalesce(func.sum(record.posters), 0),
        func.coalesce(func.sum(record.flyers), 0),
        func.coalesce(func.sum(case((record.campaign_day, 1), else_=0)), 0),
        func.coalesce(func.sum(record.kiosk_students), 0),
    ).where(_within(record.on_date, year))
    return [
        (m, school, None, (str(slug),), tuple(counts))
        for m, school, slug, *counts in _grouped(session, query, 3)
    ]


def requests(session, year):
    accepted = case((SchoolRequest.status == RequestStatus.ACCEPTED, 1), else_=0)
    query = select(
        _month(SchoolRequest.created_at, year, instants=True),
        SchoolRequest.school_id,
        func.count(),
        func.coalesce(func.sum(accepted), 0),
    ).where(_within(SchoolRequest.created_at, year, instants=True))
    return [(m, school, None, (), (n, ok)) for m, school, n, ok in _grouped(session, query, 2)]


def questions(session, year):
    """Live questions and the monthly counts kept after a purge, together."""
    escalations = (
        select(func.count())
        .where(Escalation.conversation_id == Conversation.id)
        .correlate(Conversation)
        .scalar_subquery()
    )
    live = select(
        _month(Conversation.created_at, year, instants=True),
        Conversation.school_id,
        Conversation.topic,
        func.count(),
        func.count(Conversation.first_reply_at),
        func.coalesce(func.sum(case((Conversation.urgent, 1), else_=0)), 0),
        func.coalesce(func.sum(escalations), 0),
    ).where(_within(Conversation.created_at, year, instants=True))
    kept = select(
        _month(MonthlyCount.month, year),
        MonthlyCount.school_id,
        MonthlyCount.topic,
        func.coalesce(func.sum(MonthlyCount.questions), 0),
        func.coalesce(func.sum(MonthlyCount.answered), 0),
        func.coalesce(func.sum(case((MonthlyCount.urgent, MonthlyCount.questions), else_=0)), 0),
        func.coalesce(func.sum(MonthlyCount.escalations), 0),
    ).where(_within(MonthlyCount.month, year))
    rows = _grouped(session, live, 3) + _grouped(session, kept, 3)
    return [(m, school, None, (str(topic),), tuple(counts)) for m, school, topic, *counts in rows]


LEAVES = {
    "sessions": sessions,
    "presentations": presentations,
    "campaigns": campaigns,
    "requests": requests,
    "questions": questions,
}


def distinct_rows(session, period):
    """[(school id, ("grade", g) | ("module", id) | ANY, groups, done visits)]
    of `period`: distinct counts, so each breakdown has its own statement."""
    groups = func.count(distinct(ClassSession.class_group_id))
    done = func.count(distinct(case((Visit.status == VisitStatus.DONE, Visit.id), else_=None)))
    found = []
    for name, key in (("grade", ClassGroup.grade), ("module", delivered_module)):
        query = _delivered(select(Visit.school_id, key, groups, done), period)
        for school, value, n, visits in session.exec(query.group_by(Visit.school_id, key)):
            value = str(value) if name == "grade" else value
            found.append((school, (name, value), int(n), int(visits)))
    query = _delivered(select(Visit.school_id, done), period)
    for school, visits in session.exec(query.group_by(Visit.school_id)):
        found.append((school, ANY, 0, int(visits)))
    return found
