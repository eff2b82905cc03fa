"""`flask db …`: Alembic, driven from the application's settings."""

from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import current_app, has_app_context
from flask.cli import with_appcontext

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url=None):
    """An Alembic configuration for this app's migrations and database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    config.attributes["database_url"] = database_url or current_app.config["DATABASE_URL"]
    if has_app_context():
        # For migrations that re-encrypt the anonymous box's bodies (0013).
        config.attributes["help_encryption_keys"] = current_app.config["HELP_ENCRYPTION_KEYS"]
    return config


def upgrade(database_url=None, revision="head"):
    command.upgrade(alembic_config(database_url), revision)


@click.group("db")
def db_group():
    """Database migrations (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def upgrade_command(revision):
    """Apply the migrations up to REVISION (default: the latest)."""
    upgrade(revision=revision)


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def downgrade_command(revision):
    """Undo migrations down to REVISION (e.g. -1, or base)."""
    command.downgrade(alembic_config(), revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Write an empty migration instead of comparing.")
@with_appcontext
def revision_command(message, empty):
    """Write a new migration from the difference between the models and the database."""
    command.revision(alembic_config(), message=message, autogenerate=not empty)


@db_group.command("current")
@with_appcontext
def current_command():
    """Show the database's revision."""
    command.current(alembic_config())


@db_group.command("history")
@with_appcontext
def history_command():
    """List the migrations."""
    command.history(alembic_config())


@db_group.command("check")
@with_appcontext
def check_command():
    """Fail when the models hold changes that no migration has."""
    command.check(alembic_config())
