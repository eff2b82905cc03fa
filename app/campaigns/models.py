"""Distribution records: what a worker or a coordinator handed to a school
for an awareness campaign (posters, flyers), a campaign day held there, and
the students reached at a kiosk. Counts only, never names."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class DistributionRecord(SQLModel, table=True):
    __tablename__ = "distribution_record"
    __table_args__ = (
        sa.CheckConstraint("posters >= 0", name="posters_positive"),
        sa.CheckConstraint("flyers >= 0", name="flyers_positive"),
        sa.CheckConstraint("kiosk_students >= 0", name="kiosk_students_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # A campaign is a file, not a row (like a module's slug before its mirror).
    campaign_slug: str = Field(max_length=80, index=True)
    school_id: int = Field(foreign_key="school.id", index=True, ondelete="RESTRICT")
    # The reach report reads records by day.
    on_date: date = Field(index=True)
    posters: int = 0
    flyers: int = 0
    campaign_day: bool = False
    kiosk_students: int = 0
    note: str = Field(default="", max_length=500)
    recorded_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
