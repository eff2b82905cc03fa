"""Who may see what, and the protections every response carries.

Every view declares exactly one access rule with one of the decorators below
(`public`, `login_required`, `role_required`); `check_access_rules` refuses to
start an application where a view has none. The role × route test walks the
URL map with these rules' expectations written out by hand.
"""

import enum
import functools
import hashlib
import hmac
import logging

from flask import abort, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

# limits finds a storage by its URI's scheme among the classes defined so far:
# this defines memory-swept://, the default RATELIMIT_STORAGE_URI.
from app import ratelimit_memory  # noqa: F401

csrf = CSRFProtect()
login_manager = LoginManager()


def _client_address():
    """The rate limiter's key: a keyed hash of the address, never the address.

    Limit counters live in memory or in Redis, and Flask-Limiter logs the key
    of a refused request; neither ever holds a visitor's address this way.
    """
    return _keyed("address", request.remote_addr or "unknown")


def _keyed(kind, value):
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:24]}"


def client_session_key():
    """A rate-limit key for one browser (its CSRF session), hashed like the address."""
    token = session.get("csrf_token")
    return _keyed("session", token) if token else _client_address()


# Limits are declared per view; nothing is limited by default. The storage is
# shared between app hosts when RATELIMIT_STORAGE_URI points at Redis.
limiter = Limiter(key_func=_client_address, default_limits=[])

# A Redis that does not answer within this long counts as down: a sign-in page
# never hangs on it (the client waits forever by default). What happens then is
# in app/config.py (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, RATELIMIT_SWALLOW_ERRORS).
REDIS_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}


def _is_redis(uri):
    return uri.split("://", 1)[0] in {"redis", "rediss", "redis+unix"}


def _log_limiter_warnings(app):
    """Let Flask-Limiter's warnings reach the log: "Rate limit storage
    unreachable - falling back to in-memory storage" above all.

    Its logger has a NullHandler of its own, so with no handler on the root
    logger (LOG_FORMAT=text) they went nowhere. With LOG_FORMAT=json they
    reach the root's JSON handler already (app/jsonlog.py).
    """
    if app.config["LOG_FORMAT"] != "json":
        from flask.logging import default_handler

        logging.getLogger("flask-limiter").addHandler(default_handler)  # once: a set


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    PREVENTION_WORKER = "prevention_worker"
    POLICE_OFFICER = "police_officer"
    YOUTH_WORKER = "youth_worker"


STAFF_ROLES = frozenset(Role)


def _mark(view, rule):
    if hasattr(view, "access_rule"):
        raise RuntimeError(f"{view.__name__} already has an access rule")
    view.access_rule = rule
    return view


def public(view):
    """Anyone may open this view, signed in or not."""
    return _mark(view, ("public", None))


def login_required(view):
    """Any signed-in staff member."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapped, ("staff", STAFF_ROLES))


def role_required(*roles):
    """Only signed-in staff with one of `roles` (admin is always included)."""
    allowed = frozenset(roles) | {Role.ADMIN}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, ("roles", allowed))

    return decorator


def check_access_rules(app):
    """Refuse to run with a view that declares no access rule."""
    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "access_rule")
    ]
    if missing:
        raise RuntimeError(f"views without an access rule: {', '.join(sorted(missing))}")


class SessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions whose cookie is Secure whenever the request is HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "no-referrer"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    if current_user and current_user.is_authenticated:
        # Staff pages hold personal data: never keep them in a shared cache.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app):
    app.session_interface = SessionInterface()
    if _is_redis(app.config["RATELIMIT_STORAGE_URI"]):
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", REDIS_STORAGE_OPTIONS)
    # The limiter is one object for every app; its init_app falls back on the
    # last app's RATELIMIT_ENABLED when this app's config has none, so an app
    # built with limits off would leave them off for the next one.
    app.config.setdefault("RATELIMIT_ENABLED", True)
    # The rate limiter first: a flood is refused before any other work.
    limiter.init_app(app)
    _log_limiter_warnings(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    app.after_request(_security_headers)
