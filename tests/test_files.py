"""Files the site leaves on disk: WeasyPrint's temporary folders, the built
files' folder and its size (the SQLite database's mode:
tests/test_sqlite_file.py)."""

import gc
import os
import tempfile
import time

import pytest

from app import PROJECT_ROOT
from app.config import Config
from app.pdf import PDF_FOLDERS, page_count
from app.pdfbuild import Target, build_one, built_path, prune
from tests.conftest import ClosingClient


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
    response = ClosingClient(curriculum_app.test_client()).get("/en/modules/recruiters.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert list(scratch_tmp.iterdir()) == []
    assert len(list((tmp_path / "pdf-cache").glob("*.pdf"))) == 1
    assert not list((tmp_path / "pdf-cache").glob(".render-*"))


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


def _folder_with(folder, sizes):
    """Files key0.pdf, key1.pdf… of these sizes in `folder`, the first the oldest."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, size in enumerate(sizes):
        path = folder / f"key{number}.pdf"
        path.write_bytes(b"%" * size)
        # An hour apart, oldest first, whatever the clock's resolution.
        moment = time.time() - 3600 * (len(sizes) - number)
        os.utime(path, (moment, moment))
    return folder


def test_old_versions_are_pruned_oldest_first_the_current_files_never(tmp_path):
    folder = _folder_with(tmp_path / "a", [1000] * 5)
    # key0 is the oldest file, but a current one (a target of the build): it stays.
    assert prune(folder, keep={"key0.pdf"}, max_bytes=3000) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["key0.pdf", "key3.pdf", "key4.pdf"]
    # Current files larger than the bound are all kept; only old ones go.
    folder = _folder_with(tmp_path / "b", [1000, 5000, 5000])
    assert prune(folder, keep={"key1.pdf", "key2.pdf"}, max_bytes=3000) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["key1.pdf", "key2.pdf"]


def test_a_built_file_is_not_drawn_again(make_app, tmp_path):
    app = make_app(PDF_CACHE_DIR=str(tmp_path / "pdfs"))
    first = Target("/fr/a.pdf", "inputs", ".pdf", lambda: b"first")
    assert build_one(app, first) == 5
    again = Target("/fr/a.pdf", "inputs", ".pdf", lambda: pytest.fail("drawn twice"))
    assert build_one(app, again) is None
    assert built_path(app, again).read_bytes() == b"first"


def test_an_abandoned_temporary_file_is_removed_a_fresh_one_kept(tmp_path):
    old, fresh = tmp_path / ".render-old.pdf", tmp_path / ".render-fresh.pdf"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    prune(tmp_path, keep=set(), max_bytes=10**9)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".render-fresh.pdf"]


def test_the_cache_bound_comes_from_the_environment(monkeypatch):
    assert Config.from_env()["PDF_CACHE_MAX_BYTES"] == 256 * 1024 * 1024
    monkeypatch.setenv("PDF_CACHE_MAX_BYTES", "1000000")
    assert Config.from_env()["PDF_CACHE_MAX_BYTES"] == 1_000_000
