"""Joint presentations (a police officer and a youth-house worker together)
and the requests schools send for a presentation or a two-week visit."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, string_enum, utcnow


class Audience(enum.StrEnum):
    BOARD = "board"  # a school service centre's board
    STAFF = "staff"  # a school's staff
    PARENTS = "parents"
    STUDENTS = "students"
    PARTNERS = "partners"  # community partners


class PresentationStatus(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Presentation(SQLModel, table=True):
    __tablename__ = "presentation"
    __table_args__ = (
        sa.CheckConstraint("starts_at < ends_at", name="time_order"),
        sa.CheckConstraint("expected_audience IS NULL OR expected_audience >= 0", name="expected"),
        sa.CheckConstraint("actual_audience IS NULL OR actual_audience >= 0", name="actual"),
    )

    id: int | None = Field(default=None, primary_key=True)
    audience: Audience = Field(sa_type=string_enum(Audience))
    organisation: str = Field(max_length=200)  # who it is for, as they call themselves
    school_id: int | None = Field(
        default=None, foreign_key="school.id", index=True, ondelete="RESTRICT"
    )
    service_centre_id: int | None = Field(
        default=None, foreign_key="service_centre.id", index=True, ondelete="RESTRICT"
    )
    on_date: date = Field(index=True)
    starts_at: time
    ends_at: time
    online: bool = Field(default=False)
    place: str = Field(default="", max_length=200)  # an address or a room; empty when online
    expected_audience: int | None = Field(default=None)
    actual_audience: int | None = Field(default=None)  # recorded once it is held
    follow_ups: str = Field(default="", max_length=2000)
    notes: str = Field(default="", max_length=2000)
    status: PresentationStatus = Field(
        default=PresentationStatus.PLANNED, sa_type=string_enum(PresentationStatus)
    )
    cancel_reason: str = Field(default="", max_length=300)
    request_id: int | None = Field(
        default=None, foreign_key="school_request.id", index=True, ondelete="SET NULL"
    )
    created_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Bumped by every change a calendar should see: the feeds' SEQUENCE.
    revision: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PresentationPresenter(SQLModel, table=True):
    __tablename__ = "presentation_presenter"

    presentation_id: int = Field(
        foreign_key="presentation.id", primary_key=True, ondelete="CASCADE"
    )
    user_id: int = Field(
        foreign_key="user_account.id", primary_key=True, index=True, ondelete="RESTRICT"
    )


class PresentationModule(SQLModel, table=True):
    """A module used as material in a presentation."""

    __tablename__ = "presentation_module"

    presentation_id: int = Field(
        foreign_key="presentation.id", primary_key=True, ondelete="CASCADE"
    )
    module_id: int = Field(
        foreign_key="curriculum_module.id", primary_key=True, ondelete="RESTRICT"
    )


class RequestKind(enum.StrEnum):
    PRESENTATION = "presentation"
    VISIT = "visit"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class SchoolRequest(SQLModel, table=True):
    """A school or service centre asks for a presentation or a two-week visit.

    Sent through the public form: the requester is school staff, never a
    student. Accepting links it to the visit or presentation made from it.
    """

    __tablename__ = "school_request"
    __table_args__ = (
        sa.CheckConstraint("group_count IS NULL OR group_count >= 1", name="group_count"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: RequestKind = Field(sa_type=string_enum(RequestKind))
    audience: Audience | None = Field(default=None, sa_type=string_enum(Audience))
    organisation: str = Field(max_length=200)
    school_id: int | None = Field(
        default=None, foreign_key="school.id", index=True, ondelete="SET NULL"
    )
    contact_name: str = Field(max_length=200)
    contact_email: str = Field(max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    preferred_periods: str = Field(default="", max_length=1000)
    group_count: int | None = Field(default=None)
    notes: str = Field(default="", max_length=2000)
    lang: str = Field(default="fr", max_length=2)  # the requester's language, for e-mails
    status: RequestStatus = Field(
        default=RequestStatus.OPEN, sa_type=string_enum(RequestStatus), index=True
    )
    decision_message: str = Field(default="", max_length=2000)
    decided_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
