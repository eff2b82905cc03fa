"""Personal API tokens: a coordinator makes one for a program that reads
/api/v1/ (a spreadsheet, a dashboard), and revokes it when done.

A token is 32 random bytes from `secrets` (43 URL-safe characters), shown
once when it is made. Only its SHA-256 digest is stored: a copy of the
database opens nothing. A plain hash (no salt, no key) is enough because the
token is random and long, not a password a person chose; it also lets the
token be found by an indexed equality on the digest.
"""

import hashlib
import secrets

from sqlmodel import select

from app.db import utcnow
from app.reports.models import ApiToken

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64


def digest(value):
    return hashlib.sha256(value.encode()).hexdigest()


def create_token(session, *, user, name):
    """(the new ApiToken row, the token itself): the caller shows the token
    once; it cannot be read back."""
    value = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(user_id=user.id, name=name.strip(), digest=digest(value))
    session.add(token)
    session.flush()
    return token, value


def find_by_token(session, value):
    """The live token whose value is `value`, or None (unknown or revoked)."""
    if not value or len(value) > MAX_TOKEN_LENGTH:
        return None
    return session.exec(
        select(ApiToken).where(ApiToken.digest == digest(value), ApiToken.revoked_at.is_(None))
    ).first()


def tokens_of(session, *, user):
    """The user's tokens, live ones first, newest first."""
    return session.exec(
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def owned_token(session, *, user, token_id):
    """The user's token `token_id`, or None (someone else's is None too)."""
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def revoke(session, *, token, now=None):
    """Revoke `token` (once: revoking it again keeps the first date)."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.flush()


def mark_used(session, *, token, now=None):
    token.last_used_at = now or utcnow()
    session.flush()
