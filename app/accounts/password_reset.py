"""A password reset by link: the person chooses the new password themselves.

An administrator who could set a password, or read the one the site made up,
could sign in as a youth worker and read the students' questions routed to
them. So a reset only sends the person a link (mails.py): it works once,
for PASSWORD_RESET_HOURS, and only its SHA-256 digest is stored, so neither
the database nor the administrator has it. Starting a reset ends the old
password and every session at once (the account may be in the wrong hands);
using the link sets the new password and ends every session again.

Plain functions on a session, like services.py: they flush, the caller commits.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select

from app.accounts import events, services
from app.accounts.models import AccountEventKind, User, new_auth_token
from app.db import utcnow

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64
DEFAULT_HOURS = 24


class LinkInvalid(services.AccountError):
    """Unknown, used, expired, or its account deactivated: one answer for all."""

    code = "link_invalid"


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(session, *, user, by, hours=DEFAULT_HOURS):
    """Start a reset of `user`'s password by `by`; return the link's token,
    for the e-mail only (it cannot be read back)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.reset_digest = _digest(token)
    user.reset_expires_at = utcnow() + timedelta(hours=hours)
    # A password nobody knows, with the cost of a real one, so that the
    # sign-in page answers as it would for a wrong password.
    user.password_hash = services.hash_password(secrets.token_urlsafe(32))
    user.must_change_password = False
    user.auth_token = new_auth_token()
    user.updated_at = utcnow()
    events.record_event(session, AccountEventKind.PASSWORD_RESET, user=user, by=by)
    session.flush()
    return token


def user_for(session, token):
    """The account whose live link `token` is, or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    user = session.exec(select(User).where(User.reset_digest == _digest(token))).first()
    if user is None or not user.active or user.reset_expires_at is None:
        return None
    if user.reset_expires_at <= utcnow():
        return None
    return user


def complete(session, *, token, password):
    """Set the password chosen through the link `token`; return the account.

    The policy is checked first, so a refused password leaves the link
    usable; then the link is claimed with one conditional UPDATE, so two
    forms sent at once cannot both use it (`LinkInvalid` for the second).
    """
    user = user_for(session, token)
    if user is None:
        raise LinkInvalid()
    services.check_password_strength(password, email=user.email, name=user.name)
    claimed = session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            User.reset_digest == _digest(token),
            User.reset_expires_at > utcnow(),
        )
        .values(reset_digest=None, reset_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise LinkInvalid()
    set_committed_value(user, "reset_digest", None)
    set_committed_value(user, "reset_expires_at", None)
    services.set_password(session, user=user, password=password)
    events.record_event(session, AccountEventKind.PASSWORD_CHANGED, user=user)
    return user
