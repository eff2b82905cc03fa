"""The development data's commands: `flask seed-demo` (`make run` loads the
demo into an empty database) and `flask seed-synthetic` (the benchmarks)."""

from time import perf_counter

import click
from flask import current_app
from flask.cli import with_appcontext

from app.accounts import services as accounts
from app.db import get_engine, get_session
from app.devdata import demo, synthetic
from app.devdata.guard import RealDataPresent
from app.schools.services import local_today


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Run even if the database has real users.")
@click.option("--if-empty", is_flag=True, help="Do nothing unless the database has no user.")
@with_appcontext
def seed_demo_command(force, if_empty):
    """Load demonstration data (idempotent)."""
    session = get_session()
    if if_empty and accounts.count_users(session) > 0:
        click.echo("The database already has users: demo data not loaded.")
        return
    try:
        created = demo.seed(session, force=force)
    except RealDataPresent as error:
        raise click.ClickException(
            f"the database has {error.count} account(s) that are not demo accounts; "
            "use --force to load the demo data anyway"
        ) from None
    session.commit()
    path = demo.write_sign_ins(current_app.instance_path, created)
    if created:
        click.echo(f"Demo sign-ins (passwords are shown once, and kept in {path}):")
        for line in demo.sign_in_lines(created):
            click.echo(f"  {line}")
    else:
        click.echo("Demo data already loaded; nothing to add.")


@click.command("seed-synthetic")
@click.option("--sessions", type=click.IntRange(min=1), required=True, help="Delivered sessions.")
@click.option(
    "--years",
    type=click.IntRange(1, 30),
    default=5,
    show_default=True,
    help="Past school years the sessions are spread over.",
)
@click.option(
    "--seed", "seed_value", type=int, default=1, show_default=True, help="Same seed, same data."
)
@click.option(
    "--last-year",
    type=int,
    help="First calendar year of the last school year with sessions (default: the last ended).",
)
@click.option("--force", is_flag=True, help="Run even if the database has real users.")
@with_appcontext
def seed_synthetic_command(sessions, years, seed_value, last_year, force):
    """Fill the database with synthetic years of activity (benchmarks only)."""
    started = perf_counter()
    try:
        counts = synthetic.seed(
            get_engine(),
            sessions=sessions,
            vault=current_app.extensions["help_vault"],
            today=local_today(),
            years=years,
            seed=seed_value,
            last_year=last_year,
            force=force,
        )
    except RealDataPresent as error:
        raise click.ClickException(
            f"the database has {error.count} account(s) that are neither synthetic nor demo "
            "accounts; use --force to add synthetic data anyway"
        ) from None
    except synthetic.SyntheticDataPresent:
        raise click.ClickException(
            "the database holds synthetic data already; seed a fresh database"
        ) from None
    click.echo(f"Synthetic data made in {perf_counter() - started:.1f} s (seed {seed_value}):")
    for table, count in counts.items():
        click.echo(f"  {table:<24} {count:>10,}")
