"""The program's modules and campaigns: loaded from files, modules mirrored in the database."""

import threading
import time
from pathlib import Path

from flask import current_app

from app.curriculum.modules import load_catalogue

# What each `load` read, by folder and files' signature, for every app of the
# process: an app made again (the tests make one per test) does not parse the
# same unchanged files again. What a loader returns is only read once made.
_READ = {}
_READ_KEPT = 16
_READ_LOCK = threading.Lock()


def _read(load, root, signature):
    key = (load, str(root), signature)
    with _READ_LOCK:
        catalogue = _READ.get(key)
        if catalogue is None:
            catalogue = load(root)
            if len(_READ) >= _READ_KEPT:
                _READ.pop(next(iter(_READ)))
            _READ[key] = catalogue
        return catalogue


class CatalogueStore:
    """What `load(root)` reads, kept per app and read again when a file under the folder changes.

    Changes are looked for at most every `interval` seconds (0: on every call),
    by the files' sizes and modification times. The modules' catalogue and the
    campaigns' each have one.
    """

    def __init__(self, root, interval, load=load_catalogue):
        self.root = Path(root)
        self.interval = interval
        self._load = load
        self._lock = threading.Lock()
        self._catalogue = None
        self._signature = None
        self._checked_at = 0.0
        self.generation = 0  # grows each time the catalogue is read again

    def _current_signature(self):
        if not self.root.is_dir():
            return ()
        return tuple(
            (str(path), stat.st_mtime_ns, stat.st_size)
            for path in sorted(self.root.rglob("*"))
            if path.is_file()
            for stat in (path.stat(),)
        )

    def get(self):
        now = time.monotonic()
        if self._catalogue is not None and now - self._checked_at < self.interval:
            return self._catalogue
        with self._lock:
            signature = self._current_signature()
            if self._catalogue is None or signature != self._signature:
                self._catalogue = _read(self._load, self.root, signature)
                self._signature = signature
                self.generation += 1
            self._checked_at = now
            return self._catalogue

    def version(self):
        """A number that changes whenever the modules do (for caches)."""
        self.get()
        return self.generation


def get_catalogue():
    return current_app.extensions["curriculum"].get()


def init_app(app):
    """The modules' store, pages and commands; the modules mirrored in the
    database as the app starts; their PDFs built ahead (campaigns are
    app/campaigns')."""
    from app import pdfbuild
    from app.curriculum import commands, published, views

    root, interval = app.config["CURRICULUM_PATH"], app.config["CURRICULUM_RELOAD_SECONDS"]
    app.extensions["curriculum"] = CatalogueStore(root, interval)
    app.register_blueprint(views.bp)
    app.cli.add_command(commands.curriculum_group)
    pdfbuild.register(app, published.targets)
    commands.sync_on_start(app)
