"""Retention: closed conversations are deleted after HELP_RETENTION_DAYS, open
ones nobody wrote in for HELP_INACTIVE_DAYS too, and their monthly counts are
kept (help_monthly_count) so reports lose nothing."""

from datetime import date, timedelta

from sqlalchemy import case, delete, func
from sqlmodel import select

from app.help import audit_log
from app.help.models import (
    Alert,
    Conversation,
    ConversationStatus,
    Escalation,
    Message,
    MonthlyCount,
    Note,
)


def last_activity():
    """A subquery: each conversation's last message time (conversation_id, at)."""
    return (
        select(Message.conversation_id, func.max(Message.created_at).label("at"))
        .group_by(Message.conversation_id)
        .subquery()
    )


def purge(session, *, now, retention_days, inactive_days=None):
    """Delete what closed before the retention period, and the open conversations
    with no message for `inactive_days`; return how many conversations."""
    cutoff = now - timedelta(days=retention_days)
    old = list(
        session.exec(
            select(Conversation).where(
                Conversation.status == ConversationStatus.CLOSED, Conversation.closed_at < cutoff
            )
        ).all()
    )
    if inactive_days is not None:
        last = last_activity()
        idle_since = now - timedelta(days=inactive_days)
        old += session.exec(
            select(Conversation)
            .join(last, last.c.conversation_id == Conversation.id, isouter=True)
            .where(
                Conversation.status == ConversationStatus.OPEN,
                func.coalesce(last.c.at, Conversation.last_student_at) < idle_since,
            )
        ).all()
    if not old:
        return 0
    ids = [c.id for c in old]
    # Who did it and why stays in the audit log (user: none, the purge itself).
    for c in old:
        idle = c.status == ConversationStatus.OPEN
        audit_log.record_purge(session, c, action="purge-idle" if idle else "purge")
    escalated = dict(
        session.exec(
            select(Escalation.conversation_id, func.count())
            .where(Escalation.conversation_id.in_(ids))
            .group_by(Escalation.conversation_id)
        ).all()
    )
    totals = {}
    for c in old:
        key = (date(c.created_at.year, c.created_at.month, 1), c.topic, c.school_id, c.urgent)
        questions, answered, escalations = totals.get(key, (0, 0, 0))
        totals[key] = (
            questions + 1,
            answered + (c.first_reply_at is not None),
            escalations + escalated.get(c.id, 0),
        )
    for (month, topic, school_id, urgent), (questions, answered, escalations) in totals.items():
        row = session.exec(
            select(MonthlyCount).where(
                MonthlyCount.month == month,
                MonthlyCount.topic == topic,
                MonthlyCount.school_id.is_(None)
                if school_id is None
                else MonthlyCount.school_id == school_id,
                MonthlyCount.urgent == urgent,
            )
        ).first()
        if row is None:
            row = MonthlyCount(month=month, topic=topic, school_id=school_id, urgent=urgent)
            session.add(row)
        row.questions += questions
        row.answered += answered
        row.escalations += escalations
    for table in (Message, Note, Escalation, Alert):
        session.exec(delete(table).where(table.conversation_id.in_(ids)))
    session.exec(delete(Conversation).where(Conversation.id.in_(ids)))
    session.flush()
    return len(ids)


def question_totals(session):
    """{questions, answered, escalations, urgent}: live conversations plus purged counts."""
    live = session.exec(
        select(
            func.count(Conversation.id),
            func.count(Conversation.first_reply_at),
            func.coalesce(func.sum(case((Conversation.urgent, 1), else_=0)), 0),
        )
    ).one()
    escalations = session.exec(select(func.count()).select_from(Escalation)).one()
    kept = session.exec(
        select(
            func.coalesce(func.sum(MonthlyCount.questions), 0),
            func.coalesce(func.sum(MonthlyCount.answered), 0),
            func.coalesce(func.sum(MonthlyCount.escalations), 0),
        )
    ).one()
    kept_urgent = session.exec(
        select(func.coalesce(func.sum(MonthlyCount.questions), 0)).where(MonthlyCount.urgent)
    ).one()
    return {
        "questions": live[0] + kept[0],
        "answered": live[1] + kept[1],
        "urgent": live[2] + kept_urgent,
        "escalations": escalations + kept[2],
    }
