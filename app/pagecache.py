"""A small in-memory cache in front of the app for public pages.

The pages everyone sees alike — home, catalogue, module pages, guides, PDFs —
are the same bytes for every visitor without a cookie. A view opts in with
`@public_page`; this WSGI middleware then keeps that response (status, headers
and body, security headers included) and answers the next identical anonymous
GET from memory, without running the app. Anything with a cookie (a staff
session, a flashed message, a CSRF session) goes to the app, and so does
anything that set a cookie.

Entries are keyed by host, scheme, path, query string and a content version
(the curriculum's), so an edited module is never served stale. The cache is
per process and bounded in bytes (least recently used entries go first).
"""

import functools
import threading
from collections import OrderedDict

from flask import request
from werkzeug.http import is_resource_modified, parse_date, unquote_etag

ENVIRON_FLAG = "mobilis.public_page"


def public_page(view):
    """Mark a view's successful anonymous responses as shareable by everyone."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request.environ[ENVIRON_FLAG] = True
        return view(*args, **kwargs)

    return wrapped


class PublicPageCache:
    def __init__(self, wsgi_app, *, version, max_bytes):
        self.wsgi_app = wsgi_app
        self.version = version
        self.max_bytes = max_bytes
        self._entries = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def _key(self, environ):
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST") or environ.get("SERVER_NAME"),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            self.version(),
        )

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or "HTTP_COOKIE" in environ:
            return self.wsgi_app(environ, start_response)
        key = self._key(environ)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            return self._answer(entry, environ, start_response)
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        if not self._shareable(environ, captured):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        self._store(key, (captured["status"], captured["headers"], body))
        return [body]

    @staticmethod
    def _shareable(environ, captured):
        return (
            environ.get(ENVIRON_FLAG)
            and captured.get("status", "").startswith("200")
            and not any(name.lower() == "set-cookie" for name, _ in captured["headers"])
        )

    def _store(self, key, entry):
        size = len(entry[2])
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > self.max_bytes:
                _old_key, old = self._entries.popitem(last=False)
                self._size -= len(old[2])

    @staticmethod
    def _answer(entry, environ, start_response):
        status, headers, body = entry
        found = {name.lower(): value for name, value in headers}
        if ("etag" in found or "last-modified" in found) and not is_resource_modified(
            environ,
            etag=unquote_etag(found["etag"])[0] if "etag" in found else None,
            last_modified=parse_date(found.get("last-modified")),
        ):
            kept = [
                (n, v) for n, v in headers if n.lower() not in {"content-length", "content-type"}
            ]
            start_response("304 NOT MODIFIED", kept)
            return []
        start_response(status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0
