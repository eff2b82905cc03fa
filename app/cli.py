"""`flask` commands that are no domain's own: backups of the database, demo data."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app import backup
from app.accounts import services as accounts
from app.db import get_session


def _fail(message):
    """One line on stderr and exit code 1: what scripts and people both read."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Run even if the database has real users.")
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no user.")
@with_appcontext
def seed_demo_command(force, if_empty):
    """Load demonstration data (idempotent)."""
    from app import demo

    session = get_session()
    if if_empty and accounts.count_users(session) > 0:
        click.echo("The database already has users: demo data not loaded.")
        return
    try:
        created = demo.seed(session, force=force)
    except demo.RealDataPresent as error:
        _fail(
            f"the database has {error.count} account(s) that are not demo accounts; "
            "use --force to load the demo data anyway"
        )
    session.commit()
    path = demo.write_sign_ins(current_app.instance_path, created)
    if created:
        click.echo(f"Demo sign-ins (passwords are shown once, and kept in {path}):")
        for line in demo.sign_in_lines(created):
            click.echo(f"  {line}")
    else:
        click.echo("Demo data already loaded; nothing to add.")


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
    for command in (backup_command, restore_command, seed_demo_command):
        app.cli.add_command(command)
