"""The in-process sender of urgent alerts: a thread per process.

With HELP_ALERT_RUNNER = "thread" (the default), each process that serves
requests runs one daemon thread that calls alerts.send_due on the clock's
ticks (every HELP_ALERT_INTERVAL_SECONDS), and at once when a request that
queued an alert has committed (`wake_after_request`: the thread is woken by a teardown
function, which runs after the request's commit). The thread is started on a
process's first request rather than in create_app, so that a server that
forks its workers after loading the app still gets one per worker.

"off" leaves the sending to `flask help send-alerts` alone (the timer in
docs/deploy/, or cron); the tests use it to send when they choose.
"""

import logging
import os
import threading
from datetime import timedelta

from flask import current_app, g

from app.db import get_session, to_the_hour, utcnow
from app.help import alerts

logger = logging.getLogger(__name__)


def remind_after(app=None):
    return timedelta(minutes=(app or current_app).config["HELP_URGENT_REMINDER_MINUTES"])


def send_now(app):
    """One pass of the sender in its own application context; (sent, failed)."""
    with app.app_context():
        return alerts.send_due(get_session(), now=utcnow(), remind_after=remind_after(app))


def pending_now(app):
    """(alerts waiting, most attempts of any), in its own application context."""
    with app.app_context():
        return alerts.pending(get_session())


class Runner:
    def __init__(self, app):
        self.app = app
        self.interval = app.config["HELP_ALERT_INTERVAL_SECONDS"]
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        self._pid = None

    def ensure_started(self):
        with self._lock:
            alive = self._thread is not None and self._thread.is_alive()
            if alive and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="mobilis-alerts", daemon=True)
            self._thread.start()

    def wake(self):
        self._wake.set()

    def stop(self):
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout=10)
        self._thread = None

    def _run(self):
        warned_hour = None
        while not self._stop.is_set():
            woken = self._wake.wait(self._until_next_tick())
            self._wake.clear()
            if self._stop.is_set():
                return
            failure = None
            try:
                _sent, failed = send_now(self.app)
                if failed:
                    failure = "not sent"
            except Exception as error:  # a database away, say: the next pass tries again
                failure = type(error).__name__
            # Warn only from a timed pass, and once in an hour: a pass woken by
            # a request would date an urgent question in the log; timed passes
            # fall on the clock's ticks, whatever the questions do.
            hour = to_the_hour()
            if failure and not woken and hour != warned_hour:
                warned_hour = hour
                logger.warning(
                    "urgent alerts wait after a failure (%s); they are retried "
                    "(flask help send-alerts --verbose)",
                    failure,
                )

    def _until_next_tick(self):
        """Seconds to the next multiple of the interval on the clock."""
        now = utcnow().timestamp()
        return self.interval - (now % self.interval) or self.interval


def wake_after_request():
    """Send the alerts this request queued as soon as it has committed."""
    g.wake_alert_runner = True


def _start(*_args):
    runner = current_app.extensions.get("help_alert_runner")
    if runner is not None:
        runner.ensure_started()


def _wake(_exc):
    runner = current_app.extensions.get("help_alert_runner")
    if g.pop("wake_alert_runner", False) and runner is not None:
        runner.wake()


def init_app(app):
    if app.config["HELP_ALERT_RUNNER"] == "thread":
        app.extensions["help_alert_runner"] = Runner(app)
        app.before_request(_start)
    app.teardown_request(_wake)
