"""A password reset by link: the person chooses the new password themselves.

An administrator who could set a password, or read the one the site made up,
could sign in as a youth worker and read the students' questions routed to
them. So a reset only sends the person a link (mails.py): it works once,
for PASSWORD_RESET_HOURS, and only its SHA-256 digest is stored, so neither
the database nor the administrator has it. Starting a reset ends the old
password and every session at once (the account may be in the wrong hands);
using the link sets the new password and ends every session again.

The link goes to the account's address, which an administrator may change:
one who set it to a mailbox of their own, then reset the password and the
second factor, would have the account. So for HOLD_DAYS after an
administrator changes the address of someone else's account, neither reset
can be made (`ResetHeld`), and the notice sent to the former address says
so: the person, who can still sign in, has that long to hear of it and
answer. The change is logged (EMAIL_CHANGED, with who made it), and the hold
is read from that log. Sending the link to the former address instead was
not chosen: an address is replaced because it is no longer the person's
(they left a partner, the mailbox was given to someone else or taken over),
and a link is a way into the account.

Plain functions on a session, like services.py: they flush, the caller commits.
"""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select

from app.accounts import events, services
from app.accounts.models import AccountEvent, AccountEventKind, User, new_auth_token
from app.db import utcnow

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 64
DEFAULT_HOURS = 24
HOLD_DAYS = 14


class LinkInvalid(services.AccountError):
    """Unknown, used, expired, or its account deactivated: one answer for all."""

    code = "link_invalid"


class ResetHeld(services.AccountError):
    """An administrator changed the account's address less than HOLD_DAYS
    ago: no reset of its password or second factor before `until`."""

    code = "reset_held"

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def note_email_change(session, *, user, by):
    """Log that `by` changed `user`'s address (the hold starts, unless `by`
    is the person); return the end of the hold, or None."""
    events.record_event(session, AccountEventKind.EMAIL_CHANGED, user=user, by=by)
    return held_until(session, user=user)


def held_until(session, *, user):
    """Until when resets of `user` are held, or None when they are not."""
    since = utcnow() - timedelta(days=HOLD_DAYS)
    by_someone_else = sa.or_(AccountEvent.by_id.is_(None), AccountEvent.by_id != user.id)
    changed_at = session.exec(
        select(sa.func.max(AccountEvent.at)).where(
            AccountEvent.user_id == user.id,
            AccountEvent.kind == AccountEventKind.EMAIL_CHANGED,
            AccountEvent.at > since,
            by_someone_else,
        )
    ).one()
    return None if changed_at is None else changed_at + timedelta(days=HOLD_DAYS)


def ensure_not_held(session, *, user):
    """Raise `ResetHeld` while resets of `user` are held."""
    until = held_until(session, user=user)
    if until is not None:
        raise ResetHeld(until)


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start(session, *, user, by, hours=DEFAULT_HOURS):
    """Start a reset of `user`'s password by `by`; return the link's token,
    for the e-mail only (it cannot be read back). `ResetHeld` while held."""
    ensure_not_held(session, user=user)
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
