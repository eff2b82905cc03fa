"""The device cookie: a browser in which the account's owner signed in.

Strangers failing at an account's password from many addresses pause it
everywhere but where its owner is known (throttle.py): at an address they
completed a sign-in from, and in a browser they did. The browser is known by
a random id (256 bits) in a long-lived, HttpOnly, SameSite=Strict cookie,
set or renewed at each completed sign-in. The server keeps only a keyed
hash of the id with the e-mail (a trusted key in `sign_in_throttle`), so the
cookie names nobody, and one copied from another browser helps only the
accounts that signed in there, against that pause alone: the pauses of an
address, and of an e-mail at an address, still hold. It is not a session:
it signs nobody in, and it stays after sign-out.
"""

import re
import secrets
from datetime import timedelta

from flask import current_app, request

from app.accounts import throttle

COOKIE_NAME = "mobilis_device"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


def from_request():
    """The browser's device id, or None when it has none (or a made-up one)."""
    value = request.cookies.get(COOKIE_NAME, "")
    return value if _SHAPE.fullmatch(value) else None


def id_for_sign_in():
    """The id to trust at a sign-in: the browser's own, else a new one."""
    return from_request() or secrets.token_urlsafe(32)


def remember(response, device_id):
    """Set (or renew) the cookie, Secure as the session's is (app/security.py)."""
    response.set_cookie(
        COOKIE_NAME,
        device_id,
        max_age=timedelta(days=throttle.TRUST_DAYS),
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure),
        httponly=True,
        samesite="Strict",
        path="/",
    )
    return response
