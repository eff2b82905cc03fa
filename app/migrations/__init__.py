"""The database's schema over time: Alembic's migrations, and `flask db`."""


def init_app(app):
    """Register `flask db` (upgrade, downgrade, revision, check, …)."""
    from app.migrations import commands

    app.cli.add_command(commands.db_group)
