"""Database engine and the session of a request.

One engine per application, built by `init_app` from `DATABASE_URL`. Each
request gets one session on first use (`get_session()`); the request commits
once, after the view, when the response is a success or a redirect, and rolls
back otherwise. Services below only `flush()`.

When the database cannot be reached (down, restarting, locked longer than
the busy timeout), the request answers 503 and its session is rolled back:
nothing of it is saved (`app/errors.py`, "Faults" in docs/architecture.md).
"""

import contextlib
import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import abort, current_app, g
from sqlmodel import Session, SQLModel

# Named constraints, so that migrations (and SQLite's batch mode) can find them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC timestamp on every backend.

    PostgreSQL keeps the zone; SQLite stores text without one, so values are
    converted to UTC on the way in and marked UTC on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def string_enum(enum_class):
    """An enum column stored as its values' strings: portable, and a new value
    needs no change of database type."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class DatabaseUnavailable(Exception):
    """The request's commit failed because the database could not be reached.

    Raised instead of the driver's error so that what Flask logs for an
    exception after the view carries no SQL parameters (personal data)."""


def is_database_unavailable(error):
    """Whether `error` means the database cannot be used right now (down,
    restarting, connection lost, locked too long), not a bug or a broken rule."""
    if isinstance(error, DatabaseUnavailable | sa.exc.OperationalError):
        return True
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


# The site's time zone: Quebec's days and hours (the calendar feeds, a
# school's today, the days a worker counts).
LOCAL_ZONE = ZoneInfo("America/Montreal")


def utcnow():
    return datetime.now(UTC)


def local_date(moment):
    """The day in Quebec of a moment (a naive one is taken as UTC, as stored)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def to_the_hour(moment=None):
    """A time rounded down to the hour (now by default): what is stored of when
    a student acted, and of what would date it."""
    return (moment or utcnow()).replace(minute=0, second=0, microsecond=0)


def create_private_sqlite_file(url):
    """Create the SQLite file of `url`, empty, readable by its owner only (600).

    SQLite would create it with the process's umask (often 644: anyone on the
    machine could read the accounts and the questions' metadata); its -wal and
    -shm files take the database file's mode. An existing file, an in-memory
    database or a folder it cannot be made in (SQLite then fails as before) are left alone.
    """
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    # There already, or not creatable: SQLite says so when it connects.
    with contextlib.suppress(OSError):
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url, *, sqlite_busy_timeout_ms=5000):
    """Build the engine for `url`, with SQLite's pragmas when it is SQLite."""
    if url.startswith("sqlite"):
        create_private_sqlite_file(url)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": sqlite_busy_timeout_ms / 1000},
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(sqlite_busy_timeout_ms)}")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def get_engine():
    return current_app.extensions["mobilis_engine"]


def get_session():
    """The session of the current request (or CLI command), opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def get_or_404(model, key):
    """The row of `model` with primary key `key` in the request's session, or a 404."""
    thing = get_session().get(model, key)
    if thing is None:
        abort(404)
    return thing


def _commit_or_rollback(response):
    session = g.get("db_session")
    if session is not None:
        if response.status_code < 400:
            try:
                session.commit()
            except sa.exc.SQLAlchemyError as error:
                # Not retried: see "Faults" in docs/architecture.md. The 503
                # page's own pass through here rolls the session back.
                if is_database_unavailable(error):
                    raise DatabaseUnavailable(_describe(error)) from None
                raise
        else:
            session.rollback()
    return response


def _describe(error):
    """The error's kind without its message, which may quote SQL parameters."""
    original = getattr(error, "orig", None)
    sqlstate = getattr(original, "sqlstate", None)
    return " ".join(
        part
        for part in (type(error).__name__, type(original).__name__ if original else "", sqlstate)
        if part
    )


def _close_session(_exc):
    session = g.pop("db_session", None)
    if session is not None:
        # Anything not committed by _commit_or_rollback (an exception) is undone.
        session.rollback()
        session.close()


def init_app(app):
    url = app.config["DATABASE_URL"]
    app.extensions["mobilis_engine"] = make_engine(
        url, sqlite_busy_timeout_ms=app.config["SQLITE_BUSY_TIMEOUT_MS"]
    )
    app.after_request(_commit_or_rollback)
    app.teardown_appcontext(_close_session)
