"""Anonymous conversations and what the youth workers do with them.

Nothing here can lead back to a student: no address, no browser, no account;
bodies are AES-GCM tokens of one size, with no time in them (app/help/vault.py);
the passphrase and a form's one-time token are only keyed hashes; the times a
student acted are rounded down to the hour. Messages are read in the order of
their ids, the order they were written in, not by their rounded times.
docs/security.md says what a database dump shows, field by field.
"""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, string_enum, utcnow


class Topic(enum.StrEnum):
    RELATIONSHIPS = "relationships"
    ONLINE = "online"
    PRESSURE = "pressure"  # pressure or money
    GANGS = "gangs"
    FRIEND = "friend"
    OTHER = "other"


class ConversationStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Author(enum.StrEnum):
    STUDENT = "student"
    WORKER = "worker"


class EscalationKind(enum.StrEnum):
    YOUTH_PROTECTION = "youth_protection"  # a report under the Youth Protection Act
    POLICE = "police"
    OTHER_SERVICE = "other_service"


class Conversation(SQLModel, table=True):
    __tablename__ = "help_conversation"

    id: int | None = Field(default=None, primary_key=True)
    passphrase_digest: str = Field(max_length=64, unique=True)  # HMAC-SHA256, hex
    lang: str = Field(max_length=2)
    topic: Topic = Field(sa_type=string_enum(Topic))
    school_id: int | None = Field(
        default=None, foreign_key="school.id", index=True, ondelete="SET NULL"
    )
    urgent: bool = Field(default=False)
    # Why it is urgent: an urgency category (app/help/urgency.py) or "worker"
    # when a youth worker marked it by hand.
    urgent_reason: str | None = Field(default=None, max_length=20)
    # The keyed hash of the ask form's one-time token: the same form sent
    # twice (a reload, a double tap) makes one conversation.
    submission_digest: str | None = Field(default=None, max_length=64, unique=True)
    status: ConversationStatus = Field(
        default=ConversationStatus.OPEN, sa_type=string_enum(ConversationStatus)
    )
    assigned_to_id: int | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL"
    )
    # Rounded down to the hour: a question cannot be matched to a class period.
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_student_at: datetime = Field(sa_type=UTCDateTime)
    first_reply_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    first_reply_hours: int | None = Field(default=None)  # for the reports' median
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


class Message(SQLModel, table=True):
    __tablename__ = "help_message"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="help_conversation.id", index=True, ondelete="CASCADE")
    author: Author = Field(sa_type=string_enum(Author))
    worker_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    body: str = Field(sa_type=sa.Text)  # an AES-GCM token of one size, never the text
    # A student's: rounded down to the hour; a worker's: exact.
    created_at: datetime = Field(sa_type=UTCDateTime)
    # The reply form's one-time token, hashed (see Conversation).
    submission_digest: str | None = Field(default=None, max_length=64, unique=True)


class Note(SQLModel, table=True):
    """An internal note on a conversation: staff only, encrypted like messages."""

    __tablename__ = "help_note"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="help_conversation.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Escalation(SQLModel, table=True):
    """A report or referral made about a conversation: who, what kind, when."""

    __tablename__ = "help_escalation"

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="help_conversation.id", index=True, ondelete="CASCADE")
    kind: EscalationKind = Field(sa_type=string_enum(EscalationKind))
    service: str = Field(default="", max_length=200)  # which service, for other_service
    by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditEntry(SQLModel, table=True):
    """Every time staff read or act on a conversation."""

    __tablename__ = "help_audit"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    conversation_id: int | None = Field(default=None, index=True)  # kept after a purge
    action: str = Field(max_length=40)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class SchoolWorker(SQLModel, table=True):
    """A youth worker assigned to a school: its questions go to them first."""

    __tablename__ = "help_school_worker"

    school_id: int = Field(foreign_key="school.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")


class OnDuty(SQLModel, table=True):
    """A youth worker on duty: urgent questions and unrouted ones go to them."""

    __tablename__ = "help_on_duty"

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    since: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MonthlyCount(SQLModel, table=True):
    """Counts kept when conversations are purged, so reports lose nothing."""

    __tablename__ = "help_monthly_count"
    __table_args__ = (sa.UniqueConstraint("month", "topic", "school_id", "urgent"),)

    id: int | None = Field(default=None, primary_key=True)
    month: date  # the first day of the month the question was asked
    topic: Topic = Field(sa_type=string_enum(Topic))
    school_id: int | None = Field(
        default=None, foreign_key="school.id", index=True, ondelete="SET NULL"
    )
    urgent: bool
    questions: int = Field(default=0)
    answered: int = Field(default=0)
    escalations: int = Field(default=0)


class AlertKind(enum.StrEnum):
    URGENT = "urgent"  # a question became urgent: the on-duty pool
    UNOPENED = "unopened"  # still not opened: the pool again, and coordinators


class Alert(SQLModel, table=True):
    """An alert e-mail waiting to be sent (app/help/alerts.py): the outbox.

    The question is saved first and its alert waits here, so a mail server
    that is down or slow never changes what the student sees. A row is
    deleted once sent; while it waits it names its conversation and the
    minute it is due (docs/security.md).
    """

    __tablename__ = "help_alert"

    id: int | None = Field(default=None, primary_key=True)
    kind: AlertKind = Field(sa_type=string_enum(AlertKind))
    conversation_id: int = Field(foreign_key="help_conversation.id", index=True, ondelete="CASCADE")
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    attempts: int = Field(default=0)
    # A sender that takes the row holds it until then (several processes may send).
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", max_length=200)
