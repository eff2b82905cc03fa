"""The anonymous box: asking, finding a conversation by passphrase, replying.

Services take and return plain values; they never see a request, so they
cannot record an address even by mistake. Bodies go through the vault on the
way in and out.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote_to_bytes

from sqlmodel import select

from app.db import utcnow
from app.help import passphrase as passphrases
from app.help import routing
from app.help.errors import HelpError
from app.help.models import Author, Conversation, ConversationStatus, Message, Topic
from app.help.urgency import is_urgent

MAX_BODY = 5000
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_the_hour(moment=None):
    """A time rounded down to the hour: what is stored of when a student acted."""
    return (moment or utcnow()).replace(minute=0, second=0, microsecond=0)


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


@dataclass
class Asked:
    conversation: Conversation
    passphrase: str


def ask(session, *, vault, body, topic, school_id, lang, today):
    """A new conversation, routed; the passphrase is returned once and never stored."""
    text = clean_body(body)
    topic = Topic(topic)
    secret = passphrases.generate(lang)
    now = to_the_hour()
    urgent = is_urgent(text)
    conversation = Conversation(
        passphrase_digest=vault.digest(passphrases.normalise(secret)),
        lang=lang,
        topic=topic,
        school_id=school_id,
        urgent=urgent,
        assigned_to_id=routing.route(session, school_id=school_id, urgent=urgent, today=today),
        created_at=now,
        last_student_at=now,
    )
    session.add(conversation)
    session.flush()
    session.add(
        Message(
            conversation_id=conversation.id,
            author=Author.STUDENT,
            body=vault.encrypt(text),
            created_at=now,
        )
    )
    session.flush()
    return Asked(conversation=conversation, passphrase=secret)


def find(session, *, vault, passphrase):
    """The conversation this passphrase opens, or None (one answer for every failure)."""
    words = passphrases.normalise(passphrase)
    if len(words.split()) != passphrases.WORDS:
        return None
    return session.exec(
        select(Conversation).where(Conversation.passphrase_digest == vault.digest(words))
    ).first()


def student_reply(session, *, vault, conversation, body):
    """The student writes again; returns True if this made the conversation urgent."""
    if conversation.status == ConversationStatus.CLOSED:
        raise HelpError("closed")
    text = clean_body(body)
    now = to_the_hour()
    session.add(
        Message(
            conversation_id=conversation.id,
            author=Author.STUDENT,
            body=vault.encrypt(text),
            created_at=now,
        )
    )
    conversation.last_student_at = now
    became_urgent = not conversation.urgent and is_urgent(text)
    conversation.urgent = conversation.urgent or became_urgent
    session.flush()
    return became_urgent


@dataclass(frozen=True)
class ShownMessage:
    author: Author
    text: str
    at: datetime


def messages(session, *, vault, conversation):
    rows = session.exec(
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .order_by(Message.created_at, Message.id)
    ).all()
    return [ShownMessage(m.author, vault.decrypt(m.body), m.created_at) for m in rows]
