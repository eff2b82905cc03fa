"""A small in-memory cache in front of the app for public pages.

The pages everyone sees alike — home, catalogue, module pages, guides, PDFs —
are the same bytes for every visitor without a cookie. A view opts in with
`@public_page`; this WSGI middleware then keeps that response (status, headers
and body, security headers included) and answers the next identical anonymous
GET from memory, without running the app. Anything with a cookie (a staff
session, a flashed message, a CSRF session) goes to the app, and so does
anything that set a cookie.

A public form (the anonymous question) is the same page for every visitor
but for its tokens: the CSRF token, with the session cookie that holds its
raw value, and one-time tokens (the form's submission id). Its view calls
`share_form_page` with the tokens it wrote; the middleware keeps the page with
holes where they were and answers the next anonymous visitor with fresh ones,
minted as Flask-WTF and Flask's session would (`app.forms.CsrfSessions`): a
new session per visitor, nothing shared between two. It keeps such a page
FORM_PAGE_SECONDS only, since a form can list rows (the schools) that change.
Only a page whose one cookie is a session holding that CSRF token and nothing
else is kept.

Entries are keyed by host, scheme, path, query string and a content version
(the curriculum's), so an edited module is never served stale. The cache is
per process and bounded in bytes (least recently used entries go first). On a
hit, the route and endpoint the app once gave the page are put back into the
environ, for the access log (app/jsonlog.py).
"""

import functools
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, render_template, request, session
from flask_login import current_user
from markupsafe import escape
from werkzeug.http import is_resource_modified, parse_date, unquote_etag

from app.jsonlog import ENDPOINT_KEY, ROUTE_KEY

ENVIRON_FLAG = "mobilis.public_page"
FORM_FLAG = "mobilis.public_form_page"
# How long a form page is kept: a school added to the list shows within this.
FORM_PAGE_SECONDS = 60
_CSRF = object()  # the hole for the CSRF token in a form page's body


def public_page(view):
    """Mark a view's successful anonymous responses as shareable by everyone."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request.environ[ENVIRON_FLAG] = True
        return view(*args, **kwargs)

    return wrapped


def share_form_page(*, csrf_token, one_time=()):
    """Let this anonymous form page be served again, each visitor with fresh
    tokens: `csrf_token` as the page shows it, and `one_time`, random
    URL-safe tokens (secrets.token_urlsafe) that the page shows."""
    request.environ[FORM_FLAG] = (csrf_token, tuple(one_time))


_HOLE = "\ue000hole\ue000"  # a private-use character: no page has it


def render_with_a_hole(template, key, *, hole, value, **context):
    """`render_template(template, **{hole: value}, **context)`, drawn once per
    app (so per process) for each `key` with a hole for `value`, then only
    filled in.

    For a page that only one value makes different for every visitor (the
    passphrase on the page after a question): `key` must say everything
    else the page depends on beyond its address (the language is in it) and
    what is the same for the whole process. Someone signed in, with a
    message waiting to be flashed, or at an address with a query (the
    language links carry it, and keeping each would let anyone fill the
    memory) gets the page drawn in full."""
    if current_user.is_authenticated or session.get("_flashes") or request.query_string:
        return render_template(template, **{hole: value}, **context)
    pages = current_app.extensions.setdefault("pages_with_a_hole", {})
    key = (template, key, request.host, request.path)
    parts = pages.get(key)
    if parts is None:
        parts = render_template(template, **{hole: _HOLE}, **context).split(_HOLE)
        if len(parts) != 2:  # the value shown twice, or not at all
            return render_template(template, **{hole: value}, **context)
        pages[key] = parts  # two threads may both draw it: the same page
    return parts[0] + str(escape(value)) + parts[1]


@dataclass
class _Entry:
    status: str
    headers: list
    body: bytes
    route: tuple  # (route, endpoint) for the access log
    parts: list = None  # a form page: bytes, _CSRF, or the byte length of a one-time token
    cookie: int = None  # a form page: the index of its Set-Cookie header
    expires: float = None

    @property
    def size(self):
        return len(self.body)


class PublicPageCache:
    def __init__(self, wsgi_app, *, version, max_bytes, csrf_sessions=None):
        self.wsgi_app = wsgi_app
        self.version = version
        self.max_bytes = max_bytes
        self.csrf_sessions = csrf_sessions
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
        entry = self._lookup(key)
        if entry is not None:
            environ[ROUTE_KEY], environ[ENDPOINT_KEY] = entry.route
            return self._answer(entry, environ, start_response)
        if method == "HEAD":
            return self.wsgi_app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        shareable = self._shareable(environ, captured)
        form = environ.get(FORM_FLAG) if self._form_shareable(captured) else None
        if not (shareable or form):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        route = (environ.get(ROUTE_KEY, "-"), environ.get(ENDPOINT_KEY, "-"))
        entry = _Entry(captured["status"], captured["headers"], body, route)
        if form is None or self._make_form_entry(entry, *form):
            self._store(key, entry)
        return [body]

    def _lookup(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry.expires is not None and entry.expires < time.monotonic():
                del self._entries[key]
                self._size -= entry.size
                return None
            self._entries.move_to_end(key)
            return entry

    @staticmethod
    def _shareable(environ, captured):
        return (
            environ.get(ENVIRON_FLAG)
            and captured.get("status", "").startswith("200")
            and not any(name.lower() == "set-cookie" for name, _ in captured["headers"])
        )

    def _form_shareable(self, captured):
        return self.csrf_sessions is not None and captured.get("status", "").startswith("200")

    def _make_form_entry(self, entry, csrf_token, one_time):
        """Cut the page's tokens out of `entry`; False when it is not such a page."""
        cookies = [i for i, (name, _) in enumerate(entry.headers) if name.lower() == "set-cookie"]
        if len(cookies) != 1:
            return False
        cookie = entry.headers[cookies[0]][1]
        name, _, rest = cookie.partition("=")
        value = rest.partition(";")[0]
        if name != self.csrf_sessions.cookie_name or not self.csrf_sessions.holds_only(
            value, csrf_token
        ):
            return False
        parts = [entry.body]
        for token, hole in ((csrf_token, _CSRF), *((t, len(t)) for t in one_time)):
            parts = _cut(parts, token.encode(), hole)
            if parts is None:
                return False
        entry.parts, entry.cookie = parts, cookies[0]
        entry.expires = time.monotonic() + FORM_PAGE_SECONDS
        return True

    def _store(self, key, entry):
        size = entry.size
        if size > self.max_bytes // 4:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = entry
            self._size += size
            while self._size > self.max_bytes:
                _old_key, old = self._entries.popitem(last=False)
                self._size -= old.size

    def _answer(self, entry, environ, start_response):
        if entry.parts is not None:
            return self._answer_form(entry, environ, start_response)
        headers = entry.headers
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        found = {name.lower(): value for name, value in headers} if conditional else {}
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
        start_response(entry.status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [entry.body]

    def _answer_form(self, entry, environ, start_response):
        """The form page with this visitor's own session and tokens."""
        cookie_value, csrf_token = self.csrf_sessions.mint()
        csrf_token = csrf_token.encode()
        body = b"".join(
            part
            if isinstance(part, bytes)
            else csrf_token
            if part is _CSRF
            else secrets.token_urlsafe(part * 3 // 4).encode()
            for part in entry.parts
        )
        headers = []
        for index, (name, value) in enumerate(entry.headers):
            if index == entry.cookie:
                rest = value.partition(";")[2]
                value = f"{self.csrf_sessions.cookie_name}={cookie_value};{rest}"
            elif name.lower() == "content-length":
                value = str(len(body))
            headers.append((name, value))
        start_response(entry.status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._size = 0


def _cut(parts, token, hole):
    """`parts` with each occurrence of `token` in its bytes replaced by `hole`;
    None when the token is not there (the page is not what its view said)."""
    cut, found = [], False
    for part in parts:
        if not isinstance(part, bytes):
            cut.append(part)
            continue
        pieces = part.split(token)
        found = found or len(pieces) > 1
        for index, piece in enumerate(pieces):
            if index:
                cut.append(hole)
            cut.append(piece)
    return cut if found and token else None
