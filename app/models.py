"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.accounts.models import Partner, User
from app.curriculum.models import CurriculumModule
from app.schools.models import (
    BellPeriod,
    ClassGroup,
    DayOff,
    School,
    SchoolYear,
    ServiceCentre,
)

__all__ = [
    "BellPeriod",
    "ClassGroup",
    "CurriculumModule",
    "DayOff",
    "Partner",
    "School",
    "SchoolYear",
    "ServiceCentre",
    "User",
]
