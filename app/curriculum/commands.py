"""`flask curriculum check | sync | build`, and the sync when the app starts."""

import logging
import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app import pdfbuild
from app.curriculum import get_catalogue
from app.curriculum.services import sync_modules
from app.db import get_session

logger = logging.getLogger(__name__)


@click.group("curriculum")
def curriculum_group():
    """The program's modules and campaigns (curriculum/)."""


@curriculum_group.command("check")
@with_appcontext
def check_command():
    """Validate every module and campaign; print each problem as path:line: message."""
    catalogue = get_catalogue()
    # The campaigns' store (app/campaigns), read here without importing that
    # package, which sits above this one.
    campaigns = current_app.extensions["campaigns"].get()
    # The questionnaires' statements (app/evaluation), likewise.
    questions = current_app.extensions["evaluation"].get()
    root = current_app.extensions["curriculum"].root
    problems = catalogue.problems + campaigns.problems + questions.problems
    for problem in problems:
        click.echo(problem.format(root))
    if problems:
        click.echo(f"{len(problems)} problem(s) in the curriculum.", err=True)
        sys.exit(1)
    click.echo(f"{len(catalogue.modules)} modules, no problem.")
    click.echo(f"{len(campaigns.campaigns)} campaigns, no problem.")
    click.echo(f"{len(questions.statements)} questionnaires, no problem.")


@curriculum_group.command("build")
@with_appcontext
def build_command():
    """Build every public PDF and card that is missing (those whose inputs changed)."""
    app = current_app._get_current_object()
    where = pdfbuild.folder(app)
    click.echo(f"Public files in {where}")

    def waiting():
        click.echo("Another build is under way: waiting for it to end.")

    def report(target, size, seconds, error):
        if error is None:
            click.echo(f"  built {target.path} ({size // 1024} KiB, {seconds:.1f} s)")
        else:
            click.echo(f"  FAILED {target.path}: {type(error).__name__}: {error}", err=True)

    result = pdfbuild.build_all(app, on_wait=waiting, on_file=report)
    total = len(result.built) + result.unchanged + len(result.failed)
    click.echo(
        f"{total} public files: {len(result.built)} built, {result.unchanged} unchanged, "
        f"{len(result.failed)} failed; {result.removed} old files removed."
    )
    if result.failed:
        sys.exit(1)


# Any constant shared by every host: PostgreSQL's advisory locks are numbers.
SYNC_LOCK_KEY = 0x6D6F62696C6973  # "mobilis"


def sync_one_at_a_time(session, catalogue):
    """`sync_modules` in `session`'s transaction, after any other host's sync.

    Hosts that start at the same moment all sync: on PostgreSQL each first
    takes a transaction-level advisory lock, so the second waits for the first
    to commit and then finds its rows, instead of inserting the same slugs and
    failing on the unique constraint. The lock ends with the transaction.
    SQLite (one machine) has no such lock: of two processes syncing at once the
    second fails at its first write, is logged, and finds the first one's rows.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(SYNC_LOCK_KEY)))
    return sync_modules(session, catalogue=catalogue)


@curriculum_group.command("sync")
@with_appcontext
def sync_command():
    """Mirror the modules in the database (slug, version, titles, content hash)."""
    session = get_session()
    result = sync_one_at_a_time(session, get_catalogue())
    session.commit()
    click.echo(
        f"{result.added} added, {result.updated} updated, {result.retired} retired, "
        f"{result.unchanged} unchanged."
    )


def sync_on_start(app):
    """Mirror the modules when the app starts, once its database is migrated.

    A database not yet migrated (`flask db upgrade` builds the app first) is
    left alone; another host syncing at the same moment waits its turn
    (`sync_one_at_a_time`). A database that cannot be reached does not stop
    the start: the site answers 503 until it can, and `flask curriculum sync`
    or the next start mirrors the modules.
    """
    engine = app.extensions["mobilis_engine"]
    try:
        if not sa.inspect(engine).has_table("curriculum_module"):
            return
        with app.app_context(), Session(engine) as session:
            sync_one_at_a_time(session, get_catalogue())
            session.commit()
    except SQLAlchemyError as error:
        logger.warning("curriculum not synced at start-up: %s", error.__class__.__name__)
