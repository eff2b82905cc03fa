"""Two-week visits to a school and the class sessions delivered during them."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.db import UTCDateTime, string_enum, utcnow


class VisitStatus(enum.StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class RecordAction(enum.StrEnum):
    DELIVERED = "delivered"  # first recorded
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"  # put back to planned


class VisitWorker(SQLModel, table=True):
    """A member of a visit's team (prevention workers, and a police officer)."""

    __tablename__ = "visit_worker"

    visit_id: int = Field(foreign_key="visit.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="RESTRICT")


class Visit(SQLModel, table=True):
    __tablename__ = "visit"

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="RESTRICT")
    starts_on: date
    ends_on: date  # the tenth school day, computed from the school's calendar
    status: VisitStatus = Field(default=VisitStatus.PLANNED, sa_type=string_enum(VisitStatus))
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    sessions: list["ClassSession"] = Relationship(
        back_populates="visit", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )


class SessionPresenter(SQLModel, table=True):
    __tablename__ = "session_presenter"

    session_id: int = Field(foreign_key="class_session.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="RESTRICT")


class ClassSession(SQLModel, table=True):
    """A module delivered to one class group, on a day, over one or more periods."""

    __tablename__ = "class_session"
    __table_args__ = (
        sa.CheckConstraint("period_count >= 1", name="period_count_positive"),
        # A delivered session says what it taught (app/visits/records.py).
        sa.CheckConstraint(
            "status <> 'delivered' OR delivered_module_id IS NOT NULL",
            name="delivered_module_recorded",
        ),
        # The reach report reads delivered sessions by day, and only these
        # columns of them: it reads the index alone, never the table's rows
        # (bench/reports.py; docs/performance.md).
        sa.Index(
            "ix_class_session_report",
            "status",
            "on_date",
            "visit_id",
            "class_group_id",
            "module_id",
            "delivered_module_id",
            "attendance",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    class_group_id: int = Field(foreign_key="class_group.id", index=True, ondelete="RESTRICT")
    module_id: int = Field(foreign_key="curriculum_module.id", ondelete="RESTRICT")
    on_date: date = Field(index=True)
    first_period: int  # the bell period's number, from 1
    period_count: int = Field(default=1)
    room: str = Field(default="", max_length=40)
    status: SessionStatus = Field(default=SessionStatus.PLANNED, sa_type=string_enum(SessionStatus))
    locked: bool = Field(default=False)  # the planner leaves it where it is
    cancel_reason: str = Field(default="", max_length=300)
    # Recorded on delivery: what the reach reports count. No student names.
    attendance: int | None = Field(default=None)
    attendance_girls: int | None = Field(default=None)
    attendance_boys: int | None = Field(default=None)
    attendance_other: int | None = Field(default=None)
    delivered_module_id: int | None = Field(default=None, foreign_key="curriculum_module.id")
    notes: str = Field(default="", max_length=2000)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Bumped by every change a calendar should see: the feeds' SEQUENCE.
    revision: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    visit: Visit = Relationship(back_populates="sessions")


class RecordChange(SQLModel, table=True):
    """Who recorded, corrected or withdrew a session's delivery record, and when.

    The reach reports count the records: this is how a figure that changed
    since a report was printed is explained. An entry outlives its session
    (the planner may replace a session put back to planned): it keeps its
    visit, the session's class group name and day.
    """

    __tablename__ = "record_change"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True, ondelete="CASCADE")
    class_session_id: int | None = Field(
        default=None, foreign_key="class_session.id", index=True, ondelete="SET NULL"
    )
    user_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    action: RecordAction = Field(sa_type=string_enum(RecordAction))
    group_name: str = Field(max_length=40)
    on_date: date
    # {field: [before, after]} for the fields that changed; counts and module ids only.
    changes: dict = Field(default_factory=dict, sa_type=sa.JSON)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ShareToken(SQLModel, table=True):
    """A long random token that opens something without signing in.

    For a school: its share page and its calendar feed. For a person: their
    calendar feed. Only the token's SHA-256 digest is kept (app/visits/sharing.py):
    the token is shown once, when made. Revoked tokens stay (revoked_at set) so
    that a revoked link is recognized as such in the logs of whoever set it up,
    and is never reused.
    """

    __tablename__ = "share_token"
    __table_args__ = (
        sa.CheckConstraint("(school_id IS NULL) <> (user_id IS NULL)", name="one_owner"),
    )

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(max_length=64, unique=True)  # SHA-256 of the token, hex
    school_id: int | None = Field(
        default=None, foreign_key="school.id", index=True, ondelete="CASCADE"
    )
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="CASCADE"
    )
    lang: str = Field(default="fr", max_length=2)  # the language of the feed's texts
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
