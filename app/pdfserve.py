"""Serving the built public files, and what a visitor sees while one is built.

`send_built` answers from the build folder (app/pdfbuild.py): the file, its
key as a strong ETag, conditional GET (304), its length, and
`Cache-Control: public, max-age=PDF_MAX_AGE`. A file not built yet (a module
edited under a running site, a first start whose build is under way) is
handed to this process's builder thread, and the visitor gets at once a 503
with Retry-After and a page in their language saying that the file is being
prepared; the page asks again by itself (a meta refresh: the CSP allows no
script) and the file comes when it is ready. Nobody waits on a request that
renders.

Each process has one builder thread, `Builder`, started when there is work:
the files asked for first, then, once per process, the full build at start
(`start_building`: from gunicorn's post_worker_init in gunicorn.conf.py, or
the process's first request, when PDF_BUILD_AT_START is on). It builds
under the build lock, so one process builds at a time and the others wait.
"""

import logging
import os
import threading
import time

from flask import abort, current_app, render_template, request, send_file

from app.pdfbuild import build_all, build_lock, build_one, built_path, folder

logger = logging.getLogger(__name__)

EXTENSION = "pdfbuild_runner"
RETRY_SECONDS = 5
# A file that could not be drawn answers an error page for this long (the log
# says why), rather than "being prepared" for ever; then it is tried again.
FAILED_SECONDS = 60


class Builder:
    """The background builder of one process."""

    def __init__(self, app):
        self.app = app
        self._condition = threading.Condition()
        self._wanted = {}  # file name -> Target asked for and missing
        self._full = False  # a full build is due
        self._started = None  # the process id whose full build at start was asked
        self._thread = None
        self._pid = None
        self._failed = {}  # name of a file that could not be drawn -> when

    def start(self):
        """Build everything in the background, once per process."""
        with self._condition:
            if self._started == os.getpid():
                return
            self._started = os.getpid()
            self._full = True
            self._ensure_thread()

    def want(self, target):
        """Build `target` in the background, before anything else due."""
        with self._condition:
            self._wanted.setdefault(target.name, target)
            self._ensure_thread()

    def failed_lately(self, target):
        """Whether drawing `target` failed within the last FAILED_SECONDS."""
        failed_at = self._failed.get(target.name)
        return failed_at is not None and time.monotonic() - failed_at < FAILED_SECONDS

    def is_busy(self):
        """Whether this process's builder thread has work under way."""
        with self._condition:
            return self._thread is not None

    def wait_idle(self, timeout):
        """Wait until nothing is left to build here; whether that came in `timeout` s."""
        with self._condition:
            return self._condition.wait_for(lambda: self._thread is None, timeout)

    def _ensure_thread(self):
        alive = self._thread is not None and self._thread.is_alive()
        if alive and self._pid == os.getpid():
            return
        self._pid = os.getpid()
        self._thread = threading.Thread(target=self._run, name="mobilis-pdf-build", daemon=True)
        self._thread.start()

    def _next(self):
        """(files asked for, full build due), or None when there is nothing to do."""
        with self._condition:
            wanted, full = list(self._wanted.values()), self._full
            self._wanted.clear()
            self._full = False
            if not wanted and not full:
                self._thread = None
                self._condition.notify_all()
                return None
            return wanted, full

    def _run(self):
        while (work := self._next()) is not None:
            wanted, full = work
            try:
                if wanted:
                    with build_lock(folder(self.app)):
                        for target in wanted:
                            self._build(target)
                if full:
                    result = build_all(self.app)
                    for target in result.failed:
                        self._failed[target.name] = time.monotonic()
            except Exception:  # a full disk, say: logged, and asked again by the next visitor
                logger.exception("public files not built")

    def _build(self, target):
        try:
            build_one(self.app, target)
        except Exception:
            logger.exception("public file %s not built", target.path)
            self._failed[target.name] = time.monotonic()
        else:
            self._failed.pop(target.name, None)


def start_building(app):
    """The full build at a process's start, in the background, if the settings
    want it; nothing for an app that is not this one (gunicorn.conf.py's hook
    runs for whatever app gunicorn serves from the project's folder)."""
    builder = getattr(app, "extensions", {}).get(EXTENSION)
    if builder is not None and app.config["PDF_BUILD_AT_START"]:
        builder.start()


def send_built(target, *, mimetype, download_name, as_attachment=True, back_url=None):
    """The built file of `target`, or the "being prepared" page while it is not."""
    app = current_app._get_current_object()
    path = built_path(app, target)
    if path is not None:
        try:
            return send_file(
                path,
                mimetype=mimetype,
                as_attachment=as_attachment,
                download_name=download_name,
                etag=target.key,
                conditional=True,
                max_age=app.config["PDF_MAX_AGE"],
            )
        except FileNotFoundError:  # pruned by another host just now: built again below
            pass
    builder = app.extensions[EXTENSION]
    if builder.failed_lately(target):
        abort(500)  # the builder logged why
    builder.want(target)
    return preparing_page(back_url)


def preparing_page(back_url=None):
    """503, Retry-After, and a page that asks again by itself."""
    page = render_template(
        "preparing.html", seconds=RETRY_SECONDS, again_url=request.path, back_url=back_url
    )
    headers = {"Retry-After": str(RETRY_SECONDS), "Cache-Control": "no-store"}
    return page, 503, headers


def _start_on_first_request():
    start_building(current_app._get_current_object())


def init_app(app):
    """Each process's builder; its full build at the first request (gunicorn's
    workers start it earlier, from gunicorn.conf.py)."""
    app.extensions[EXTENSION] = Builder(app)
    if app.config["PDF_BUILD_AT_START"]:
        app.before_request(_start_on_first_request)
