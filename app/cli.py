"""`flask` commands that are not a domain's own: accounts, database, demo data."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from app import backup
from app.accounts import services as accounts
from app.db import get_session
from app.migrations import commands as migration_commands
from app.security import Role


def _fail(message):
    """One line on stderr and exit code 1: what scripts and people both read."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", required=True)
@click.option("--partner", "partner_code", help="Code of the partner organisation.")
@click.option("--password", help="Asked for, hidden, when not given.")
@with_appcontext
def create_user_command(email, role, name, partner_code, password):
    """Create a staff account."""
    session = get_session()
    partner = None
    if partner_code:
        partner = accounts.get_partner_by_code(session, partner_code)
        if partner is None:
            codes = ", ".join(p.code for p in accounts.list_partners(session)) or "none yet"
            _fail(f"no partner with code {partner_code!r} (known: {codes})")
    if accounts.get_user_by_email(session, email) is not None:
        _fail(f"an account with e-mail {accounts.normalize_email(email)} already exists")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            session, email=email, name=name, role=role, password=password, partner=partner
        )
    except accounts.WeakPassword as error:
        _fail(accounts.WEAK_PASSWORD_REASONS[error.reason])
    except accounts.DuplicateEmail:
        _fail(f"an account with e-mail {accounts.normalize_email(email)} already exists")
    session.commit()
    click.echo(f"Created {user.role.value} {user.email}.")


@click.command("create-partner")
@click.argument("code")
@click.option("--name", required=True)
@click.option(
    "--kind", required=True, type=click.Choice(["youth_house", "police", "youth_centre", "other"])
)
@with_appcontext
def create_partner_command(code, name, kind):
    """Create a partner organisation (youth house, police, youth centre, other)."""
    session = get_session()
    try:
        partner = accounts.create_partner(session, code=code, name=name, kind=kind)
    except accounts.DuplicatePartnerCode:
        _fail(f"a partner with code {code!r} already exists")
    session.commit()
    click.echo(f"Created partner {partner.code}: {partner.name}.")


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


def init_app(app):
    for command in (create_user_command, create_partner_command, seed_demo_command):
        app.cli.add_command(command)
    app.cli.add_command(migration_commands.db_group)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
