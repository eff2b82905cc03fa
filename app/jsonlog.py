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
"""

import json
import logging
import sys
import traceback
from datetime import UTC, datetime

from flask import has_request_context, request

ROUTE_KEY = "mobilis.route"
ENDPOINT_KEY = "mobilis.endpoint"

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


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object on one line."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            entry.update(_access_fields(record.args))
            entry["message"] = "{method} {route} {status}".format(**entry)
        else:
            entry["message"] = record.getMessage()
            if has_request_context():
                entry["method"] = request.method
                entry["endpoint"] = request.endpoint or "-"
        if record.exc_info and record.exc_info[0] is not None:
            kind, _error, trace = record.exc_info
            entry["exception"] = kind.__qualname__
            entry["traceback"] = "".join(traceback.format_tb(trace))
        return json.dumps(entry, ensure_ascii=False, default=str)


def _access_fields(atoms):
    fields = {}
    for atom, name in ACCESS_FIELDS.items():
        value = atoms.get(atom.lower() if atom.startswith("{") else atom)
        fields[name] = "-" if value is None else value
    return fields


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
