"""Synthetic years of activity, province-wide, for benchmarks only.

`flask seed-synthetic --sessions N` fills the database with what the program
would leave after running in every region of Quebec for several school
years: service centres, hundreds of schools with bell schedules and class
groups (sec1 to sec5), partners and their workers, two-week visits holding
exactly N delivered class sessions (about 2 % more cancelled ones, and
planned ones in the school year after), joint presentations, school
requests, and questions (those of the last year still in the box, older ones
as the monthly counts a purge keeps). What is made: `synthetic_world.py`
(the setting) and `synthetic_activity.py` (what happens in it).

The data is shaped for the reports: plausible counts, dates on school days,
attendance of 15 to 32, every foreign key right. It does not follow the
planner's rules across visits (a worker may be booked twice at once).

Fast: rows are made in Python from one seeded `random.Random` (the same
arguments give the same data) and written with Core `insert()` executemany,
in chunks of CHUNK rows, one transaction per chunk, with ids handed out here
so nothing is read back. SQLite runs with `synchronous=OFF` during the load
(the journal stays WAL).
"""

from collections import Counter
from random import Random
from time import perf_counter

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from app.accounts.models import User
from app.db import get_engine
from app.devdata.demo import DEMO_DOMAIN, RealDataPresent

SYNTHETIC_DOMAIN = "synthetic.mobilis.example"
CHUNK = 20_000


class SyntheticDataPresent(Exception):
    """The database holds synthetic data already: seed a fresh one."""


class Loader:
    """Writes rows in chunks, one transaction each, and hands out their ids."""

    def __init__(self, connection):
        self.connection = connection
        self.counts = Counter()
        self._next_ids = {}

    def ids(self, model, count):
        """`count` new ids for `model`'s table, after those it has."""
        table = model.__table__
        if table.name not in self._next_ids:
            top = self.connection.execute(sa.select(sa.func.max(table.c.id))).scalar()
            self._next_ids[table.name] = (top or 0) + 1
        first = self._next_ids[table.name]
        self._next_ids[table.name] = first + count
        return range(first, first + count)

    def insert(self, model, rows):
        table = model.__table__
        for start in range(0, len(rows), CHUNK):
            self.connection.execute(sa.insert(table), rows[start : start + CHUNK])
            self.connection.commit()
        self.counts[table.name] += len(rows)

    def fix_sequences(self):
        """PostgreSQL: move the serial sequences past the ids given here."""
        if self.connection.dialect.name != "postgresql":
            return
        for name in self._next_ids:  # table names from the models, not input
            self.connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                    f"(SELECT max(id) FROM {name}))"
                )
            )
        self.connection.commit()


def last_complete_school_year(today):
    """The first calendar year of the last school year (July to June) that has ended."""
    return today.year - 1 if today.month >= 7 else today.year - 2


def _accounts(connection):
    """(accounts that are neither synthetic nor demo, whether synthetic ones exist)."""
    emails = connection.execute(sa.select(User.email)).scalars().all()
    connection.rollback()
    ours = tuple("@" + domain for domain in (SYNTHETIC_DOMAIN, DEMO_DOMAIN))
    real = sum(1 for email in emails if not email.endswith(ours))
    return real, any(email.endswith("@" + SYNTHETIC_DOMAIN) for email in emails)


def seed(engine, *, sessions, vault, today, years=5, seed=1, last_year=None, force=False):
    """Fill the database; return {table: rows added}.

    Delivered sessions fall in the `years` school years ending with
    `last_year` (default: the last complete one before `today`); the year
    after gets planned sessions only. `vault` encrypts the questions' bodies.
    """
    from app.devdata.synthetic_activity import add_outreach, add_questions, add_visits
    from app.devdata.synthetic_world import World

    rng = Random(seed)  # noqa: S311  (benchmark data, not secrets)
    if last_year is None:
        last_year = last_complete_school_year(today)
    with engine.connect() as connection:
        real, seeded = _accounts(connection)
        if real and not force:
            raise RealDataPresent(real)
        if seeded:
            raise SyntheticDataPresent()
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
        try:
            load = Loader(connection)
            world = World(rng, load, range(last_year - years + 1, last_year + 2))
            add_visits(world, delivered=sessions)
            add_outreach(world, delivered=sessions)
            add_questions(world, delivered=sessions, vault=vault)
            load.fix_sequences()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
    return load.counts


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
    from app.schools.services import local_today

    started = perf_counter()
    try:
        counts = seed(
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
    except SyntheticDataPresent:
        raise click.ClickException(
            "the database holds synthetic data already; seed a fresh database"
        ) from None
    click.echo(f"Synthetic data made in {perf_counter() - started:.1f} s (seed {seed_value}):")
    for table, count in counts.items():
        click.echo(f"  {table:<24} {count:>10,}")
