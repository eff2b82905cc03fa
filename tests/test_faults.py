"""Faults: the database down, locked or restarted.

Every fault here is real: a refused connection, an unopenable file, a second
connection holding SQLite's write lock, PostgreSQL backends terminated with
`pg_terminate_backend`. The anonymous question form is the page under test: it
reads the schools on GET and writes two rows (conversation, message) on POST.
"""

import logging
import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from app.help.models import Conversation, Message
from tests.conftest import PG_URL, extract_csrf_token

FRIENDLY = {
    "fr": "Le site ne peut pas joindre sa base de données pour le moment.",
    "en": "The site cannot reach its database right now.",
}
postgres_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only")
sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="SQLite only")


def _fault_app(make_app, **overrides):
    # Production does not propagate exceptions to the server; the page cache
    # would answer GETs without reaching the database.
    return make_app(PROPAGATE_EXCEPTIONS=False, PUBLIC_PAGE_CACHE_BYTES=0, **overrides)


def _question(token, body):
    return {"csrf_token": token, "body": body, "topic": "other", "school_id": 0}


def _ask(client, body, lang="fr"):
    token = extract_csrf_token(client.get(f"/{lang}/help/").get_data(as_text=True))
    return client.post(
        f"/{lang}/help/",
        data=_question(token, body),
    )


def _count(db, model):
    db.rollback()  # a fresh snapshot
    return db.exec(sa.select(sa.func.count()).select_from(model)).scalar_one()


def _assert_friendly_503(response, lang):
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}' in page
    assert FRIENDLY[lang] in page


@pytest.mark.parametrize(
    "down_url",
    [
        # A PostgreSQL server that is not there: a real refused connection.
        "postgresql+psycopg://mobilis@127.0.0.1:1/mobilis?connect_timeout=2",
        # A SQLite file that cannot be opened.
        "sqlite:///{tmp}/no-such-folder/db.sqlite3",
    ],
    ids=["postgresql-closed-port", "sqlite-unopenable"],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_database_down_pages_answer_503_in_the_page_language(
    make_app, tmp_path, down_url, lang, caplog
):
    app = _fault_app(make_app, DATABASE_URL=down_url.format(tmp=tmp_path))
    client = app.test_client()

    with caplog.at_level(logging.WARNING, logger="app.errors"):
        _assert_friendly_503(client.get(f"/{lang}/help/"), lang)
    assert "database unavailable on GET /<lang:lang>/help/: OperationalError" in caplog.text

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": False}


@sqlite_only
def test_sqlite_locked_longer_than_the_busy_timeout_answers_503_and_saves_nothing(
    make_app, database_url, db, caplog
):
    app = _fault_app(make_app, SQLITE_BUSY_TIMEOUT_MS=100)
    client = app.test_client()
    token = extract_csrf_token(client.get("/en/help/").get_data(as_text=True))
    body = "Quelqu'un me met de la pression pour vendre, je fais quoi ?"

    other_writer = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock
    try:
        with caplog.at_level(logging.WARNING):
            response = client.post(
                "/en/help/",
                data=_question(token, body),
            )
    finally:
        other_writer.rollback()
        other_writer.close()

    _assert_friendly_503(response, "en")
    assert _count(db, Conversation) == 0
    assert _count(db, Message) == 0
    assert "OperationalError" in caplog.text
    assert "INSERT" not in caplog.text  # the statement and its parameters stay out


@sqlite_only
def test_sqlite_a_writer_waits_for_the_lock_instead_of_failing(make_app, database_url, db):
    app = _fault_app(make_app, SQLITE_BUSY_TIMEOUT_MS=5000)
    client = app.test_client()
    token = extract_csrf_token(client.get("/fr/help/").get_data(as_text=True))

    other_writer = sqlite3.connect(
        database_url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
    )
    other_writer.execute("BEGIN IMMEDIATE")
    releaser = threading.Timer(0.5, other_writer.rollback)
    releaser.start()
    started = time.monotonic()
    try:
        response = client.post(
            "/fr/help/",
            data=_question(token, "Une question"),
        )
    finally:
        releaser.join()
        other_writer.close()

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.4  # it waited for the other writer
    assert _count(db, Conversation) == 1
    assert _count(db, Message) == 1


@postgres_only
def test_postgres_connection_lost_at_commit_leaves_no_record(make_app, database_url, db, caplog):
    """The rows are sent, then the server ends the connection before COMMIT."""
    app = _fault_app(make_app)
    engine = app.extensions["mobilis_engine"]
    client = app.test_client()
    token = extract_csrf_token(client.get("/fr/help/").get_data(as_text=True))

    killer = sa.create_engine(database_url)

    def end_the_connection(connection):
        pid = connection.connection.dbapi_connection.info.backend_pid
        with killer.connect() as other:
            # The timeout (ms) waits until the backend is gone.
            other.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})

    sa.event.listen(engine, "commit", end_the_connection)
    try:
        with caplog.at_level(logging.WARNING):
            response = client.post(
                "/fr/help/",
                data=_question(token, "Une question"),
            )
    finally:
        sa.event.remove(engine, "commit", end_the_connection)
        killer.dispose()

    _assert_friendly_503(response, "fr")
    assert _count(db, Conversation) == 0
    assert _count(db, Message) == 0
    assert "DatabaseUnavailable: OperationalError" in caplog.text
    assert "[parameters:" not in caplog.text
    # And the next request is served on a new connection.
    assert _ask(client, "Une autre question").status_code == 200
    assert _count(db, Conversation) == 1


@postgres_only
def test_postgres_backends_terminated_between_requests_are_replaced(make_app, database_url):
    """What a server restart does to the pool: every pooled connection is dead.
    The pool's pre-ping notices and reconnects; the visitor sees nothing."""
    url = sa.make_url(database_url).update_query_dict({"application_name": "mobilis-faults"})
    app = _fault_app(make_app, DATABASE_URL=url.render_as_string(hide_password=False))
    client = app.test_client()
    assert client.get("/fr/help/").status_code == 200  # a connection is now pooled

    killer = sa.create_engine(database_url)
    with killer.connect() as other:
        ended = other.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                "WHERE application_name = 'mobilis-faults' AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    killer.dispose()
    assert ended >= 1

    assert client.get("/fr/help/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_concurrent_writers_through_the_app_lose_nothing(make_app, db):
    """Eight browsers ask at the same moment, five times each: every question
    is saved, none answers 503 ("database is locked" on SQLite)."""
    app = _fault_app(make_app, HELP_ASK_RATE_LIMIT="1000 per minute")
    writers, asks = 8, 5
    start = threading.Barrier(writers)
    statuses = []

    def write(n):
        client = app.test_client()
        token = extract_csrf_token(client.get("/fr/help/").get_data(as_text=True))
        start.wait()
        for i in range(asks):
            response = client.post(
                "/fr/help/",
                data={
                    "csrf_token": token,
                    "body": f"Question {n}-{i}",
                    "topic": "other",
                    "school_id": 0,
                },
            )
            statuses.append(response.status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * (writers * asks)
    assert _count(db, Conversation) == writers * asks
    assert _count(db, Message) == writers * asks
