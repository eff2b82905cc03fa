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
from app.visits.models import (
    Absence,
    ClassSession,
    SessionPresenter,
    ShareToken,
    Visit,
    VisitWorker,
)

__all__ = [
    "Absence",
    "BellPeriod",
    "ClassGroup",
    "ClassSession",
    "CurriculumModule",
    "DayOff",
    "Partner",
    "School",
    "SchoolYear",
    "ServiceCentre",
    "SessionPresenter",
    "ShareToken",
    "User",
    "Visit",
    "VisitWorker",
]
