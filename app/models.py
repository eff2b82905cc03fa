"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.accounts.models import Partner, User
from app.curriculum.models import CurriculumModule

__all__ = ["CurriculumModule", "Partner", "User"]
