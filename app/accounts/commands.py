"""`flask create-user` and `flask create-partner`: accounts made from the command line."""

import sys

import click
from flask.cli import with_appcontext

from app.accounts import services as accounts
from app.db import get_session
from app.security import Role


def _fail(message):
    """One line on stderr and exit code 1: what scripts and people both read."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", required=True)
@click.option("--partner", "partner_code", help="Code of the partner organization.")
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
    """Create a partner organization (youth house, police, youth centre, other)."""
    session = get_session()
    try:
        partner = accounts.create_partner(session, code=code, name=name, kind=kind)
    except accounts.DuplicatePartnerCode:
        _fail(f"a partner with code {code!r} already exists")
    session.commit()
    click.echo(f"Created partner {partner.code}: {partner.name}.")
