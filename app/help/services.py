"""The anonymous box: asking, finding a conversation by passphrase, replying.

Services take and return plain values; they never see a request, so they
cannot record an address even by mistake. Bodies go through the vault on the
way in and out.

Each form carries a one-time token (`submission`), made when the form is
shown; its keyed hash is stored with what the form saved, unique. The same
form sent twice (a reload of the answer, a double tap, a retry on a bad
network) saves once and raises AlreadySent the second time, even when both
arrive at once: the database's unique index decides.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import unquote_to_bytes

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.db import to_the_hour, utcnow
from app.help import alerts, routing
from app.help import passphrase as passphrases
from app.help.errors import HelpError
from app.help.models import Author, Conversation, ConversationStatus, Message, Topic
from app.help.urgency import assess
from app.schools.models import School

MAX_BODY = 5000
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decodes(text):
    """False for bytes the browser sent that are not UTF-8: the form parser
    leaves them percent-encoded ("caf%E9"), which would store mangled text."""
    try:
        unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean_body(text):
    """The message as it will be stored, or HelpError."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise HelpError("empty")
    if len(text) > MAX_BODY:
        raise HelpError("too_long")
    if "\ufffd" in text or _CONTROL.search(text) or not _decodes(text):
        raise HelpError("encoding")
    if _TAG.search(text):
        raise HelpError("markup")
    return text


class AlreadySent(HelpError):
    """This form was sent before: what it carried is saved once already."""

    def __init__(self):
        super().__init__("already_sent")


def _submission_digest(vault, kind, submission):
    return vault.digest(f"{kind}:{submission}") if submission else None


def _save_once(session, rows, *, digest_of, model):
    """Add `rows`; AlreadySent if a row of `model` has this digest.

    No savepoint: on SQLite, pysqlite sends no BEGIN before one, so releasing
    it would commit the request's work half done. Saving the form is the
    request's first write, so a refusal rolls the whole session back."""
    if (
        digest_of is not None
        and session.exec(select(model.id).where(model.submission_digest == digest_of)).first()
    ):
        raise AlreadySent()
    try:
        for row in rows:
            session.add(row)
            session.flush()
    except IntegrityError:  # the same form, sent at the same moment
        session.rollback()
        if digest_of is None:
            raise
        raise AlreadySent() from None


# The largest id a database's integer column holds (PostgreSQL's): a larger
# number sent in a form is no school, and must not reach the database.
LARGEST_ID = 2**31 - 1


def _is_a_school(session, school_id):
    return 0 < school_id <= LARGEST_ID and session.get(School, school_id) is not None


@dataclass
class Asked:
    conversation: Conversation
    passphrase: str


def ask(
    session,
    *,
    vault,
    body,
    topic,
    school_id,
    lang,
    today,
    submission=None,
    remind_after=timedelta(minutes=30),
):
    """A new conversation, routed; the passphrase is returned once and never stored.

    An urgent one has its alerts queued in the same transaction (alerts.py)."""
    text = clean_body(body)
    topic = Topic(topic)
    if school_id is not None and not _is_a_school(session, school_id):
        school_id = None  # gone since the form was drawn: kept, without a school
    secret = passphrases.generate(lang)
    now = to_the_hour()
    assessment = assess(text, lang)
    conversation = Conversation(
        passphrase_digest=vault.digest(passphrases.normalise(secret)),
        submission_digest=_submission_digest(vault, "ask", submission),
        lang=lang,
        topic=topic,
        school_id=school_id,
        urgent=assessment.urgent,
        urgent_reason=assessment.reason,
        assigned_to_id=routing.route(
            session, school_id=school_id, urgent=assessment.urgent, today=today
        ),
        created_at=now,
        last_student_at=now,
    )
    _save_once(
        session, [conversation], digest_of=conversation.submission_digest, model=Conversation
    )
    session.add(
        Message(
            conversation_id=conversation.id,
            author=Author.STUDENT,
            body=vault.encrypt(text),
            created_at=now,
        )
    )
    session.flush()
    if assessment.urgent:
        alerts.queue(session, conversation=conversation, now=utcnow(), remind_after=remind_after)
    return Asked(conversation=conversation, passphrase=secret)


def find(session, *, vault, passphrase):
    """The conversation this passphrase opens, or None (one answer for every failure)."""
    words = passphrases.normalise(passphrase)
    if len(words.split()) != passphrases.WORDS:
        return None
    return session.exec(
        select(Conversation).where(Conversation.passphrase_digest == vault.digest(words))
    ).first()


def student_reply(
    session, *, vault, conversation, body, submission=None, remind_after=timedelta(minutes=30)
):
    """The student writes again; returns True if this made the conversation urgent."""
    if conversation.status == ConversationStatus.CLOSED:
        raise HelpError("closed")
    text = clean_body(body)
    now = to_the_hour()
    message = Message(
        conversation_id=conversation.id,
        author=Author.STUDENT,
        body=vault.encrypt(text),
        created_at=now,
        submission_digest=_submission_digest(vault, "reply", submission),
    )
    _save_once(session, [message], digest_of=message.submission_digest, model=Message)
    conversation.last_student_at = now
    assessment = assess(text, conversation.lang)
    became_urgent = not conversation.urgent and assessment.urgent
    if became_urgent:
        conversation.urgent = True
        conversation.urgent_reason = assessment.reason
    session.flush()
    if became_urgent:
        alerts.queue(session, conversation=conversation, now=utcnow(), remind_after=remind_after)
    return became_urgent


@dataclass(frozen=True)
class ShownMessage:
    author: Author
    text: str
    at: datetime


def messages(session, *, vault, conversation):
    """The conversation's messages in the order they were written (their ids:
    a student's time is rounded to the hour, so times cannot order them)."""
    rows = session.exec(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
    ).all()
    return [ShownMessage(m.author, vault.decrypt(m.body), m.created_at) for m in rows]
