"""Reach figures of the anonymous questions: asked, answered, urgent,
escalated, and the median time to a first reply; what each counts is in
app/reports/reach.py. Questions purged from the box still count, through
the monthly counts kept when they go."""

from sqlalchemy import case, func, literal, or_
from sqlmodel import select

from app.help.models import Conversation, Escalation, MonthlyCount
from app.regions.services import in_regions
from app.schools.models import School

QUESTION_FIGURES = (
    "questions_received",
    "questions_answered",
    "questions_urgent",
    "escalations",
    "median_reply_hours",
)


# Questions ----------------------------------------------------------------------------------


def _asked(query, model, period, filters):
    """Questions asked in the period: `model` is Conversation (live) or
    MonthlyCount (purged, counted by month)."""
    if model is Conversation:
        start, end = period.utc_bounds()
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
