"""Every domain's tables, imported in one place for Alembic and the tests."""

from app.accounts.models import Partner, User

__all__ = ["Partner", "User"]
