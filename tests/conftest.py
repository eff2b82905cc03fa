"""Fixtures: an application on a fresh database for every test.

The database is SQLite (a file per test, copied from a migrated template) or,
when TEST_DATABASE_URL is set, the PostgreSQL server that `make test` starts:
migrated once, emptied after every test.
"""

import functools
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

import app.migrations.tables  # registers every table
from app import PROJECT_ROOT, create_app
from app.accounts import services as accounts
from app.accounts import two_factor
from app.accounts.models import User
from app.db import utcnow
from app.migrations.commands import upgrade
from app.security import Role

pytest_plugins = [
    "tests.curriculum_factory",
    "tests.schools_factory",
    "tests.visits_factory",
    "tests.help_factory",
    "tests.evaluation_factory",
]

PG_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct horse battery staple"
# The two-factor secret of every youth worker and admin made by `create_user`
# (pass totp_secret=None for one who has yet to enrol).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def pytest_report_header():
    return f"database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


def pytest_collection_modifyitems(config, items):
    """Under `make test`, which runs the suite on SQLite and on PostgreSQL side
    by side (MOBILIS_TESTS_SPLIT=1), a module marked `one_database("sqlite")`
    or `one_database("postgres")` runs in that run only: what it checks (a
    PDF, a layout, the typography) is drawn the same from either database, and
    the two runs share the machine's two cores. Run alone, pytest runs it."""
    if not os.environ.get("MOBILIS_TESTS_SPLIT"):
        return
    run = "postgres" if PG_URL else "sqlite"
    for item in items:
        marker = item.get_closest_marker("one_database")
        if marker is not None and marker.args[0] != run:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"the same on both databases: run by the {marker.args[0]} run"
                )
            )


@pytest.fixture(scope="session")
def _migrated_database(tmp_path_factory):
    """A database at the latest migration: a SQLite template file, or PostgreSQL."""
    if PG_URL:
        engine = sa.create_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        upgrade(PG_URL)
        return PG_URL
    template = tmp_path_factory.mktemp("db") / "template.sqlite3"
    upgrade(f"sqlite:///{template}")
    return template


@functools.cache
def _emptying(url):
    """An engine kept for the run, and the statements that empty every table
    and restart every sequence: DELETE, children first, takes about 15 ms on
    the tests' small tables where TRUNCATE of all forty took 80 to 120 ms,
    some two minutes of the PostgreSQL run."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        sequences = connection.exec_driver_sql(
            "SELECT quote_ident(sequence_name) FROM information_schema.sequences"
            " WHERE sequence_schema = 'public'"
        ).scalars()
        restarts = [f"ALTER SEQUENCE {name} RESTART" for name in sequences]
    tables = reversed(SQLModel.metadata.sorted_tables)  # names from the models, not input
    deletes = [f'DELETE FROM "{t.name}"' for t in tables]  # noqa: S608
    return engine, "; ".join(deletes + restarts)


def _empty_postgres(url):
    engine, statements = _emptying(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(statements)


@pytest.fixture
def database_url(_migrated_database, tmp_path):
    if PG_URL:
        yield PG_URL
        _empty_postgres(PG_URL)
        return
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(_migrated_database, path)
    yield f"sqlite:///{path}"


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an application on this test's database, with `overrides`."""
    built = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SERVER_NAME": None,
            "MAIL_BACKEND": "memory",
            # Alerts are sent when a test says so (tests.help_factory.deliver_alerts);
            # the in-process runner is tested on its own.
            "HELP_ALERT_RUNNER": "off",
            # The request form's minimum fill time is tested on its own.
            "REQUEST_MIN_SECONDS": 0,
            # Public files are built when a test asks (its client, or
            # app.pdfbuild.build_all), at the test client's address.
            "PDF_BUILD_AT_START": False,
            "PUBLIC_URL": "http://localhost",
            # Cheap argon2id for speed; production parameters are tested apart.
            "PASSWORD_HASH_PARAMETERS": {"time_cost": 1, "memory_cost": 64, "parallelism": 1},
            **overrides,
        }
        application = create_app(config)
        built.append(application)
        return application

    yield make
    for application in built:
        runner = application.extensions.get("help_alert_runner")
        if runner is not None:
            runner.stop()
        application.extensions["mobilis_engine"].dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session on the test database for building and checking data.

    Deliberately outside any application context: a context pushed for the
    whole test would be shared by every test-client request (and its `g`).
    """
    with Session(app.extensions["mobilis_engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def create_partner(app, db):
    counter = iter(range(1, 10_000))

    def create(*, code=None, name="Maison de jeunes de test", kind="youth_house"):
        n = next(counter)
        partner = accounts.create_partner(
            db, code=code or f"partner-{n}", name=f"{name} {n}", kind=kind
        )
        db.commit()
        return partner

    return create


@pytest.fixture
def create_user(app, db):
    counter = iter(range(1, 10_000))

    def create(role=Role.PREVENTION_WORKER, *, email=None, name=None, password=PASSWORD, **kw):
        n = next(counter)
        with app.app_context():  # hashes with the app's (test) parameters
            user = accounts.create_user(
                db,
                email=email or f"{Role(role).value}-{n}@example.org",
                name=name or f"Test {Role(role).value} {n}",
                role=role,
                password=password,
                partner=kw.get("partner"),
            )
        if two_factor.required_for(user):
            user.totp_secret = TOTP_SECRET
            user.totp_enrolled_at = utcnow()
        for key, value in kw.items():
            if key != "partner":
                setattr(user, key, value)
        db.commit()
        return user

    return create


def fresh_code(engine, email):
    """A code the site will accept now for the account `email`.

    Codes cannot be used twice (the last accepted time step is stored), and
    tests sign the same person in several times within 30 seconds; so this
    first clears the account's last accepted step through the database, as
    a fixture would, then gives the code of the current step.
    """
    with Session(engine) as session:
        user = session.exec(sa.select(User).where(User.email == email)).scalar_one()
        user.totp_last_step = None
        session.commit()
        return two_factor.code_at(user.totp_secret, two_factor.current_step())


class ClosingClient:
    """A test client whose responses are read and closed (PDFs and images are
    streamed files, which would stay open otherwise).

    Like a browser on the "being prepared" page (app/pdfserve.py), it asks
    again for a public file once the app's builder has built it.
    """

    def __init__(self, client):
        self._client = client

    def _get(self, *args, **kwargs):
        response = self._client.get(*args, **kwargs)
        response.get_data()
        response.close()
        return response

    def get(self, *args, **kwargs):
        response = self._get(*args, **kwargs)
        if response.status_code == 503 and "Retry-After" in response.headers:
            builder = self._client.application.extensions["pdfbuild_runner"]
            assert builder.wait_idle(timeout=180), "the public file was not built in 3 minutes"
            response = self._get(*args, **kwargs)
        return response


class AuthActions:
    def __init__(self, client):
        self._client = client

    def csrf_token(self, path="/fr/login"):
        response = self._client.get(path)
        return extract_csrf_token(response.get_data(as_text=True))

    def password_step(self, email, password=PASSWORD, lang="fr"):
        """Only the first step: e-mail and password."""
        token = self.csrf_token(f"/{lang}/login")
        return self._client.post(
            f"/{lang}/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def send_code(self, code, lang="fr"):
        path = f"/{lang}/login/code"
        token = self.csrf_token(path)
        return self._client.post(path, data={"code": code, "csrf_token": token})

    def enrol(self, lang="fr"):
        """Set up two-factor from the key the enrolment page shows; returns
        (response, secret)."""
        path = f"/{lang}/login/set-up-code"
        html = self._client.get(path).get_data(as_text=True)
        secret = html.split("<code>", 1)[1].split("</code>", 1)[0].replace(" ", "")
        code = two_factor.code_at(secret, two_factor.current_step())
        token = extract_csrf_token(html)
        return self._client.post(path, data={"code": code, "csrf_token": token}), secret

    def login(self, email, password=PASSWORD, lang="fr"):
        """Sign in completely: the password, then the code when one is asked
        (enrolling first when the account has none yet)."""
        response = self.password_step(email, password, lang)
        location = response.headers.get("Location", "")
        if location.endswith("/login/code"):
            engine = self._client.application.extensions["mobilis_engine"]
            return self.send_code(fresh_code(engine, accounts.normalize_email(email)), lang)
        if location.endswith("/login/set-up-code"):
            return self.enrol(lang)[0]
        return response

    def logout(self, lang="fr"):
        token = self.csrf_token(f"/{lang}/")
        return self._client.post(f"/{lang}/logout", data={"csrf_token": token})


def extract_csrf_token(html):
    marker = 'name="csrf_token" type="hidden" value="'
    if marker not in html:
        marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def post_with_token(client, path, data=None, token_page=None):
    """POST `data` to `path` with the CSRF token of the form page
    (`token_page`, else `path` itself), as a browser sends it."""
    token = extract_csrf_token(client.get(token_page or path).get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture(scope="module")
def gunicorn_settings():
    """gunicorn.conf.py's settings, for the log tests (tests/test_help_logs.py,
    tests/test_evaluation_logs.py). It sets LOG_FORMAT, which is put back."""
    before = os.environ.get("LOG_FORMAT")
    settings = {}
    exec((PROJECT_ROOT / "gunicorn.conf.py").read_text(), settings)  # noqa: S102
    if before is None:
        os.environ.pop("LOG_FORMAT", None)
    else:
        os.environ["LOG_FORMAT"] = before
    return settings


@pytest.fixture(scope="session")
def project_root():
    return Path(__file__).resolve().parent.parent
