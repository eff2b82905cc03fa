"""Share tokens: a school's share page and feed, a person's calendar feed.

A token is 32 random bytes (256 bits, 43 URL-safe characters): it cannot be
guessed, so holding it is the permission. Each school and each person has at
most one live token; issuing a new one revokes the old, and a revoked token
opens nothing (404, like a token that never existed).
"""

import re
import secrets

from flask import url_for
from sqlmodel import select

from app.db import utcnow
from app.visits.models import ShareToken


def _owner_filter(school, user):
    if (school is None) == (user is None):
        raise ValueError("a token belongs to one school or one person")
    if school is not None:
        return ShareToken.school_id == school.id
    return ShareToken.user_id == user.id


TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def live_token(session, *, school=None, user=None):
    """The owner's live token, or None."""
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
    """A new live token for the owner (the previous one, if any, is revoked)."""
    revoke_token(session, school=school, user=user)
    token = ShareToken(
        token=secrets.token_urlsafe(32),
        school_id=school.id if school is not None else None,
        user_id=user.id if user is not None else None,
        lang=lang,
    )
    session.add(token)
    session.flush()
    return token


def find_live(session, value):
    """The live token whose value is `value`, or None (unknown or revoked).

    Only the characters of `secrets.token_urlsafe` are looked up: anything
    else in a URL is no token, and a NUL byte was a 500 on PostgreSQL."""
    if not TOKEN.fullmatch(value or ""):
        return None
    return session.exec(
        select(ShareToken).where(ShareToken.token == value, ShareToken.revoked_at.is_(None))
    ).first()


def feed_links(token):
    """(https link, webcal link) of a token's calendar feed."""
    https = url_for("visits.ical_feed", token=token.token, _external=True)
    return https, "webcal://" + https.split("://", 1)[1]
