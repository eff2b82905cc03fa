"""The table scheduling keeps itself: the times people cannot present."""

from datetime import date, time

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Absence(SQLModel, table=True):
    """A time a worker cannot present: the planner books nobody then."""

    __tablename__ = "absence"
    __table_args__ = (
        sa.CheckConstraint(
            "(starts_at IS NULL AND ends_at IS NULL) OR (starts_at < ends_at)",
            name="time_range",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    on_date: date = Field(index=True)
    starts_at: time | None = Field(default=None)  # both empty: the whole day
    ends_at: time | None = Field(default=None)
    note: str = Field(default="", max_length=200)
