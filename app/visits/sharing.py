"""Share tokens: a school's share page and feed, a person's calendar feed.

A token is 32 random bytes (256 bits, 43 URL-safe characters): it cannot be
guessed, so holding it is the permission. As for API tokens
(app/reports/tokens.py), only its SHA-256 digest is stored and the token is
shown once, when made: a copy of the database, a backup or a staff member
reading the visit page opens nothing. A plain hash is enough because the
token is random and long, not a password a person chose, and it lets a token
be found by an indexed equality on the digest of what was presented (no
comparison of secrets that could leak through its timing).

Each school and each person has at most one live token; issuing a new one
revokes the old, and a revoked token opens nothing (404, like a token that
never existed).
"""

import hashlib
import re
import secrets
from typing import NamedTuple

from flask import url_for
from sqlmodel import select

from app.db import utcnow
from app.visits.models import ShareToken

TOKEN_BYTES = 32
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


class NewToken(NamedTuple):
    """A token just made: the only time its value is known."""

    token: str  # the value, for the links shown once
    row: ShareToken


def digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


def _owner_filter(school, user):
    if (school is None) == (user is None):
        raise ValueError("a token belongs to one school or one person")
    if school is not None:
        return ShareToken.school_id == school.id
    return ShareToken.user_id == user.id


def live_token(session, *, school=None, user=None):
    """The owner's live token row (its value cannot be read back), or None."""
    return session.exec(
        select(ShareToken).where(_owner_filter(school, user), ShareToken.revoked_at.is_(None))
    ).first()


def revoke_token(session, *, school=None, user=None):
    """Revoke the owner's live token; True if there was one."""
    token = live_token(session, school=school, user=user)
    if token is None:
        return False
    token.revoked_at = utcnow()
    session.flush()
    return True


def issue_token(session, *, lang, school=None, user=None):
    """A new live token for the owner (the previous one, if any, is revoked),
    as a NewToken: the caller shows its value once."""
    revoke_token(session, school=school, user=user)
    value = secrets.token_urlsafe(TOKEN_BYTES)
    row = ShareToken(
        digest=digest(value),
        school_id=school.id if school is not None else None,
        user_id=user.id if user is not None else None,
        lang=lang,
    )
    session.add(row)
    session.flush()
    return NewToken(value, row)


def find_live(session, value):
    """The live token row whose value is `value`, or None (unknown or revoked).

    Only the characters of `secrets.token_urlsafe` are looked up: anything
    else in a URL is no token."""
    if not TOKEN.fullmatch(value or ""):
        return None
    return session.exec(
        select(ShareToken).where(
            ShareToken.digest == digest(value), ShareToken.revoked_at.is_(None)
        )
    ).first()


def share_url(value, *, lang):
    """The school's share page for the token `value`."""
    return url_for("visits.shared_schedule", lang=lang, token=value, _external=True)


def feed_links(value):
    """(https link, webcal link) of the calendar feed of the token `value`."""
    https = url_for("visits.ical_feed", token=value, _external=True)
    return https, "webcal://" + https.split("://", 1)[1]
