"""The flask commands: create-user, create-partner, seed-demo, db, and who registers each."""

import os
import subprocess
import sys

from sqlmodel import select

from app.accounts.models import Partner, User
from app.devdata.demo import DEMO_DOMAIN, USERS
from app.presentations.models import Presentation, SchoolRequest


def test_create_user_with_partner(runner, create_partner, db):
    partner = create_partner(code="kekpart")
    result = runner.invoke(
        args=[
            "create-user",
            "Worker@Example.org",
            "--role",
            "prevention_worker",
            "--name",
            "Sam Worker",
            "--partner",
            "kekpart",
            "--password",
            "long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.email == "worker@example.org")).one()
    assert user.partner_id == partner.id and user.role == "prevention_worker"
    assert user.password_hash.startswith("$argon2id$")


def test_create_user_prompts_for_a_hidden_password(runner, db):
    result = runner.invoke(
        args=["create-user", "a@example.org", "--role", "admin", "--name", "A"],
        input="long enough password\nlong enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "long enough password" not in result.output
    assert db.exec(select(User).where(User.email == "a@example.org")).one()


def test_create_user_refuses_a_duplicate_email(runner, create_user, db):
    create_user(email="taken@example.org")
    result = runner.invoke(
        args=[
            "create-user",
            "TAKEN@example.org",
            "--role",
            "admin",
            "--name",
            "B",
            "--password",
            "long enough password",
        ]
    )
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert lines == ["Error: an account with e-mail taken@example.org already exists"]
    assert len(db.exec(select(User)).all()) == 1


def test_create_user_refuses_bad_input(runner, db):
    for args, message in [
        (["--role", "admin", "--name", "B", "--password", "short"], "at least 12"),
        (["--role", "boss", "--name", "B", "--password", "long enough password"], "boss"),
        (
            [
                "--role",
                "admin",
                "--name",
                "B",
                "--password",
                "long enough password",
                "--partner",
                "nope",
            ],
            "no partner with code 'nope'",
        ),
    ]:
        result = runner.invoke(args=["create-user", "b@example.org", *args])
        assert result.exit_code != 0
        assert message in result.output
    assert db.exec(select(User)).all() == []


def test_create_partner_and_duplicate(runner, db):
    args = ["create-partner", "spal", "--name", "Police de Longueuil", "--kind", "police"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "already exists" in result.output
    assert len(db.exec(select(Partner)).all()) == 1


def test_seed_demo_is_idempotent_and_prints_passwords_once(runner, db, app):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert first.output.count(f"@{DEMO_DOMAIN}") == len(USERS)
    users = db.exec(select(User)).all()
    assert {u.role.value for u in users} == {
        "admin",
        "coordinator",
        "prevention_worker",
        "police_officer",
        "youth_worker",
    }
    assert len(db.exec(select(Partner)).all()) == 3
    held = [p.actual_audience for p in db.exec(select(Presentation)) if p.status == "held"]
    assert len(held) == 2 and all(held)
    assert len(db.exec(select(Presentation)).all()) == 3
    assert {r.kind for r in db.exec(select(SchoolRequest)) if r.status == "open"} == {
        "presentation",
        "visit",
    }
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert f"@{DEMO_DOMAIN}" not in second.output
    assert len(db.exec(select(User)).all()) == len(USERS)
    assert len(db.exec(select(Presentation)).all()) == 3
    sign_ins = app.instance_path + "/demo-sign-ins.txt"
    assert os.stat(sign_ins).st_mode & 0o077 == 0


def test_demo_passwords_work(runner, client, auth):
    output = runner.invoke(args=["seed-demo"]).output
    line = next(line for line in output.splitlines() if f"admin@{DEMO_DOMAIN}" in line)
    password = line.split()[-1]
    assert auth.login(f"admin@{DEMO_DOMAIN}", password).location == "/fr/admin/users/"


def test_seed_demo_refuses_real_users_without_force(runner, create_user, db):
    create_user(email="real.person@kekpart.org")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "--force" in result.output
    assert len(db.exec(select(User)).all()) == 1
    assert runner.invoke(args=["seed-demo", "--force"]).exit_code == 0
    assert len(db.exec(select(User)).all()) == 1 + len(USERS)


def test_seed_demo_if_empty_does_nothing_when_users_exist(runner, create_user, db):
    create_user()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert len(db.exec(select(User)).all()) == 1


def test_flask_cli_finds_the_app_from_the_repo_root(project_root, database_url, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MOBILIS_INSTANCE_PATH": str(tmp_path),
        "FLASK_APP": "",
    }
    env.pop("FLASK_APP")
    flask = [sys.executable, "-m", "flask"]
    for extra in ([], ["--app", "app"]):
        result = subprocess.run(
            [*flask, *extra, "db", "current"],
            cwd=project_root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "(head)" in result.stdout


def test_each_command_is_registered_by_the_package_it_belongs_to(app):
    """The commands `flask --help` lists; a domain's own come from its package."""
    assert sorted(app.cli.commands) == [
        "backup",
        "create-partner",
        "create-user",
        "curriculum",
        "db",
        "help",
        "restore",
        "seed-demo",
        "seed-synthetic",
    ]
    owners = {name: command.callback.__module__ for name, command in app.cli.commands.items()}
    assert owners["create-user"] == owners["create-partner"] == "app.accounts.commands"
    assert owners["curriculum"] == "app.curriculum.commands"
    assert owners["help"] == "app.help.commands"
    assert owners["db"] == "app.migrations.commands"
