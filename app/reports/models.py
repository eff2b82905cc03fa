"""What the reports store: personal API tokens, and the figures partners
enter that the site cannot know (arrests, referrals, information exchanges)."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class ApiToken(SQLModel, table=True):
    """A coordinator's personal token for /api/v1/. Only its SHA-256 digest
    is stored: the token itself is shown once, when it is made."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    digest: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PartnerFigure(SQLModel, table=True):
    """One entry of a partner's figure for a period. Entries are never changed
    or deleted: a correction is a new entry, so the history stays; the
    latest entry for an indicator and period is the figure."""

    __tablename__ = "partner_figure"
    __table_args__ = (
        sa.CheckConstraint("value >= 0", name="value_positive"),
        sa.CheckConstraint("period_start <= period_end", name="period_order"),
        sa.Index("ix_partner_figure_lookup", "indicator", "period_start", "period_end"),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator: str = Field(max_length=60)
    period_start: date
    period_end: date
    value: int
    source: str = Field(max_length=300)
    note: str = Field(default="", max_length=2000)
    entered_by_id: int | None = Field(
        default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
