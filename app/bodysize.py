"""How large a request body may be, refused with a 413 page before it is read.

Flask's MAX_CONTENT_LENGTH is the limit for every form (1 MiB: the longest
text a form takes is a few thousand characters). The school and class-group
imports take a CSV file of up to 1 MiB (app/schools/csvrows.py, which says so
kindly when a file is over that), so they may send IMPORT_MAX_CONTENT_LENGTH.

The body is read first by Flask-WTF's CSRF check (a before_request function):
the larger limit is set before it, by a function put first in the list. With a
Content-Length over the limit nothing is read at all; without one (chunked),
reading stops at the limit.
"""

from flask import current_app, request

# Endpoints that take an uploaded CSV file.
IMPORT_ENDPOINTS = frozenset({"schools.import_schools", "schools.import_groups"})


def _allow_imports_more():
    if request.endpoint in IMPORT_ENDPOINTS:
        request.max_content_length = current_app.config["IMPORT_MAX_CONTENT_LENGTH"]


def init_app(app):
    app.before_request_funcs.setdefault(None, []).insert(0, _allow_imports_more)
