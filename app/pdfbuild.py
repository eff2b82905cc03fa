"""Public files built ahead: no visitor waits for a PDF.

Every public PDF (handouts, guides, decks, the pack, posters, the slide) and
the campaigns' PNG cards are drawn before anyone asks for them, into a build
folder (PDF_CACHE_DIR, by default `<instance>/pdf-cache`), and served from
there (app/pdfserve.py). A domain says what it publishes with
`register(app, source)`: `source()` gives a `Target` for each file, and is
called in a request for the site's public address (PUBLIC_URL), so that a
QR code points there whoever builds it and from wherever it is asked.

A file is named after a key: the digest of what the domain says it is made
of (content, templates, styles, help numbers, address) and of what every
file depends on (`renderer_signature`: the app's version, the renderers',
the translations, the images). The key is also its ETag. An edit gives new
keys, so those files are built again; an unchanged file never is.

Who builds, one at a time (an exclusive `flock` on the folder's
`.build.lock`, across processes and hosts sharing the folder):
`flask curriculum build` (`make run`, the deploy's ExecStartPre), each
serving process at its start in a background thread, and that thread again
for a file asked for and missing (a module edited under a running site).
Files are written under a temporary name and renamed: nobody reads half a file.

PDF_CACHE_MAX_BYTES bounds the files of other versions kept (for a host
still on the previous release during an upgrade): after a full build, the
oldest files no current target names go until the folder fits. The current
files are never deleted.
"""

import contextlib
import fcntl
import functools
import hashlib
import importlib.metadata
import logging
import os
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.config import PROJECT_ROOT
from app.pdf import RENDERERS

logger = logging.getLogger(__name__)

EXTENSION = "pdfbuild"
LOCK_NAME = ".build.lock"
# A file being written is named ".render-…" (a dot: never served, never
# counted); one left by a process killed mid-write is deleted after this long.
TEMPORARY_PREFIX = ".render-"
ABANDONED_SECONDS = 3600
# Besides each domain's templates and styles: what a file may show or be drawn with.
SHARED_INPUTS = (PROJECT_ROOT / "translations", PROJECT_ROOT / "static" / "img")


@dataclass(frozen=True)
class Target:
    """One public file: the URL it is served at, the digest of its inputs,
    its suffix (.pdf, .png) and how to draw it (`render()` gives its bytes)."""

    path: str
    inputs: str
    suffix: str
    render: Callable[[], bytes] = field(compare=False, repr=False)

    @property
    def key(self):
        return hashlib.sha256(f"{self.inputs}\0{renderer_signature()}".encode()).hexdigest()[:32]

    @property
    def name(self):
        return f"{self.key}{self.suffix}"


@functools.cache
def renderer_signature():
    """What every file depends on besides its own inputs: the app's version,
    the renderers' versions, the translations and the project's images."""
    digest = hashlib.sha256()
    version = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["version"]
    digest.update(f"mobilis {version}\0".encode())
    for name in RENDERERS:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{name} {importlib.metadata.version(name)}\0".encode())
    for folder in SHARED_INPUTS:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix != ".mo":  # .mo files are made from the .po
                digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def register(app, source):
    """Add `source`, a function giving the Targets a domain publishes."""
    app.extensions[EXTENSION].append(source)


@contextlib.contextmanager
def public_context(app, path="/"):
    """A request for `path` at the site's public address (PUBLIC_URL), in an
    application context of its own: what one file's drawing keeps in `g` (the
    locale Flask-Babel chose) never reaches the next, nor comes from a
    command's context."""
    with app.app_context(), app.test_request_context(path, base_url=app.config["PUBLIC_URL"]):
        yield


def targets(app):
    """Every public file of the site as it is now."""
    with public_context(app):
        return [target for source in app.extensions[EXTENSION] for target in source()]


def folder(app):
    return Path(app.config["PDF_CACHE_DIR"])


def built_path(app, target):
    """The path of `target`'s file, or None while it is not built."""
    path = folder(app) / target.name
    return path if path.is_file() else None


@contextlib.contextmanager
def build_lock(where, *, on_wait=None):
    """Held while building in `where`; `on_wait()` is called first if another holds it."""
    where.mkdir(parents=True, exist_ok=True)
    with open(where / LOCK_NAME, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_file(where, name, data):
    """Write `data` to `where`/`name` whole: under a temporary name, then renamed."""
    where.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=where, prefix=TEMPORARY_PREFIX, suffix=Path(name).suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(temporary, where / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def render(app, target):
    """The bytes of `target`, drawn as if asked for at the public address."""
    with public_context(app, target.path):
        return target.render()


def build_one(app, target):
    """Build `target` if its file is missing (the caller holds the lock); its size, or None."""
    if built_path(app, target) is not None:
        return None
    data = render(app, target)
    write_file(folder(app), target.name, data)
    logger.info("public file built: %s (%d bytes)", target.path, len(data))
    return len(data)


@dataclass
class BuildResult:
    """What a full build did: targets built (with their sizes), kept as they
    were, failed to draw; old files removed."""

    built: list = field(default_factory=list)
    unchanged: int = 0
    failed: list = field(default_factory=list)
    removed: int = 0


def build_all(app, *, on_wait=None, on_file=None):
    """Build every missing public file, then prune old ones; a BuildResult.

    `on_file(target, size, seconds, error)` is called after each file built or
    failed (the command prints it). A file that fails to draw is logged and
    left out; the others are built all the same.
    """
    where = folder(app)
    result = BuildResult()
    with build_lock(where, on_wait=on_wait):
        current = targets(app)
        for target in current:
            started = time.monotonic()
            try:
                size = build_one(app, target)
            except Exception as error:
                logger.exception("public file %s not built", target.path)
                result.failed.append(target)
                if on_file is not None:
                    on_file(target, None, time.monotonic() - started, error)
                continue
            if size is None:
                result.unchanged += 1
                continue
            result.built.append((target, size))
            if on_file is not None:
                on_file(target, size, time.monotonic() - started, None)
        result.removed = prune(
            where, keep={t.name for t in current}, max_bytes=app.config["PDF_CACHE_MAX_BYTES"]
        )
    return result


def prune(where, *, keep, max_bytes):
    """Delete the oldest files of `where` that are not in `keep` until all fit in
    `max_bytes`; the files in `keep` stay whatever their size. How many went."""
    others, total, now = [], 0, time.time()
    for entry in os.scandir(where):
        with contextlib.suppress(FileNotFoundError):  # another process pruned it
            stat = entry.stat()
            if entry.name.startswith(TEMPORARY_PREFIX):
                if now - stat.st_mtime > ABANDONED_SECONDS:
                    os.unlink(entry.path)
            elif entry.is_file() and not entry.name.startswith("."):
                total += stat.st_size
                if entry.name not in keep:
                    others.append((stat.st_mtime_ns, entry.name, stat.st_size))
    removed = 0
    for _mtime, name, size in sorted(others):
        if total <= max_bytes:
            break
        (where / name).unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


def init_app(app):
    """The list of sources the domains register (before their own init_app)."""
    app.extensions[EXTENSION] = []
