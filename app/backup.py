"""Backups of the database, and only it: made and restored (`flask backup PATH`
and `flask restore PATH`, app/cli.py).

SQLite: the online backup API copies a consistent snapshot while the site runs,
and copies it back into the live file (the readers see the old or the new
database, never a mix). PostgreSQL: `pg_dump --format=custom` and
`pg_restore --clean --if-exists --no-owner` in one transaction, given the
connection through PG* environment variables so that the password never
shows in a process list.

The help encryption key and passphrase key are never part of a backup: they
are kept apart on purpose (a backup stored beside its key protects nothing).
"""

import glob
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app.migrations.commands import alembic_config, upgrade

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
KEYS_APART = (
    "The help encryption keys are not in the backup: back up "
    "instance/help_encryption_key and instance/help_passphrase_key (or the "
    "HELP_ENCRYPTION_KEYS and HELP_PASSPHRASE_KEY settings) apart from it. "
    "Without them the questions in a backup cannot be read; stored beside it, "
    "the encryption protects nothing."
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


def _is_sqlite(database_url):
    return sa.engine.make_url(database_url).get_backend_name() == "sqlite"


def _sqlite_file(database_url):
    database = sa.engine.make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("the SQLite database is in memory: nothing to back up")
    return Path(database)


def _known_revision(revision):
    """Whether `revision` is one of this app's migrations."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        return scripts.get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown or bad id
        return False


def _check_revision(revision, path):
    if revision is None:
        raise BackupError(f"{path} is not a backup of this application (no alembic_version)")
    if not _known_revision(revision):
        raise BackupError(
            f"{path} is at migration {revision!r}, which this version of the "
            "application does not know (a backup from a newer version?)"
        )
    return revision


# SQLite


def _sqlite_revision(path):
    """The migration a SQLite file is at, or None when it is not this app's."""
    with open(path, "rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return None
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if not has_table:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()


def _sqlite_backup(database_url, temporary):
    source_path = _sqlite_file(database_url)
    if not source_path.is_file():
        raise BackupError(f"the database {source_path} does not exist")
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(temporary)
    try:
        source.backup(target)
        # A single self-contained file: no -wal beside it to forget.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    _check_revision(_sqlite_revision(temporary), source_path)


def _sqlite_restore(database_url, path):
    target_path = _sqlite_file(database_url)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# PostgreSQL


def pg_tool(name):
    """The path of a PostgreSQL client program: on PATH, else the newest installed."""
    found = shutil.which(name)
    if found:
        return found
    folders = glob.glob("/usr/lib/postgresql/*/bin")
    folders.sort(key=lambda folder: [int(n) for n in re.findall(r"\d+", folder)])
    for folder in reversed(folders):
        candidate = Path(folder) / name
        if os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(f"{name} not found (install the PostgreSQL client programs)")


def pg_environment(database_url):
    """The environment that points libpq at `database_url` (password included)."""
    url = sa.engine.make_url(database_url)
    env = dict(os.environ)
    values = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": str(url.port) if url.port else url.query.get("port"),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
    }
    for key, value in values.items():
        if value:
            env[key] = value if isinstance(value, str) else value[0]
        else:
            env.pop(key, None)
    return env


def _run(command, database_url, **kwargs):
    try:
        return subprocess.run(  # noqa: S603  (a list, no shell: our tool, our paths)
            command, env=pg_environment(database_url), capture_output=True, check=True, **kwargs
        )
    except subprocess.CalledProcessError as error:
        lines = error.stderr.decode(errors="replace").strip().splitlines()
        errors = [line for line in lines if "error:" in line] or lines[-1:]
        detail = errors[0] if errors else f"exit code {error.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {detail}") from None


def _pg_revision(database_url, path):
    """The migration a pg_dump archive is at, or None when it is not this app's."""
    with open(path, "rb") as f:
        if f.read(len(PG_CUSTOM_HEADER)) != PG_CUSTOM_HEADER:
            return None
    try:
        result = _run(
            [pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", path],
            database_url,
        )
    except BackupError:
        return None
    lines = result.stdout.decode(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line:
            data = lines[i + 1] if i + 1 < len(lines) else "\\."
            return None if data == "\\." else data.strip()
    return None


def _pg_backup(database_url, temporary):
    _run(
        [pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={temporary}"],
        database_url,
    )
    _check_revision(_pg_revision(database_url, temporary), "the dump")


def _pg_restore(database_url, path):
    # `--dbname=` left empty makes pg_restore connect, and libpq then takes the
    # database name, like the rest of the connection, from the environment.
    _run(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname=",
            str(path),
        ],
        database_url,
    )


# Services


def backup(database_url, path):
    """Write a backup of the database to `path` atomically (mode 600); its size."""
    path = Path(path)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise BackupError(f"the folder {folder} does not exist")
    # mkstemp makes the file with mode 600, in the same folder so the rename is atomic.
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if _is_sqlite(database_url):
            _sqlite_backup(database_url, temporary)
        else:
            _pg_backup(database_url, temporary)
        os.chmod(temporary, 0o600)
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path.stat().st_size


def backup_revision(database_url, path):
    """The migration of a backup of this app made for this kind of database, or BackupError."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    if _is_sqlite(database_url):
        revision = _sqlite_revision(path)
    else:
        revision = _pg_revision(database_url, path)
    return _check_revision(revision, path)


def restore(database_url, path):
    """Replace the database by the backup at `path`, then migrate it up; its revision."""
    revision = backup_revision(database_url, path)
    if _is_sqlite(database_url):
        _sqlite_restore(database_url, path)
    else:
        _pg_restore(database_url, path)
    upgrade(database_url)
    return revision
