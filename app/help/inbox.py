"""The youth workers' side: their conversations, replies, notes, escalations.

A worker acts only on conversations routed to them: `owned` is the one door,
and it answers None for anybody else's (the view turns that into a 404, the
same as a conversation that does not exist). Every reading and every action
writes an entry in the audit log (audit_log.py).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from app.db import local_date, to_the_hour, utcnow
from app.help import audit_log
from app.help.models import (
    Author,
    Conversation,
    ConversationStatus,
    Escalation,
    EscalationKind,
    Message,
    Note,
    OnDuty,
)
from app.help.services import HelpError, clean_body
from app.regions.services import only_in_regions
from app.security import Role


def owned(session, *, user, conversation_id):
    conversation = session.get(Conversation, conversation_id)
    if conversation is None or conversation.assigned_to_id != user.id:
        return None
    return conversation


@dataclass(frozen=True)
class ShownNote:
    author: str
    text: str
    at: datetime


def notes(session, *, vault, conversation):
    rows = session.exec(
        select(Note, User.name)
        .join(User, User.id == Note.author_id, isouter=True)
        .where(Note.conversation_id == conversation.id)
        .order_by(Note.id)
    ).all()
    return [ShownNote(name or "?", vault.decrypt(n.body), n.created_at) for n, name in rows]


def escalations(session, *, conversation):
    return session.exec(
        select(Escalation, User.name)
        .join(User, User.id == Escalation.by_id, isouter=True)
        .where(Escalation.conversation_id == conversation.id)
        .order_by(Escalation.id)
    ).all()


def _require_open(conversation):
    if conversation.status != ConversationStatus.OPEN:
        raise HelpError("closed")


def reply(session, *, vault, user, conversation, body):
    """A worker's reply. Its time is stored to the hour, like a student's: messages
    are numbered in one sequence, so an exact time on a reply would bound the
    student's next message to the minute."""
    _require_open(conversation)
    text = clean_body(body)
    now = utcnow()
    session.add(
        Message(
            conversation_id=conversation.id,
            author=Author.WORKER,
            worker_id=user.id,
            body=vault.encrypt(text),
            created_at=to_the_hour(now),
        )
    )
    if conversation.first_reply_at is None:
        conversation.first_reply_at = to_the_hour(now)
        conversation.first_reply_hours = reply_hours(conversation.created_at, now)
    audit_log.record(session, user=user, conversation=conversation, action="reply")


def reply_hours(asked_at, replied_at):
    """Whole hours from a question to its first reply (what the median of the
    reports reads; an integer column, so the same SQL runs on every database)."""
    return max(int((replied_at - asked_at).total_seconds() // 3600), 0)


def add_note(session, *, vault, user, conversation, body):
    text = clean_body(body)
    session.add(Note(conversation_id=conversation.id, author_id=user.id, body=vault.encrypt(text)))
    audit_log.record(session, user=user, conversation=conversation, action="note")


def escalate(session, *, user, conversation, kind, service=""):
    kind = EscalationKind(kind)
    service = (service or "").strip()
    if kind == EscalationKind.OTHER_SERVICE and not service:
        raise HelpError("service")
    if "\x00" in service:  # nobody types one, and PostgreSQL refuses it in text
        raise HelpError("service_character")
    session.add(
        Escalation(conversation_id=conversation.id, kind=kind, service=service, by_id=user.id)
    )
    audit_log.record(session, user=user, conversation=conversation, action=f"escalate:{kind.value}")


def colleagues(session, *, user):
    """The youth workers a conversation can be handed to."""
    return session.exec(
        select(User)
        .where(User.role == Role.YOUTH_WORKER, User.active, User.id != user.id)
        .order_by(User.name)
    ).all()


def reassign(session, *, user, conversation, to):
    if to is None or to.role != Role.YOUTH_WORKER or not to.active or to.id == user.id:
        raise HelpError("youth_worker")
    conversation.assigned_to_id = to.id
    audit_log.record(session, user=user, conversation=conversation, action=f"reassign:{to.id}")


def close(session, *, user, conversation):
    _require_open(conversation)
    conversation.status = ConversationStatus.CLOSED
    conversation.closed_at = utcnow()
    audit_log.record(session, user=user, conversation=conversation, action="close")


def is_on_duty(session, *, user):
    return session.get(OnDuty, user.id) is not None


def set_on_duty(session, *, user, on):
    row = session.get(OnDuty, user.id)
    if on and row is None:
        session.add(OnDuty(user_id=user.id))
    elif not on and row is not None:
        session.delete(row)
    session.flush()


def counts(session, regions=None):
    """What coordinators see: numbers, never content; with `regions`, those
    of the questions naming a school of theirs (as in the reports)."""
    c = Conversation
    rows = session.exec(
        only_in_regions(
            select(c.topic, c.status, c.urgent, c.assigned_to_id.is_(None), func.count()),
            Conversation,
            regions,
        ).group_by(c.topic, c.status, c.urgent, c.assigned_to_id.is_(None))
    ).all()
    summary = {"open": 0, "closed": 0, "urgent_open": 0, "unassigned": 0, "by_topic": {}}
    for topic, status, urgent, unassigned, n in rows:
        summary[status.value if hasattr(status, "value") else status] += n
        if status == ConversationStatus.OPEN and urgent:
            summary["urgent_open"] += n
        if status == ConversationStatus.OPEN and unassigned:
            summary["unassigned"] += n
        key = topic.value if hasattr(topic, "value") else topic
        summary["by_topic"][key] = summary["by_topic"].get(key, 0) + n
    escalations = select(func.count()).select_from(Escalation).join(Conversation)
    summary["escalations"] = session.exec(only_in_regions(escalations, Conversation, regions)).one()
    return summary


@dataclass(frozen=True)
class InboxRow:
    """A line of a worker's inbox."""

    conversation: Conversation
    student_wrote_last: bool  # a new message waits for an answer
    last_at: datetime  # the last message's time (a student's: to the hour)
    preview: str  # the start of the last message from the student, on one line


PREVIEW_CHARACTERS = 90


def one_line(text, limit=PREVIEW_CHARACTERS):
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def inbox_rows(session, *, vault, user, status, page):
    """(`page` of InboxRow, total): urgent first, then those where the student
    wrote last, then the longest waiting. Showing a preview is a reading:
    each one is audited."""
    where = (Conversation.assigned_to_id == user.id, Conversation.status == status)
    total = session.exec(select(func.count()).select_from(Conversation).where(*where)).one()
    last_id = (
        select(Message.conversation_id, func.max(Message.id).label("message_id"))
        .group_by(Message.conversation_id)
        .subquery()
    )
    student_last = func.coalesce(Message.author == Author.STUDENT, True)
    rows = session.exec(
        page.of(
            select(Conversation, Message)
            .join(last_id, last_id.c.conversation_id == Conversation.id, isouter=True)
            .join(Message, Message.id == last_id.c.message_id, isouter=True)
            .where(*where)
            .order_by(
                Conversation.urgent.desc(),
                student_last.desc(),
                func.coalesce(Message.created_at, Conversation.created_at),
                Conversation.id,
            )
        )
    ).all()
    last_student = _last_student_messages(session, [c.id for c, _m in rows])
    shown = []
    for conversation, message in rows:
        body = last_student.get(conversation.id)
        preview = one_line(vault.decrypt(body)) if body else ""
        if preview:
            audit_log.record(session, user=user, conversation=conversation, action="preview")
        shown.append(
            InboxRow(
                conversation=conversation,
                student_wrote_last=message is None or message.author == Author.STUDENT,
                last_at=message.created_at if message else conversation.created_at,
                preview=preview,
            )
        )
    return shown, total


def _last_student_messages(session, conversation_ids):
    """{conversation id: body} of each conversation's last message from the student."""
    if not conversation_ids:
        return {}
    last = (
        select(func.max(Message.id))
        .where(Message.conversation_id.in_(conversation_ids), Message.author == Author.STUDENT)
        .group_by(Message.conversation_id)
    )
    rows = session.exec(select(Message.conversation_id, Message.body).where(Message.id.in_(last)))
    return dict(rows.all())


def days_since(moment, now):
    """Whole calendar days, in Quebec, from `moment` to `now` (0 the same day):
    a question of 22 h is "today" until midnight there, not until 19 h
    (midnight UTC)."""
    return max((local_date(now) - local_date(moment)).days, 0)


def set_urgent(session, *, user, conversation, urgent):
    """A worker marks a question urgent (reason "worker") or takes the mark off."""
    if conversation.urgent == urgent:
        return False
    conversation.urgent = urgent
    conversation.urgent_reason = "worker" if urgent else None
    audit_log.record(
        session, user=user, conversation=conversation, action="urgent" if urgent else "not-urgent"
    )
    return True
