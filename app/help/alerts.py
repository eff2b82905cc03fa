"""Urgent alerts: an outbox, and a sender that retries.

An alert is an e-mail that says an urgent question is waiting, and nothing
else: no topic, no school, no words of the question, since an e-mail leaves
the site and may be read on a shared phone. It is written in both languages,
since accounts carry no language.

Save first, alert after. The question and its alerts are saved in one
transaction (`queue`); the e-mails are sent later by `send_due`, so a mail
server that is down or slow never changes what the student sees. Two rows
per urgent question:

- URGENT, due at once: to the on-duty youth workers (or, when nobody is on
  duty, to the worker the question was routed to);
- UNOPENED, due HELP_URGENT_REMINDER_MINUTES later: dropped if a worker has
  opened the conversation since it became urgent, else sent to the on-duty
  pool and the assigned worker again, and to the coordinators who may see
  the school.

`send_due` is run by the in-process runner (app/help/alert_runner.py), woken
after each request that queued an alert and every minute, and by
`flask help send-alerts` (a timer in the deploy files, as a second line).
Several processes may run it at once: each row is claimed by an UPDATE that
only one of them wins. A failed sending is retried with a growing delay
(1, 2, 4 … up to 30 minutes), as long as it takes; a row is deleted once sent.
Nothing is logged per alert: a log line's time would tell when an urgent
question was asked (the runner warns about failures on its own schedule).
"""

import smtplib
from datetime import timedelta

from sqlalchemy import or_, update
from sqlmodel import select

from app.accounts.models import User
from app.db import to_the_hour, utcnow
from app.help import audit_log, routing
from app.help.models import Alert, AlertKind, Conversation, ConversationStatus
from app.mail import send_mail
from app.schools.services import may_see_school
from app.security import Role

SUBJECTS = {
    AlertKind.URGENT: "MOBILIS – Question urgente / Urgent question",
    AlertKind.UNOPENED: "MOBILIS – Question urgente non ouverte / Urgent question not opened",
}
BODIES = {
    AlertKind.URGENT: (
        "Une nouvelle question urgente attend dans la boîte de MOBILIS Prévention.\n"
        "A new urgent question is waiting in the MOBILIS Prévention inbox.\n"
    ),
    AlertKind.UNOPENED: (
        "Une question urgente attend depuis plus de {minutes} minutes et personne ne l’a "
        "encore ouverte dans la boîte de MOBILIS Prévention.\n"
        "An urgent question has been waiting for more than {minutes} minutes and nobody "
        "has opened it yet in the MOBILIS Prévention inbox.\n"
    ),
}
# Long enough for the slowest sending (each SMTP step may wait MAIL_TIMEOUT).
CLAIM = timedelta(minutes=10)
MAX_DELAY = timedelta(minutes=30)
# What a failed sending raises: the server refused, is unreachable or timed out.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def queue(session, *, conversation, now, remind_after):
    """The alerts of a conversation that has just become urgent (same transaction).

    The first is due at the hour's start (due at once, and no finer time in
    the table); the reminder needs its minute, for at most its half hour."""
    session.add(
        Alert(kind=AlertKind.URGENT, conversation_id=conversation.id, due_at=to_the_hour(now))
    )
    session.add(
        Alert(kind=AlertKind.UNOPENED, conversation_id=conversation.id, due_at=now + remind_after)
    )
    session.flush()


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failure: 1, 2, 4 … 30 minutes."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_DELAY)


def _emails(session, ids):
    if not ids:
        return []
    return list(
        session.exec(
            select(User.email).where(User.id.in_(ids), User.active).order_by(User.email)
        ).all()
    )


def _coordinators(session, school_id):
    """Active coordinators who may see the school (all of them for no school)."""
    users = session.exec(select(User).where(User.role == Role.COORDINATOR, User.active)).all()
    return {u.id for u in users if school_id is None or may_see_school(session, u, school_id)}


def recipients(session, *, alert, conversation):
    """Who hears of it; for the first alert, when nobody is on duty and no active
    worker has it, the coordinators, so that it is never dropped unheard."""
    pool = routing.on_duty(session)
    if alert.kind == AlertKind.URGENT:
        ids = pool or ({conversation.assigned_to_id} - {None})
        emails = _emails(session, ids)
        return emails or _emails(session, _coordinators(session, conversation.school_id))
    else:
        ids = pool | ({conversation.assigned_to_id} - {None})
        ids |= _coordinators(session, conversation.school_id)
    return _emails(session, ids)


def still_needed(session, *, alert, conversation, remind_after):
    if conversation is None or not conversation.urgent:
        return False
    if conversation.status != ConversationStatus.OPEN:
        return False
    if alert.kind == AlertKind.UNOPENED:
        since = alert.due_at - remind_after
        return not audit_log.opened_since(session, conversation_id=conversation.id, since=since)
    return True


def _claim(session, alert_id, now):
    """Take the row for CLAIM from this moment (the clock's, read now: a pass
    that sends slowly must not claim its last rows with its first time)."""
    moment = max(now, utcnow())
    result = session.execute(
        update(Alert)
        .where(
            Alert.id == alert_id,
            Alert.due_at <= now,
            or_(Alert.claimed_until.is_(None), Alert.claimed_until < moment),
        )
        .values(claimed_until=moment + CLAIM)
    )
    session.commit()
    return result.rowcount == 1


def _failed(session, alert, now, reason):
    alert.attempts += 1
    alert.due_at = now + retry_delay(alert.attempts)
    alert.claimed_until = None
    alert.last_error = reason[:200]
    session.commit()


def send_due(session, *, now, remind_after, send=send_mail, limit=100):
    """Send the alerts that are due; returns (sent, failed). Commits per row."""
    due = session.exec(
        select(Alert.id).where(Alert.due_at <= now).order_by(Alert.due_at, Alert.id).limit(limit)
    ).all()
    sent = failed = 0
    for alert_id in due:
        if not _claim(session, alert_id, now):
            continue  # another process has it, or it was sent meanwhile
        alert = session.get(Alert, alert_id)
        session.refresh(alert)
        try:
            outcome = _send_one(session, alert=alert, remind_after=remind_after, send=send)
        except SEND_ERRORS as error:
            _failed(session, alert, now, type(error).__name__)
            failed += 1
            continue
        except Exception as error:  # a bug must not hold the row, nor the others
            session.rollback()
            alert = session.get(Alert, alert_id)
            _failed(session, alert, now, f"error: {type(error).__name__}")
            failed += 1
            continue
        if outcome == "no recipient":
            _failed(session, alert, now, outcome)
            failed += 1
            continue
        sent += outcome == "sent"
        session.delete(alert)
        session.commit()
    return sent, failed


def _send_one(session, *, alert, remind_after, send):
    """'sent', 'dropped' (no longer needed) or 'no recipient'."""
    conversation = session.get(Conversation, alert.conversation_id)
    if not still_needed(session, alert=alert, conversation=conversation, remind_after=remind_after):
        return "dropped"
    to = recipients(session, alert=alert, conversation=conversation)
    if not to:
        return "no recipient"
    minutes = int(remind_after.total_seconds() // 60)
    send(to=to, subject=SUBJECTS[alert.kind], body=BODIES[alert.kind].format(minutes=minutes))
    return "sent"


def pending(session):
    """How many alerts wait, and the most attempts any has had (for the operator)."""
    rows = session.exec(select(Alert.attempts)).all()
    return len(rows), max(rows, default=0)
