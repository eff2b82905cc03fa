"""Files the site leaves on disk: WeasyPrint's temporary folders, the PDF
cache's size (the SQLite database's mode: tests/test_sqlite_file.py)."""

import gc
import os
import tempfile
import time
from pathlib import Path

import pytest

from app import PROJECT_ROOT
from app.config import Config
from app.curriculum import pdfs
from app.pdf import PDF_FOLDERS, page_count, prune_cache


@pytest.fixture
def scratch_tmp(tmp_path, monkeypatch):
    """A fresh, empty TMPDIR for this test, and the garbage collector held off:
    what is left is left by the rendering, not tidied by chance."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    gc.collect()
    gc.disable()
    yield folder
    gc.enable()


def test_a_module_pdf_leaves_no_temporary_folder(curriculum_app, scratch_tmp, tmp_path):
    assert tempfile.gettempdir() == str(scratch_tmp)
    response = curriculum_app.test_client().get("/en/modules/recruiters.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert list(scratch_tmp.iterdir()) == []
    assert len(list((tmp_path / "pdf-cache").iterdir())) == 1


def test_laying_out_pages_leaves_no_temporary_folder(scratch_tmp):
    css = "@font-face { font-family: Body; src: url(/static/fonts/DejaVuSans.ttf); }"
    html = "<html lang='en'><body style='font-family: Body'><p>One page.</p></body></html>"
    assert page_count(html, folders=PDF_FOLDERS, stylesheets=[css]) == 1
    assert list(scratch_tmp.iterdir()) == []


def test_weasyprint_is_used_through_app_pdf_only():
    """Every rendering goes through app/pdf.py, which removes its folder."""
    users = [
        str(path.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "app").rglob("*.py")
        if "weasyprint" in path.read_text(encoding="utf-8")
    ]
    assert users == ["app/pdf.py"]


def _cache_with(app, sizes):
    """Files of these sizes in the PDF cache, the first the oldest."""
    folder = Path(app.config["PDF_CACHE_DIR"])
    with app.test_request_context("/en/"):
        for number, size in enumerate(sizes):
            path = pdfs.cached_pdf(f"key{number}", lambda size=size: b"%" * size)
            # An hour apart, oldest first, whatever the clock's resolution.
            moment = time.time() - 3600 * (len(sizes) - number)
            os.utime(path, (moment, moment))
    return folder


def test_the_pdf_cache_is_pruned_oldest_first(make_app, tmp_path):
    app = make_app(PDF_CACHE_DIR=str(tmp_path / "pdfs"), PDF_CACHE_MAX_BYTES=3000)
    folder = _cache_with(app, [1000] * 5)
    assert sorted(p.name for p in folder.iterdir()) == ["key2.pdf", "key3.pdf", "key4.pdf"]
    # A file larger than the bound is still served, alone.
    folder = _cache_with(app, [1000, 5000])
    assert sorted(p.name for p in folder.iterdir()) == ["key1.pdf"]
    assert (folder / "key1.pdf").stat().st_size == 5000


def test_a_cached_file_is_served_again_without_rendering(make_app, tmp_path):
    app = make_app(PDF_CACHE_DIR=str(tmp_path / "pdfs"))
    with app.test_request_context("/en/"):
        first = pdfs.cached_pdf("same", lambda: b"first")
        again = pdfs.cached_pdf("same", lambda: pytest.fail("rendered twice"))
    assert first == again and first.read_bytes() == b"first"


def test_an_abandoned_temporary_file_is_removed_a_fresh_one_kept(tmp_path):
    old, fresh = tmp_path / ".render-old.pdf", tmp_path / ".render-fresh.pdf"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    prune_cache(tmp_path, max_bytes=10**9)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".render-fresh.pdf"]


def test_the_cache_bound_comes_from_the_environment(monkeypatch):
    assert Config.from_env()["PDF_CACHE_MAX_BYTES"] == 256 * 1024 * 1024
    monkeypatch.setenv("PDF_CACHE_MAX_BYTES", "1000000")
    assert Config.from_env()["PDF_CACHE_MAX_BYTES"] == 1_000_000
