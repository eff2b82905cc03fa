"""Two-factor sign-in with time-based codes (TOTP, RFC 6238), through pyotp.

Required of the staff who can read students' questions: youth workers (the
inbox) and administrators (the help audit log, and they can grant any role).
A stolen password alone then opens nothing that holds a child's words.

Codes are the usual six digits every 30 seconds, so any authenticator app
(or `oathtool --totp -b SECRET`) works. One step either side is accepted for
clock drift; the step of the last accepted code is stored and a code of that
step or an earlier one is refused, so a code seen once cannot be used again.
"""

import hmac
import time

import pyotp
import segno

from app.security import Role

ISSUER = "MOBILIS Prévention"
ROLES = frozenset({Role.YOUTH_WORKER, Role.ADMIN})
DIGITS = 6
INTERVAL = 30
# Steps accepted on either side of the server's, for a phone's clock drift.
DRIFT_STEPS = 1


def required_for(user):
    """Whether `user` must give a code after their password."""
    return role_requires(user.role)


def role_requires(role):
    return Role(role) in ROLES


def new_secret():
    """160 random bits, base32 (RFC 4226's recommended length)."""
    return pyotp.random_base32()


def current_step(now=None):
    return int(now if now is not None else time.time()) // INTERVAL


def code_at(secret, step):
    """The code of `secret` for time step `step`."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).generate_otp(step)


def matching_step(secret, code, *, last_step=None, now=None):
    """The time step whose code `code` is, if it is near now and newer than
    `last_step`; otherwise None.

    Every candidate is compared (in constant time), so the answer takes as
    long whether the code is right, wrong or replayed.
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    found = None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        same = hmac.compare_digest(code_at(secret, candidate), code)
        if same and (last_step is None or candidate > last_step):
            found = candidate
    return found


def provisioning_uri(secret, email):
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_code_data_uri(uri):
    """The QR code of `uri` as an SVG data: URI, made here (no third-party service)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#1d1b22")


def grouped(secret):
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
