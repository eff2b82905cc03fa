"""Logs as JSON lines, without personal data.

One JSON object per line, so that a log collector can read them without a
parser of its own: time (UTC), level, logger, message, and inside a request
its method and endpoint (the route's name and rule, never its URL: a path can
hold a share token and a query anything). Nothing here ever writes a client's
address, user agent or referrer; a student who writes to the anonymous box
leaves no trace in the logs (docs/security.md).

An exception is logged as its class and its traceback's frames, without its
message: a database error's text quotes the statement's parameters (e-mail
addresses, names), and the frames are what an operator needs to find the bug.

gunicorn's access log goes through the same formatter (gunicorn.conf.py): its
record carries gunicorn's "atoms" as arguments, from which only the method,
the route and endpoint put into the WSGI environ by `init_app`, the status,
the size and the duration are kept.

A student's request (`is_student_request`: the help pages a student opens,
/<lang>/help/ and below, and the class questionnaire, /<lang>/q/ and below)
is logged with less: its lines' time is rounded
down to the hour, and they carry no size and no duration, which with the
hour would narrow the moment. That holds for the app's own lines and
exceptions during it and for gunicorn's error lines about it; its access
line is not written at all (gunicorn.conf.py says why), and would carry that
much only. gunicorn's error lines about a request that name no path (an
invalid request, a socket error) could be a student's and are treated as one;
neither the request's URI nor an address is ever written.
"""

import json
import logging
import math
import re
import sys
import traceback
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import has_request_context, request

ROUTE_KEY = "mobilis.route"
ENDPOINT_KEY = "mobilis.endpoint"

# The pages for students: the help blueprint's (its other endpoints are
# staff's: the inbox, the assignments, the audit log) and the class
# questionnaire's (app/evaluation/views.py).
STUDENT_ENDPOINTS = frozenset(
    {"help.ask", "help.check", "help.reply", "evaluation.enter_code", "evaluation.questionnaire"}
)
# /<lang>/help and /<lang>/q and everything below them (and a bare /help or
# /q), whatever the language segment, in any case, with any run of slashes.
_STUDENT_PATH = re.compile(r"(?:/[^/]+)?/(?:help|q)(?:/|$)")

# gunicorn's access-log atoms that may be logged (everything else is left out:
# h is the address, a the user agent, f the referrer, q the query, U the path).
ACCESS_FIELDS = {
    "m": "method",
    f"{{{ROUTE_KEY}}}e": "route",
    f"{{{ENDPOINT_KEY}}}e": "endpoint",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
}
# What a student's line leaves out besides the precise time.
PRECISE_FIELDS = ("bytes", "duration_ms")

# gunicorn's error lines about one request (gunicorn/workers/*.py), by the
# start of their message. "Error handling request" names the request's URI
# in its arguments (decided by its path, never written); the others name no
# path, so they count as a student's.
_GUNICORN_REQUEST_LINES = (
    "Error handling request",
    "Invalid request from",
    "Socket error processing request",
    "Ignored premature client disconnection",
    "Closing connection",
    "Autorestarting worker after current request",
)
# The kind of an invalid request, before the part that quotes it
# ("Invalid HTTP Header: 'X'", "Request Line is too large (8190 > 4094)").
_INVALID_KIND = re.compile(r"[^:'\"(]*")


def is_student_request(endpoint=None, path=None):
    """Whether a request is a student's, to the help pages: by the endpoint
    routing gave it, or by its path, which alone decides when routing found
    none (a 404 or 405 under /fr/help/, a redirect, a page from the page
    cache). A request known by neither counts as a student's."""
    if endpoint in STUDENT_ENDPOINTS:
        return True
    if path in (None, "", "-"):
        return endpoint in (None, "", "-")
    lowered = path.lower()
    # The common case, without the regular expressions; any run of slashes
    # before "q" still holds "/q".
    if "help" not in lowered and "/q" not in lowered:
        return False
    return _STUDENT_PATH.match(re.sub("/+", "/", lowered)) is not None


def is_student_environ(environ):
    """`is_student_request` for a WSGI environ that gunicorn has served."""
    path = environ.get("PATH_INFO")
    if path is None and environ.get("RAW_URI"):  # a request gunicorn could not parse
        path = urlsplit(environ["RAW_URI"]).path
    return is_student_request(environ.get(ENDPOINT_KEY), path)


def access_atoms(resp, environ, request_time):
    """gunicorn's access-log atoms for a request, only those a line may hold.

    gunicorn's own `Logger.atoms` copies every request header, response
    header and environ variable into a dict, and its `SafeAtoms` copies that
    again, for each request: about half of an access line's cost, for
    fields that are then left out. These are the atoms of `ACCESS_FIELDS`,
    plus the path (U) by which the formatter decides a student's request.
    """
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    return {
        "m": environ.get("REQUEST_METHOD"),
        "U": environ.get("PATH_INFO"),
        f"{{{ROUTE_KEY}}}e": environ.get(ROUTE_KEY, "-"),
        f"{{{ENDPOINT_KEY}}}e": environ.get(ENDPOINT_KEY, "-"),
        "s": status,
        "B": "-" if getattr(resp, "sent", None) is None else resp.sent,
        "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
    }


# One encoder for every line: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
# The last second formatted, (seconds, "YYYY-MM-DDTHH:MM:SS"): lines come many
# to a second under load, and formatting a datetime is most of a line's time.
_last_second = (None, "")


def _time(created, *, hour):
    """ISO 8601 in UTC to the millisecond, as datetime.isoformat writes it."""
    global _last_second
    if hour:
        created -= created % 3600
    fraction, second = math.modf(created)  # rounded as datetime rounds it
    micro = round(fraction * 1_000_000)
    if micro == 1_000_000:
        second, micro = second + 1, 0
    cached, text = _last_second
    if cached != second:
        text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _last_second = (second, text)
    return f"{text}.{micro // 1000:03d}+00:00"


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record):
        entry = {"time": None, "level": record.levelname.lower(), "logger": record.name}
        student = False
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            fields = _access_fields(record.args)
            student = is_student_request(fields["endpoint"], _access_path(record.args))
            if student:
                for name in PRECISE_FIELDS:
                    del fields[name]
            entry.update(fields)
            entry["message"] = "{method} {route} {status}".format(**entry)
        elif (request_line := _gunicorn_request_line(record)) is not None:
            entry["message"], student = request_line
        else:
            entry["message"] = record.getMessage()
            if has_request_context():
                entry["method"] = request.method
                entry["endpoint"] = request.endpoint or "-"
                student = is_student_request(request.endpoint, request.path)
        entry["time"] = _time(record.created, hour=student)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _error, trace = record.exc_info
            entry["exception"] = kind.__qualname__
            entry["traceback"] = "".join(traceback.format_tb(trace))
        return _encode(entry)


def _access_fields(atoms):
    fields = {}
    for atom, name in ACCESS_FIELDS.items():
        value = atoms.get(atom.lower() if atom.startswith("{") else atom)
        fields[name] = "-" if value is None else value
    return fields


def _access_path(atoms):
    """The request's path: PATH_INFO, or from the request line when gunicorn
    logs a request it could not parse (it has no PATH_INFO then)."""
    path = atoms.get("U")
    if path in (None, "", "-"):
        target = str(atoms.get("r") or "").split(" ")
        path = urlsplit(target[1]).path if len(target) == 3 else None
    return path


def _gunicorn_request_line(record):
    """(message, student) for gunicorn's error lines about a request, else None."""
    if record.name != "gunicorn.error" or not isinstance(record.msg, str):
        return None
    start = next((s for s in _GUNICORN_REQUEST_LINES if record.msg.startswith(s)), None)
    if start is None:
        return None
    if start == "Error handling request" and record.args:
        # ("%s %s", method, uri) or ("%s", uri), by gunicorn's version.
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        method = f" {args[0]}" if len(args) == 2 else ""
        return f"{start}{method}", is_student_request(None, urlsplit(str(args[-1])).path)
    if start == "Invalid request from":
        # "Invalid request from ip=<address>: <error, quoting the request>"
        error = record.getMessage().partition(": ")[2]
        kind = _INVALID_KIND.match(error).group().strip()
        return f"Invalid request ({kind or 'unknown'})", True
    return record.getMessage(), True


def _remember_route(endpoint, _values):
    """Put the route's rule and endpoint into the WSGI environ for gunicorn's access log.

    A URL value preprocessor runs right after routing, before any
    before_request function (the rate limiter's may refuse the request).
    """
    if request.url_rule is not None:
        request.environ[ROUTE_KEY] = request.url_rule.rule
        request.environ[ENDPOINT_KEY] = endpoint or "-"


def install(stream=None):
    """Send every logger's records to `stream` (stderr) as JSON lines, once."""
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler.formatter, JsonFormatter):
            return handler
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    app_logger = logging.getLogger("app")
    if app_logger.level == logging.NOTSET:
        app_logger.setLevel(logging.INFO)
    return handler


def init_app(app):
    app.url_value_preprocessor(_remember_route)
    if app.config["LOG_FORMAT"] == "json":
        from flask.logging import default_handler

        # The app's records go up to the root logger's JSON handler, not also
        # to Flask's plain-text one.
        app.logger.removeHandler(default_handler)
        install()
