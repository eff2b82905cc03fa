"""How large a request body may be, refused with a 413 page before it is parsed.

Flask's MAX_CONTENT_LENGTH is the limit for every form (1 MiB: the longest
text a form takes is a few thousand characters). The school and class-group
imports take a CSV file of up to 1 MiB (app/schools/csvrows.py, which says so
kindly when a file is over that), so they may send IMPORT_MAX_CONTENT_LENGTH.

The body is read first by Flask-WTF's CSRF check (a before_request function):
the limit is applied before it, by a function put first in the list.

- With a Content-Length over the limit nothing is read at all (Flask).
- Without one (a chunked body, which the server ends where its last chunk
  ends: `wsgi.input_terminated`), Werkzeug would read up to the limit and
  parse what it got, so a form cut short could pass for a whole one. Here
  the limit and one byte more are read: more than the limit is the same
  413 page; otherwise the bytes go on as the body, with their length.
"""

import io

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wsgi import get_content_length

# Endpoints that take an uploaded CSV file.
IMPORT_ENDPOINTS = frozenset({"schools.import_schools", "schools.import_groups"})
# Read from a body without a length at a time.
READ_SIZE = 64 * 1024


def _limit():
    config = current_app.config
    if request.endpoint in IMPORT_ENDPOINTS:
        return config["IMPORT_MAX_CONTENT_LENGTH"]
    return config["MAX_CONTENT_LENGTH"]


def _limit_body():
    limit = _limit()
    request.max_content_length = limit
    environ = request.environ
    if limit is not None and _streamed(environ):
        _read_whole(environ, limit)


def _streamed(environ):
    """A body without a length that the server ends itself (chunked).

    Without `wsgi.input_terminated` such a stream may never end, and
    Werkzeug reads none of it: nothing to do then."""
    return get_content_length(environ) is None and bool(environ.get("wsgi.input_terminated"))


def _read_whole(environ, limit):
    """Read at most `limit` + 1 bytes; refuse the body if there were more,
    else hand them on as a body with a Content-Length."""
    stream = environ["wsgi.input"]
    body = bytearray()
    while len(body) <= limit:
        chunk = stream.read(min(READ_SIZE, limit + 1 - len(body)))
        if not chunk:
            break
        body += chunk
    if len(body) > limit:
        raise RequestEntityTooLarge()
    environ["wsgi.input"] = io.BytesIO(bytes(body))
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)


def init_app(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_body)
