"""Public files built ahead: `flask curriculum build`, the build at start, and
serving from disk (app/pdfbuild.py, app/pdfserve.py).

Most tests use one module without a deck and no campaign: six files (the
handout, the guide and the pack, in two languages), so that a full build
stays short.
"""

import json
import os
import re
import subprocess
import sys
import threading

import pytest
from werkzeug.exceptions import InternalServerError

from app import PROJECT_ROOT, pdfbuild, pdfserve
from tests.campaigns_factory import write_campaign
from tests.conftest import ClosingClient
from tests.curriculum_factory import write_module
from tests.servers import free_port, wait_for

pytestmark = pytest.mark.one_database("postgres")

SIX = [
    f"/{lang}/modules/{name}"
    for lang in ("fr", "en")
    for name in ("recruiters.pdf", "recruiters/guide.pdf", "pack.pdf")
]


@pytest.fixture
def one_module(tmp_path):
    root = tmp_path / "curriculum"
    write_module(root, "recruiters")
    return root


@pytest.fixture
def built(tmp_path):
    return tmp_path / "built"


@pytest.fixture
def app(make_app, one_module, built):
    return make_app(
        CURRICULUM_PATH=str(one_module), CURRICULUM_RELOAD_SECONDS=0, PDF_CACHE_DIR=str(built)
    )


def _target(app, path):
    (target,) = [t for t in pdfbuild.targets(app) if t.path == path]
    return target


def _files(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def _built_lines(output):
    return sorted(re.findall(r"^  built (\S+) \(\d+ KiB, [\d.]+ s\)$", output, re.MULTILINE))


def test_the_command_builds_every_public_file_then_only_what_is_missing(app, built):
    result = app.test_cli_runner().invoke(args=["curriculum", "build"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Public files in {built}\n")
    assert _built_lines(result.output) == sorted(SIX)
    assert result.output.endswith(
        "6 public files: 6 built, 0 unchanged, 0 failed; 0 old files removed.\n"
    )
    names = _files(built)
    assert names == sorted(_target(app, path).name for path in SIX)
    stamps = {name: (built / name).stat().st_mtime_ns for name in names}

    again = app.test_cli_runner().invoke(args=["curriculum", "build"])
    assert again.exit_code == 0, again.output
    assert _built_lines(again.output) == []
    assert "6 public files: 0 built, 6 unchanged, 0 failed; 0 old files removed." in again.output
    assert {name: (built / name).stat().st_mtime_ns for name in _files(built)} == stamps


def test_a_built_file_is_served_from_disk_with_its_etag(app):
    pdfbuild.build_all(app)
    client = app.test_client()
    for path in ("/en/modules/recruiters.pdf", "/fr/modules/pack.pdf"):
        target = _target(app, path)
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == "application/pdf"
        # The very bytes a fresh rendering draws, served without drawing.
        assert response.data == pdfbuild.render(app, target)
        assert response.headers["Content-Length"] == str(len(response.data))
        assert response.headers["ETag"] == f'"{target.key}"'
        assert response.headers["Cache-Control"] == "public, max-age=3600"
        response.close()

        again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        again.close()
        head = client.head(path)
        assert head.status_code == 200 and head.data == b""
        assert head.headers["Content-Length"] == response.headers["Content-Length"]
        head.close()


def test_an_edit_builds_only_the_files_it_changes(make_app, curriculum_dir, built):
    """Two modules: editing one gives new files for it and the packs, not for the other."""
    app = make_app(
        CURRICULUM_PATH=str(curriculum_dir), CURRICULUM_RELOAD_SECONDS=0, PDF_CACHE_DIR=str(built)
    )
    runner = app.test_cli_runner()
    assert "10 public files: 10 built" in runner.invoke(args=["curriculum", "build"]).output
    client = app.test_client()
    before = client.get("/en/modules/recruiters.pdf")
    other = client.get("/en/modules/online.pdf")
    before.close()
    other.close()

    path = curriculum_dir / "recruiters" / "en.md"
    path.write_text(path.read_text().replace("Test module 1", "Edited module"))
    result = runner.invoke(args=["curriculum", "build"])
    assert _built_lines(result.output) == sorted(
        f"/{lang}/modules/{name}"
        for lang in ("fr", "en")
        for name in ("recruiters.pdf", "recruiters/guide.pdf", "pack.pdf")
    )
    assert "10 public files: 6 built, 4 unchanged, 0 failed; 0 old files removed." in result.output

    edited = client.get(
        "/en/modules/recruiters.pdf", headers={"If-None-Match": before.headers["ETag"]}
    )
    assert edited.status_code == 200 and edited.headers["ETag"] != before.headers["ETag"]
    assert edited.data == pdfbuild.render(app, _target(app, "/en/modules/recruiters.pdf"))
    edited.close()
    same = client.get("/en/modules/online.pdf", headers={"If-None-Match": other.headers["ETag"]})
    assert same.status_code == 304
    same.close()

    # The previous files stay for a host still on them, within PDF_CACHE_MAX_BYTES;
    # past it the old ones go, never a current one.
    assert len(_files(built)) == 16
    app.config["PDF_CACHE_MAX_BYTES"] = 0
    pruned = runner.invoke(args=["curriculum", "build"])
    assert "10 public files: 0 built, 10 unchanged, 0 failed; 6 old files removed." in pruned.output
    assert _files(built) == sorted(t.name for t in pdfbuild.targets(app))


@pytest.mark.parametrize(
    ("lang", "title", "back"),
    [
        ("fr", "Ce fichier est en préparation", "/fr/modules/recruiters/"),
        ("en", "This file is being prepared", "/en/modules/recruiters/"),
    ],
)
def test_a_file_being_built_is_announced_then_served(app, built, lang, title, back):
    client = app.test_client()
    path = f"/{lang}/modules/recruiters.pdf"
    with pdfbuild.build_lock(built):  # as a build under way in another process
        response = client.get(path)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        assert f"<h1>{title}</h1>" in page
        # A link to ask again, one back; the page's script asks by itself.
        assert f'href="{path}"' in page and f'href="{back}"' in page
        assert '<script src="/static/js/preparing.js' in page and "<script>" not in page
        assert f'role="status" data-file="{path}" data-seconds="5"' in page
        # The answer came at once: the builder waits for the lock, the visitor does not.
        builder = app.extensions["pdfbuild_runner"]
        assert builder.is_busy() and not _files(built)
        assert client.get(path).status_code == 503
    assert builder.wait_idle(timeout=120)
    ready = client.get(path)
    assert ready.status_code == 200
    assert ready.data == pdfbuild.render(app, _target(app, path))
    ready.close()
    # Only the file asked for was built, not the whole set.
    assert _files(built) == [_target(app, path).name]


def test_each_process_builds_at_its_start_without_holding_up_its_pages(make_app, one_module, built):
    app = make_app(
        CURRICULUM_PATH=str(one_module), PDF_CACHE_DIR=str(built), PDF_BUILD_AT_START=True
    )
    client = app.test_client()
    assert client.get("/fr/").status_code == 200  # the process's first request
    builder = app.extensions["pdfbuild_runner"]
    assert builder.is_busy(), "the build runs beside the pages"
    assert client.get("/en/modules/").status_code == 200
    assert builder.wait_idle(timeout=180)
    assert _files(built) == sorted(_target(app, path).name for path in SIX)
    for path in SIX:
        response = ClosingClient(client).get(path)
        assert response.status_code == 200, path


def test_one_build_at_a_time_the_command_waits_for_another(app, built):
    runner = app.test_cli_runner()
    outcome = {}
    with pdfbuild.build_lock(built):
        thread = threading.Thread(
            target=lambda: outcome.update(result=runner.invoke(args=["curriculum", "build"]))
        )
        thread.start()
        thread.join(timeout=2)
        assert thread.is_alive(), "the command waits while the lock is held"
        assert not _files(built)
    thread.join(timeout=180)
    output = outcome["result"].output
    assert "Another build is under way: waiting for it to end.\n" in output
    assert "6 public files: 6 built" in output


def test_a_file_that_cannot_be_drawn_fails_the_command_not_the_others(app, built):
    def broken():
        raise RuntimeError("a template error")

    def source():
        return [pdfbuild.Target("/fr/broken.pdf", "inputs", ".pdf", broken)]

    pdfbuild.register(app, source)
    result = app.test_cli_runner().invoke(args=["curriculum", "build"])
    assert result.exit_code == 1
    assert "FAILED /fr/broken.pdf: RuntimeError: a template error" in result.output
    assert "7 public files: 6 built, 0 unchanged, 1 failed" in result.output
    assert len(_files(built)) == 6


def test_a_file_that_cannot_be_drawn_is_an_error_page_for_a_while(app, monkeypatch):
    """Not "being prepared" for ever: the builder's failure answers a 500 (its
    log says why), and after FAILED_SECONDS the file is tried again."""

    def broken():
        raise RuntimeError("a template error")

    target = pdfbuild.Target("/fr/broken.pdf", "inputs", ".pdf", broken)
    builder = app.extensions["pdfbuild_runner"]

    def ask():
        with app.test_request_context(target.path):
            return pdfserve.send_built(target, mimetype="application/pdf", download_name="b.pdf")

    assert ask()[1] == 503
    assert builder.wait_idle(timeout=60) and builder.failed_lately(target)
    with pytest.raises(InternalServerError):
        ask()
    monkeypatch.setattr(pdfserve, "FAILED_SECONDS", 0)
    assert ask()[1] == 503  # tried again
    assert builder.wait_idle(timeout=60)


def test_every_public_file_of_the_url_map_is_built(make_app, curriculum_dir, tmp_path):
    """Each public route that answers a PDF or a card (not a share link's
    schedule) has its files in the build, in both languages."""
    for lang, title in (("fr", "Présentation"), ("en", "Presentation")):
        (curriculum_dir / "recruiters" / f"deck.{lang}.md").write_text(
            f'---\ntitle: "{title}"\nversion: "1.0"\nupdated: 2026-11-30\n---\n\n'
            f"# {title}\n\nTest\n",
            encoding="utf-8",
        )
    write_campaign(curriculum_dir, "spring")
    app = make_app(CURRICULUM_PATH=str(curriculum_dir), PDF_CACHE_DIR=str(tmp_path / "b"))
    public_files = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.rule.endswith((".pdf", ".png"))
        and app.view_functions[rule.endpoint].access_rule[0] == "public"
        and "token" not in rule.arguments
    }
    adapter = app.url_map.bind("localhost")
    paths = [t.path for t in pdfbuild.targets(app)]
    assert {adapter.match(path)[0] for path in paths} == public_files
    assert len(paths) == len(set(paths)) == 2 * (2 * 2 + 1 + 1 + 5)  # guides, deck, pack, materials
    assert "/fr/modules/recruiters/deck.pdf" in paths and "/en/modules/online/deck.pdf" not in paths
    assert "/en/campaigns/spring/card-story.png" in paths


@pytest.fixture
def sqlite_url(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("one gunicorn on this test's SQLite file is enough here")
    return database_url


def test_gunicorns_workers_build_at_start_one_at_a_time(sqlite_url, one_module, tmp_path):
    """gunicorn with the repository's gunicorn.conf.py and two workers: the
    files appear with no request at all, each built once (the lock)."""
    built = tmp_path / "gunicorn-built"
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": sqlite_url,
        "SECRET_KEY": "test-secret-key",
        "MOBILIS_INSTANCE_PATH": str(tmp_path / "instance"),
        "CURRICULUM_PATH": str(one_module),
        "PDF_CACHE_DIR": str(built),
        "HELP_ALERT_RUNNER": "off",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py")],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: (
                built.is_dir() and len(_files(built)) == 6 and not list(built.glob(".render-*"))
            ),
            seconds=240,
            what="six files built by the workers",
        )
    finally:
        server.terminate()
        server.wait(30)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert not [line for line in lines if line["level"] in ("error", "critical")], messages
    built_paths = [m.split(": ", 1)[1].split(" (")[0] for m in messages if "public file built" in m]
    assert sorted(built_paths) == sorted(SIX), "each file built once, by one worker"
