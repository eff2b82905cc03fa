"""`flask backup` and `flask restore`, on SQLite and on PostgreSQL."""

import sqlite3
import stat
from datetime import date

import pytest
from sqlmodel import delete, select

from app.accounts.models import User
from app.help import services as help_services
from app.help.models import Conversation, Message
from app.migrations.commands import upgrade


def _ask(app, db, body):
    asked = help_services.ask(
        db,
        vault=app.extensions["help_vault"],
        body=body,
        topic="other",
        school_id=None,
        lang="fr",
        today=date(2026, 3, 2),
    )
    db.commit()
    return asked


def test_backup_and_restore_round_trip(app, db, runner, create_user, tmp_path):
    vault = app.extensions["help_vault"]
    user = create_user(name="Avant la sauvegarde")
    asked = _ask(app, db, "Mon ami a peur de son chum")
    path = tmp_path / "mobilis.backup"

    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {path}" in result.output and "bytes" in result.output
    assert "help_encryption_key" in result.output  # the reminder to keep the keys apart

    user.name = "Après la sauvegarde"
    create_user(email="after@example.org")
    db.exec(delete(Message))
    db.exec(delete(Conversation))
    db.commit()
    assert db.exec(select(Conversation)).all() == []
    db.close()  # PostgreSQL: no lock held on the tables being replaced

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output

    users = {u.email: u.name for u in db.exec(select(User)).all()}
    assert users == {user.email: "Avant la sauvegarde"}
    conversation = help_services.find(db, vault=vault, passphrase=asked.passphrase)
    assert conversation is not None and conversation.id == asked.conversation.id
    shown = help_services.messages(db, vault=vault, conversation=conversation)
    assert [m.text for m in shown] == ["Mon ami a peur de son chum"]


def test_the_backup_file_is_private_and_written_whole(runner, tmp_path):
    path = tmp_path / "mobilis.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_into_a_missing_folder_fails_clearly(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "mobilis.backup")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup_of_this_app(runner, db, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY)")
    connection.close()
    db.close()
    for path in (text, other, tmp_path / "missing.backup"):
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code == 1, result.output
        assert "Error:" in result.output and "Restored" not in result.output


def test_restore_refuses_a_backup_from_an_unknown_migration(runner, database_url, tmp_path):
    path = tmp_path / "future.sqlite3"
    upgrade(f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    connection.close()
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    # PostgreSQL refuses any SQLite file; the unknown migration is named on SQLite.
    if database_url.startswith("sqlite"):
        assert "from_the_future" in result.output


def test_restore_without_yes_refuses_when_nobody_can_answer(app, db, runner, create_user, tmp_path):
    user = create_user(name="Gardé")
    path = tmp_path / "mobilis.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    user.name = "Changé"
    db.commit()
    db.close()

    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 1
    assert "--yes" in result.output
    assert db.get(User, user.id).name == "Changé"


def test_restore_migrates_an_older_backup_up(runner, database_url, tmp_path):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite files only; PostgreSQL refuses them (tested above)")
    path = tmp_path / "old.sqlite3"
    upgrade(f"sqlite:///{path}", revision="0009")
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    connection.close()
    assert revision != "0009"
