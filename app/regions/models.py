"""Which regions a staff member works in (`user_region`). A user with no row
is provincial: their reports and school lists cover every region."""

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.regions.data import CODES


def known_region(column):
    """A CHECK that `column` holds one of the 17 codes: the database refuses
    anything else, whichever path wrote it (form, import, script)."""
    codes = ", ".join(f"'{code}'" for code in CODES)
    return sa.CheckConstraint(f"{column} IN ({codes})", name=f"{column}_known")


class UserRegion(SQLModel, table=True):
    __tablename__ = "user_region"
    __table_args__ = (known_region("region_code"),)

    user_id: int = Field(foreign_key="user_account.id", primary_key=True, ondelete="CASCADE")
    region_code: str = Field(max_length=2, primary_key=True)
