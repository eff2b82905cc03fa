"""School service centres, schools and their bell schedules, class groups,
school years and the days without classes."""

import enum
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from app.db import UTCDateTime, string_enum, utcnow
from app.regions.models import known_region

GRADES = ("sec1", "sec2", "sec3", "sec4", "sec5")


class ServiceCentre(SQLModel, table=True):
    """A centre de services scolaire (or an English school board), in one of
    Quebec's 17 administrative regions (`region_code`, app/data/regions.yaml)."""

    __tablename__ = "service_centre"
    __table_args__ = (known_region("region_code"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    region_code: str = Field(max_length=2, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    schools: list["School"] = Relationship(back_populates="service_centre")


class School(SQLModel, table=True):
    """A school carries its own region code (a centre may straddle two
    regions); the school form proposes its centre's. Reports and school lists
    limited to regions read this code, never the centre's."""

    __tablename__ = "school"
    __table_args__ = (sa.UniqueConstraint("service_centre_id", "name"), known_region("region_code"))

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    service_centre_id: int = Field(foreign_key="service_centre.id", index=True, ondelete="RESTRICT")
    address: str = Field(default="", max_length=300)
    city: str = Field(max_length=100)
    region_code: str = Field(max_length=2, index=True)
    contact_name: str = Field(default="", max_length=200)
    contact_email: str = Field(default="", max_length=254)
    contact_phone: str = Field(default="", max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    service_centre: ServiceCentre = Relationship(back_populates="schools")
    periods: list["BellPeriod"] = Relationship(
        back_populates="school",
        sa_relationship_kwargs={"order_by": "BellPeriod.number", "cascade": "all, delete-orphan"},
    )


class BellPeriod(SQLModel, table=True):
    """One period of a school's day: number, start and end (local time)."""

    __tablename__ = "bell_period"
    __table_args__ = (sa.UniqueConstraint("school_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    number: int
    starts_at: time
    ends_at: time

    school: School = Relationship(back_populates="periods")


class SchoolYear(SQLModel, table=True):
    """A school year, e.g. 2026-2027, from its first to its last day of classes."""

    __tablename__ = "school_year"

    id: int | None = Field(default=None, primary_key=True)
    label: str = Field(max_length=9, unique=True)
    starts_on: date
    ends_on: date


class DayOffKind(enum.StrEnum):
    STATUTORY = "statutory"  # Quebec's statutory holidays: every school
    PEDAGOGICAL = "pedagogical"  # a service centre's pedagogical day
    BREAK = "break"  # a service centre's break (holidays, spring break)
    EXCEPTION = "exception"  # one school only


class DayOff(SQLModel, table=True):
    """Days without classes, from `starts_on` to `ends_on` inclusive.

    Scope: neither centre nor school — every school (statutory holidays);
    a service centre — every school of that centre; a school — that school.
    """

    __tablename__ = "day_off"

    id: int | None = Field(default=None, primary_key=True)
    school_year_id: int = Field(foreign_key="school_year.id", index=True, ondelete="CASCADE")
    starts_on: date
    ends_on: date
    kind: DayOffKind = Field(sa_type=string_enum(DayOffKind))
    reason: str = Field(max_length=200)
    service_centre_id: int | None = Field(
        default=None, foreign_key="service_centre.id", index=True, ondelete="CASCADE"
    )
    school_id: int | None = Field(
        default=None, foreign_key="school.id", index=True, ondelete="CASCADE"
    )


class ClassGroup(SQLModel, table=True):
    """A class group of a school for one school year (e.g. group 201, Secondary 2)."""

    __tablename__ = "class_group"
    __table_args__ = (sa.UniqueConstraint("school_id", "school_year_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="CASCADE")
    school_year_id: int = Field(foreign_key="school_year.id", index=True, ondelete="RESTRICT")
    grade: str = Field(max_length=4)
    name: str = Field(max_length=40)
    teacher_name: str = Field(default="", max_length=200)
    size: int | None = Field(default=None)
