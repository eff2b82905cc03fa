"""gunicorn's settings for MOBILIS Prévention: `gunicorn -c gunicorn.conf.py`.

Environment variables (all optional; docs/deploy/mobilis.env sets them):

- GUNICORN_BIND: where to listen, default 127.0.0.1:8000 (nginx in front).
- GUNICORN_WORKERS: worker processes, default 2 x cores + 1.
- GUNICORN_THREADS: threads per worker, default 1 (sync workers).
- GUNICORN_TIMEOUT: seconds a request may take before its worker is
  restarted, default 60. No request draws a PDF: the public ones are built
  ahead (`flask curriculum build`, and each worker's background build at
  its start, `post_worker_init` below), the reports' take a few seconds.
- GUNICORN_FORWARDED_ALLOW_IPS: the one trusted proxy's address, default
  127.0.0.1. The app trusts X-Forwarded-* itself through PROXY_HOPS (ProxyFix).
- LOG_FORMAT: "json" by default here (app/jsonlog.py), plain text otherwise.

The logs never hold a client's address, user agent or referrer, nor the URL
(a path can hold a share token). The access log keeps the method, the route's
rule and endpoint (put in the WSGI environ by app/jsonlog.py), the status, the
size and the duration.

A student who opens the help pages (/<lang>/help/ and below, see
`app.jsonlog.is_student_request`) leaves no access line at all
(`MobilisLogger`). A line with its time rounded to the hour would still give
the moment away: systemd's journal, where this process's output goes
(docs/deploy/systemd/mobilis.service), stamps every line it receives to the
microsecond, and in any file a line sits between its neighbours' precise
times. The help pages' failures still show: an exception there is logged by
the app, and gunicorn's error lines about such a request, with the hour only
in the line (app/jsonlog.py); the journal stamps those rare lines too, the
price of seeing an error that needs fixing.
"""

import logging
import multiprocessing
import os

from gunicorn.glogging import Logger

os.environ.setdefault("LOG_FORMAT", "json")

wsgi_app = "app:create_app()"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (systemctl stop/restart), requests under way may finish.
graceful_timeout = 30
keepalive = 5
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Workers are replaced now and then, so a slow leak cannot grow for weeks;
# rarely, since each replacement costs: a new worker loads the whole app (a
# few seconds of CPU taken from the others) and starts with an empty page
# cache. At 2,000 requests (until 2026-12) a benchmark replaced both workers
# every few seconds, at about the same time, and the site served a third of
# what it served without (docs/performance.md). 100,000 is days of real
# traffic; the jitter keeps two workers from leaving together.
max_requests = 100_000
max_requests_jitter = 20_000
# gunicornc's control socket (gunicorn >= 25.1) would live in the home folder,
# which the systemd unit makes read-only; systemctl does what it does.
control_socket_disable = True


class MobilisLogger(Logger):
    """gunicorn's logger, writing no access line for a student's request, and
    the other lines cheaply: with only the fields a line may hold
    (`app.jsonlog.access_atoms`), without gunicorn's copy of every header."""

    def access(self, resp, req, environ, request_time):
        # The app's folder is on sys.path by now.
        from app.jsonlog import access_atoms, is_student_environ

        if not self.access_log_enabled or is_student_environ(environ):
            return
        log = self.access_log
        if log.isEnabledFor(logging.INFO):
            atoms = access_atoms(resp, environ, request_time)
            # handle() rather than info(): no walk up the stack for the caller.
            log.handle(
                log.makeRecord(
                    log.name,
                    logging.INFO,
                    "gunicorn",
                    0,
                    self.cfg.access_log_format,
                    (atoms,),
                    None,
                )
            )


def post_worker_init(worker):
    """Before a worker takes its first request: start its background build of
    the public files (app/pdfserve.py; one worker builds at a time, the
    others wait their turn and find the files there), then load what a first
    request would otherwise wait seconds for (the parts' `mobilis_warm_up`:
    the urgency model); the other workers answer meanwhile. Another app
    served from this folder (the benchmarks' bare baseline) has neither."""
    from app.pdfserve import start_building  # the app's folder is on sys.path by now

    start_building(worker.wsgi)
    for warm_up in getattr(worker.wsgi, "extensions", {}).get("mobilis_warm_up", ()):
        warm_up()


logger_class = MobilisLogger
accesslog = "-"
errorlog = "-"
# No %(h)s (address), %(a)s (user agent), %(f)s (referrer), %(r)s/%(U)s/%(q)s (URL).
access_log_format = "%(m)s %({mobilis.route}e)s %(s)s %(B)s %(M)s"

if os.environ["LOG_FORMAT"] == "json":
    _handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.jsonlog.JsonFormatter"}},
        "handlers": {"json": _handler},
        # Libraries' chatter (WeasyPrint's progress, Alembic's plugins) stays
        # out; the app's and gunicorn's own lines are kept from INFO up.
        "root": {"level": "WARNING", "handlers": ["json"]},
        "loggers": {
            "app": {"level": "INFO"},
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
        },
    }
