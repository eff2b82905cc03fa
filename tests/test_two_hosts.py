"""Several app hosts behave as one site.

Two gunicorn processes (one worker each, as two machines would run them) share
one PostgreSQL database, one Redis for the rate-limit counters and one PDF
cache folder, with the same secret keys; each has its own instance folder. A
"browser" here sends every request with the same Host header, as a load
balancer would, to whichever host the test names. Redis is a throw-away
`redis-server` on a free port (scripts/install-test-deps installs it).

What one process or one disk would otherwise keep to itself is checked too:
the curriculum sync of hosts starting together, and the instance secrets of
workers starting together.
"""

import io
import os
import secrets
import threading
import time

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from pypdf import PdfReader
from sqlmodel import Session

from app import PROJECT_ROOT
from app.accounts import services as accounts
from app.curriculum.commands import sync_one_at_a_time
from app.curriculum.models import CurriculumModule
from app.curriculum.modules import load_catalogue
from app.instance import instance_secret
from app.migrations.commands import upgrade
from app.pdfbuild import LOCK_NAME
from app.security import Role
from tests.conftest import PG_URL
from tests.servers import Browser, Host, RedisServer, redis_binary, request, wait_for

postgres_only = pytest.mark.skipif(
    not PG_URL, reason="PostgreSQL only: several hosts share one PostgreSQL server"
)

SITE = "mobilis.test"  # the one name both hosts are reached by
LOGIN_LIMIT = 4
START_SECONDS = 90


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(redis_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


def _database_url(name):
    return sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def scratch_database():
    """A database of its own on the test server, dropped afterwards."""
    name = f"mobilis_hosts_{secrets.token_hex(4)}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield _database_url(name)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


class Site:
    def __init__(self, hosts, database_url, pdf_cache, redis):
        self.a, self.b = hosts
        self.database_url, self.pdf_cache, self.redis = database_url, pdf_cache, redis


@pytest.fixture(scope="module")
def site(redis_server, scratch_database, tmp_path_factory):
    """Two hosts started at the same moment on a freshly migrated database."""
    upgrade(scratch_database)
    pdf_cache = tmp_path_factory.mktemp("shared-pdf-cache")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(PROJECT_ROOT),
        "SECRET_KEY": secrets.token_hex(32),
        "HELP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "HELP_PASSPHRASE_KEY": secrets.token_hex(32),
        "DATABASE_URL": scratch_database,
        "TRUSTED_HOSTS": SITE,
        "RATELIMIT_STORAGE_URI": redis_server.url,
        "PDF_CACHE_DIR": str(pdf_cache),
        # The files are built when a test asks for one, not all at start.
        "PDF_BUILD_AT_START": "0",
        "PUBLIC_URL": f"http://{SITE}",
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
        "MAIL_BACKEND": "memory",
    }
    hosts = [Host(name, tmp_path_factory.mktemp(f"host-{name}"), env, site=SITE) for name in "AB"]
    try:
        for host in hosts:
            host.start()
        for host in hosts:
            wait_for(host.ready, seconds=START_SECONDS, what=f"host {host.name} answering")
        yield Site(hosts, scratch_database, pdf_cache, redis_server)
    finally:
        for host in hosts:
            host.stop()
        for host in hosts:
            host.wait()


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(PROJECT_ROOT / "curriculum")


@pytest.fixture
def site_db(site):
    engine = sa.create_engine(site.database_url)
    with Session(engine, expire_on_commit=False) as session:
        yield session
    engine.dispose()


@pytest.fixture
def fresh_limits(site):
    """Every test starts with no rate-limit counter (they are all keyed by 127.0.0.1)."""
    site.redis.flush()


@postgres_only
def test_hosts_started_together_on_a_fresh_database_both_come_up(site, site_db, catalogue):
    for host in (site.a, site.b):
        assert request(host, "GET", "/healthz").status == 200
        assert request(host, "GET", "/en/modules/").status == 200
        assert "curriculum not synced" not in host.log.read_text()
    synced = site_db.exec(sa.select(CurriculumModule.slug)).scalars().all()
    assert sorted(synced) == sorted(module.slug for module in catalogue.modules)


@postgres_only
def test_sign_in_attempts_are_counted_once_for_both_hosts(site, fresh_limits):
    browser = Browser()
    wrong = {"email": "nobody@example.org", "password": "not the password at all"}
    statuses = [
        browser.post_form((site.a, site.b)[attempt % 2], "/en/login", wrong).status
        for attempt in range(LOGIN_LIMIT + 2)
    ]
    # Attempts alternate A, B, A, B, A, B: each host saw only two when the
    # fifth lands on A, and it is refused; so is the sixth, on B.
    assert statuses == [200] * LOGIN_LIMIT + [429, 429]

    keys = site.redis.keys()
    assert keys, "no counter in Redis"
    # Counters are keyed by a keyed hash of the address, never the address.
    assert all("address:" in key and "127.0.0.1" not in key for key in keys), keys


@postgres_only
def test_signed_in_on_one_host_and_signed_out_everywhere_by_a_password_change(
    site, site_db, fresh_limits
):
    password, new_password = secrets.token_urlsafe(15), secrets.token_urlsafe(15)
    user = accounts.create_user(
        site_db,
        email=f"worker-{secrets.token_hex(3)}@example.org",
        name="Two Hosts Worker",
        role=Role.PREVENTION_WORKER,
        password=password,
    )
    site_db.commit()

    browser = Browser()
    signed_in = browser.post_form(site.a, "/en/login", {"email": user.email, "password": password})
    assert signed_in.status == 302, signed_in.status
    account = browser.get(site.b, "/en/account/")
    assert account.status == 200
    assert user.email in account.text

    before_change = dict(browser.cookies)
    changed = browser.post_form(
        site.b,
        "/en/account/password",
        {
            "current_password": password,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert changed.status == 302, changed.status
    assert browser.cookies != before_change

    # The old cookie named the old auth token, which is gone from the database.
    old = Browser(before_change).get(site.a, "/en/account/")
    assert old.status == 302
    assert "/en/login" in old.headers["Location"]
    assert browser.get(site.a, "/en/account/").status == 200


def _first_module_slug(session):
    return session.exec(
        sa.select(CurriculumModule.slug)
        .where(CurriculumModule.active)
        .order_by(CurriculumModule.sort_order, CurriculumModule.slug)
    ).first()[0]


def _cache_files(folder):
    """The files of the shared folder but the builders' lock."""
    return sorted(path.name for path in folder.iterdir() if path.name != LOCK_NAME)


def _when_built(host, path):
    """The file at `path` once `host` has built it ("being prepared" until then)."""
    responses = []

    def ready():
        responses.append(request(host, "GET", path))
        assert responses[-1].status in (200, 503), responses[-1].status
        return responses[-1].status == 200

    wait_for(ready, seconds=120, what=f"{path} built by host {host.name}")
    return responses[-1]


@postgres_only
def test_a_pdf_built_by_one_host_is_served_by_the_other_from_the_shared_folder(site, site_db):
    path = f"/en/modules/{_first_module_slug(site_db)}.pdf"
    assert request(site.a, "GET", path).status == 503  # being prepared
    first = _when_built(site.a, path)
    (built,) = [p for p in site.pdf_cache.iterdir() if p.read_bytes() == first.body]
    before = built.stat()

    second = request(site.b, "GET", path)
    assert second.status == 200
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.body == first.body
    after = built.stat()
    # B read A's file: had it drawn it again, the rename would be a new file.
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not [name for name in _cache_files(site.pdf_cache) if name.startswith(".")]


@postgres_only
def test_the_same_unbuilt_pdf_asked_of_both_hosts_at_once(site, site_db):
    path = f"/fr/modules/{_first_module_slug(site_db)}/guide.pdf"
    before = set(_cache_files(site.pdf_cache))
    barrier = threading.Barrier(2)
    responses = {}

    def ask(host):
        barrier.wait()
        responses[host.name] = request(host, "GET", path)

    threads = [threading.Thread(target=ask, args=(host,)) for host in (site.a, site.b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    # Neither visitor waits for the drawing: both are told it is being prepared.
    assert [responses[name].status for name in "AB"] == [503, 503]
    assert all(responses[name].headers["Retry-After"] for name in "AB")

    ready = {host.name: _when_built(host, path) for host in (site.a, site.b)}
    assert ready["A"].headers["ETag"] == ready["B"].headers["ETag"]
    for response in ready.values():
        assert response.headers["Content-Type"] == "application/pdf"
        assert len(PdfReader(io.BytesIO(response.body)).pages) >= 1
    added = set(_cache_files(site.pdf_cache)) - before
    # One file for the PDF, whole, and no temporary file left by either host.
    assert len(added) == 1, added
    (name,) = added
    assert not name.startswith(".")
    assert (site.pdf_cache / name).read_bytes() == ready["A"].body


@postgres_only
def test_a_redis_that_is_down_leaves_the_site_answering_with_limits_per_host(site):
    site.redis.stop()
    try:
        browser = Browser()
        wrong = {"email": "nobody@example.org", "password": "not the password at all"}
        started = time.monotonic()
        statuses = [
            browser.post_form(site.a, "/en/login", wrong).status for _ in range(LOGIN_LIMIT + 1)
        ]
        assert time.monotonic() - started < 30
        # Each host counts in its own memory while Redis is away: still a limit,
        # but one host's count is not the other's (as with memory:// storage).
        assert statuses == [200] * LOGIN_LIMIT + [429]
        assert browser.post_form(site.b, "/en/login", wrong).status == 200
    finally:
        site.redis.start()


@postgres_only
def test_two_curriculum_syncs_at_once_take_turns(scratch_database, catalogue):
    """The race of two hosts starting together, made certain: the second sync
    starts while the first has inserted its rows and not yet committed."""
    admin = sa.create_engine(scratch_database)
    with admin.begin() as connection:
        connection.execute(sa.text("CREATE SCHEMA sync_race"))
    # The table alone, in a schema of its own: empty, as on a fresh database.
    engine = sa.create_engine(
        scratch_database, connect_args={"options": "-c search_path=sync_race"}
    )
    CurriculumModule.__table__.create(engine)
    first, second = Session(engine), Session(engine)
    outcome = {}

    def sync_second():
        try:
            outcome["result"] = sync_one_at_a_time(second, catalogue)
            second.commit()
        except Exception as error:  # reported below
            outcome["error"] = error
            second.rollback()

    try:
        assert sync_one_at_a_time(first, catalogue).added == len(catalogue.modules)
        thread = threading.Thread(target=sync_second)
        thread.start()
        thread.join(1.5)
        assert thread.is_alive(), "the second sync did not wait for the first"
        first.commit()
        thread.join(30)
        assert "error" not in outcome, outcome.get("error")
        assert outcome["result"].added == 0
        assert outcome["result"].unchanged == len(catalogue.modules)
    finally:
        first.close()
        second.close()
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA sync_race CASCADE"))
        admin.dispose()


def test_workers_starting_together_share_one_instance_secret(tmp_path):
    """A worker that finds the secret half-made must not read it empty."""
    making = threading.Event()
    results = {}

    def slow():
        making.set()
        time.sleep(0.5)
        return "made-by-the-slow-one"

    def first():
        results["slow"] = instance_secret(tmp_path, "secret_key", slow)

    thread = threading.Thread(target=first)
    thread.start()
    assert making.wait(5)
    results["fast"] = instance_secret(tmp_path, "secret_key", lambda: "made-by-the-fast-one")
    thread.join(5)

    assert results == {"slow": "made-by-the-fast-one", "fast": "made-by-the-fast-one"}
    assert _cache_files(tmp_path) == ["secret_key"]  # no temporary file left
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "secret_key").read_text() == "made-by-the-fast-one"
