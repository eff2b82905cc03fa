"""Synthetic years of activity, province-wide, for benchmarks only.

`flask seed-synthetic --sessions N` fills the database with what the program
would leave after running in every region of Quebec for several school
years: service centres, hundreds of schools with bell schedules and class
groups (sec1 to sec5), partners and their workers, two-week visits holding
exactly N delivered class sessions (about 2 % more cancelled ones, and
planned ones in the school year after), joint presentations, school
requests, and questions (those of the last year still in the box, older ones
as the monthly counts a purge keeps). What is made: `synthetic_world.py`
(the setting), `synthetic_visits.py` and `synthetic_activity.py` (what
happens in it); how it is written: `synthetic_loader.py`.

The data is shaped for the reports: plausible counts, dates on school days,
attendance of 15 to 32, every foreign key right. It does not follow the
planner's rules across visits (a worker may be booked twice at once).

Fast: rows are made in Python from one seeded `random.Random` (the same
arguments give the same data) and written with Core `insert()` executemany,
in chunks of CHUNK rows, one transaction per chunk, with ids handed out by
the loader so nothing is read back. SQLite runs with `synchronous=OFF` during the load
(the journal stays WAL).
"""

from random import Random

import sqlalchemy as sa

from app.accounts.models import User
from app.devdata.guard import DEMO_DOMAIN, SYNTHETIC_DOMAIN, RealDataPresent
from app.devdata.synthetic_activity import add_outreach, add_questions
from app.devdata.synthetic_loader import Loader
from app.devdata.synthetic_visits import add_visits
from app.devdata.synthetic_world import World


class SyntheticDataPresent(Exception):
    """The database holds synthetic data already: seed a fresh one."""


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
