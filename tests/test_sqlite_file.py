"""The SQLite database file is created readable by its owner only."""

import os
import stat

import pytest

from app.migrations.commands import upgrade


@pytest.fixture
def open_umask():
    """The usual umask (022), under which SQLite alone makes a file 644."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path, open_umask):
    path = tmp_path / "fresh.sqlite3"
    upgrade(f"sqlite:///{path}")
    assert _mode(path) == 0o600
    for companion in (tmp_path / "fresh.sqlite3-wal", tmp_path / "fresh.sqlite3-shm"):
        if companion.exists():
            assert _mode(companion) == 0o600, companion.name


def test_the_default_database_in_the_instance_folder_is_private(make_app, tmp_path, open_umask):
    app = make_app(DATABASE_URL=None, INSTANCE_PATH=str(tmp_path / "instance"))
    assert app.config["DATABASE_URL"].endswith("mobilis.sqlite3")
    assert app.test_client().get("/healthz").status_code == 200
    assert _mode(tmp_path / "instance" / "mobilis.sqlite3") == 0o600
