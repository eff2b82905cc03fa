"""`flask help purge` and `flask help rekey`."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import select

from app.db import get_session, utcnow
from app.help import retention
from app.help.models import Message, Note
from app.help.vault import vault


@click.group("help", help="The anonymous questions: retention and keys.")
def help_group():
    pass


@help_group.command("purge")
@with_appcontext
def purge_command():
    """Delete closed conversations older than HELP_RETENTION_DAYS, keeping counts."""
    session = get_session()
    days = current_app.config["HELP_RETENTION_DAYS"]
    count = retention.purge(session, now=utcnow(), retention_days=days)
    session.commit()
    click.echo(f"Purged {count} conversation(s) closed more than {days} days ago.")


@help_group.command("rekey")
@with_appcontext
def rekey_command():
    """Re-encrypt every body under the first of HELP_ENCRYPTION_KEYS."""
    session = get_session()
    count = 0
    for model in (Message, Note):
        for row in session.exec(select(model)).all():
            row.body = vault().rotate(row.body)
            count += 1
    session.commit()
    click.echo(f"Re-encrypted {count} bodies under the first key.")
