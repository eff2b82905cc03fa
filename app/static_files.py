"""Static files with their content's fingerprint in the URL.

`url_for("static", filename=...)` adds `?v=<first 12 hex digits of the file's
SHA-256>`. A request whose `v` matches the file's fingerprint may be kept by
browsers (and nginx's /static/ location, docs/deploy/nginx/mobilis.conf) for a
year, `immutable`: when the file changes its URL changes, so nobody keeps a
stale stylesheet. A request without it, or with an old one, gets a short
max-age instead. Fingerprints are computed once per file per process: a
deployment restarts the processes.
"""

import hashlib
from pathlib import Path

from flask import current_app, request, send_from_directory
from werkzeug.security import safe_join

FINGERPRINT_LENGTH = 12
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


# (static folder, file name) -> fingerprint, for the life of the process.
_fingerprints = {}


def fingerprint(static_folder, filename):
    """The file's fingerprint, or None when there is no such file."""
    key = (static_folder, filename)
    if key not in _fingerprints:
        path = safe_join(static_folder, filename)
        if path is None or not Path(path).is_file():
            return None
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        _fingerprints[key] = digest[:FINGERPRINT_LENGTH]
    return _fingerprints[key]


def _add_fingerprint(endpoint, values):
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    version = fingerprint(current_app.static_folder, values["filename"])
    if version:
        values["v"] = version


def send_static_file(filename):
    """Flask's static view, with far-future caching for a fingerprinted URL."""
    folder = current_app.static_folder
    version = request.args.get("v")
    fresh = version is not None and version == fingerprint(folder, filename)
    max_age = IMMUTABLE_MAX_AGE if fresh else current_app.config["STATIC_MAX_AGE"]
    response = send_from_directory(folder, filename, max_age=max_age)
    if fresh:
        response.cache_control.immutable = True
    return response


def init_app(app):
    app.url_defaults(_add_fingerprint)
    app.view_functions["static"] = send_static_file
