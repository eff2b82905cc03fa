"""`flask curriculum check | sync`, and the sync when the app starts."""

import logging
import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.curriculum import get_catalogue
from app.curriculum.campaigns import get_campaigns
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
    campaigns = get_campaigns()
    root = current_app.extensions["curriculum"].root
    problems = catalogue.problems + campaigns.problems
    for problem in problems:
        click.echo(problem.format(root))
    if problems:
        click.echo(f"{len(problems)} problem(s) in the curriculum.", err=True)
        sys.exit(1)
    click.echo(f"{len(catalogue.modules)} modules, no problem.")
    click.echo(f"{len(campaigns.campaigns)} campaigns, no problem.")


@curriculum_group.command("sync")
@with_appcontext
def sync_command():
    """Mirror the modules in the database (slug, version, titles, content hash)."""
    session = get_session()
    result = sync_modules(session, catalogue=get_catalogue())
    session.commit()
    click.echo(
        f"{result.added} added, {result.updated} updated, {result.retired} retired, "
        f"{result.unchanged} unchanged."
    )


def sync_on_start(app):
    """Mirror the modules when the app starts, once its database is migrated.

    A database not yet migrated (`flask db upgrade` builds the app first) is
    left alone; another host syncing at the same moment is not an error.
    """
    engine = app.extensions["mobilis_engine"]
    try:
        if not sa.inspect(engine).has_table("curriculum_module"):
            return
        with app.app_context(), Session(engine) as session:
            sync_modules(session, catalogue=get_catalogue())
            session.commit()
    except SQLAlchemyError as error:
        logger.warning("curriculum not synced at start-up: %s", error.__class__.__name__)
