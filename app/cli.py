"""`flask` commands that are no domain's own: backups of the database."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app import backup


def _fail(message):
    """One line on stderr and exit code 1: what scripts and people both read."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("backup", epilog=backup.KEYS_APART)
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the database to PATH, while the site runs.

    SQLite: the online backup API; PostgreSQL: pg_dump (custom format). The
    file is written atomically, mode 600.
    """
    try:
        size = backup.backup(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {path} ({size:,} bytes).")
    click.echo(backup.KEYS_APART)


@click.command("restore", epilog=backup.KEYS_APART)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(path, yes):
    """Replace the whole database by the backup at PATH, then migrate it up.

    Everything written since the backup is lost. Questions in it open only
    with the help encryption keys that were in use when it was made.
    """
    url = current_app.config["DATABASE_URL"]
    try:
        revision = backup.backup_revision(url, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                "restoring replaces the whole database; add --yes to do it without a prompt"
            )
        click.confirm(f"Replace the whole database by {path} (migration {revision})?", abort=True)
    try:
        backup.restore(url, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {path} (migration {revision}) and migrated it to the latest.")


def init_app(app):
    for command in (backup_command, restore_command):
        app.cli.add_command(command)
