"""Signing in: the password, the second step's code, the end of a session.

Plain functions on a session, like services.py: they flush, the caller
commits, and they raise `AccountError`s that the views turn into messages.
Failures are counted and paused by throttle.py, never by locking the account.
"""

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts import throttle, two_factor
from app.accounts.events import record_event
from app.accounts.models import AccountEventKind, User, new_auth_token
from app.accounts.services import (
    AccountError,
    get_user_by_email,
    normalize_email,
    rehash_if_needed,
    verify_password,
    waste_a_password_check,
)
from app.db import utcnow


class SignInRefused(AccountError):
    """Wrong e-mail or password, or an inactive account: one answer for all."""

    code = "sign_in_refused"


class TooManyAttempts(AccountError):
    """Attempts for this e-mail from this address are paused until `until`
    (throttle.py). Said the same way whether the e-mail has an account."""

    code = "too_many_attempts"

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def _refuse_if_paused(session, keys, now):
    until = throttle.paused_until(session, keys, now=now)
    if until is not None:
        raise TooManyAttempts(until)


def _count_failure(session, keys, kind, *, user, now):
    """One more wrong password or code for these keys; log it, and the pause
    it starts. Wrong passwords and wrong codes count alike, so guessing codes
    after a right password is slowed down as guessing passwords is."""
    record_event(session, kind, user=user)
    if throttle.record_failure(session, keys, now=now):
        record_event(session, AccountEventKind.LOCKED, user=user)
    session.flush()


def authenticate(session, *, email, password, address, device=None):
    """Return the user whose credentials these are, or raise.

    `address` is the client's, and `device` the browser's device id (or
    None), both used only through keyed hashes (throttle.py).
    While attempts for this e-mail from this address are paused nothing is
    checked (`TooManyAttempts`); otherwise an unknown e-mail costs the same
    password hash as a known one, and gets the same answer and the same
    counting. A right password does not sign in yet: the caller finishes
    with `complete_sign_in`, after the second step when the user needs one.
    """
    now = utcnow()
    email = normalize_email(email)
    keys = throttle.Keys.of(email=email, address=address, device=device)
    _refuse_if_paused(session, keys, now)
    user = get_user_by_email(session, email)
    if user is None:
        waste_a_password_check(password)
    if user is None or not verify_password(user, password) or not user.active:
        _count_failure(session, keys, AccountEventKind.WRONG_PASSWORD, user=user, now=now)
        raise SignInRefused()
    rehash_if_needed(user, password)
    session.flush()
    return user


def sign_out(session, *, user):
    """End every session of `user`, on every device: the token their session
    cookies name is replaced, so a copy of a cookie opens nothing either."""
    user.auth_token = new_auth_token()
    record_event(session, AccountEventKind.SIGNED_OUT, user=user)
    session.flush()


def complete_sign_in(session, *, user, address, device=None):
    """The user gave everything asked of them: clear the failures of this
    address for them, trust it and the browser's `device` as theirs, log it."""
    now = utcnow()
    keys = throttle.Keys.of(email=user.email, address=address, device=device)
    throttle.record_success(session, keys, now=now)
    user.last_login_at = now
    record_event(session, AccountEventKind.SIGNED_IN, user=user)
    session.flush()
    return user


class WrongCode(AccountError):
    """The two-factor code is wrong, too old, or was used already."""

    code = "wrong_code"


def check_code(session, *, user, code, address, device=None, secret=None):
    """Accept `code` for `user` (or for `secret` being enrolled), or raise.

    On success the code's time step is stored so that it cannot be used
    again. A wrong code counts like a wrong password (`_count_failure`);
    `TooManyAttempts` is raised while attempts are paused (nothing is
    checked then) and when this failure starts a pause.
    """
    now = utcnow()
    keys = throttle.Keys.of(email=user.email, address=address, device=device)
    _refuse_if_paused(session, keys, now)
    if not user.active:
        raise SignInRefused()
    step = two_factor.matching_step(secret or user.totp_secret, code, last_step=user.totp_last_step)
    if step is None or not _claim_step(session, user=user, step=step):
        _count_failure(session, keys, AccountEventKind.WRONG_CODE, user=user, now=now)
        # Only someone with the password gets here: say at once that the
        # code step is paused, rather than take codes that cannot be checked.
        _refuse_if_paused(session, keys, now)
        raise WrongCode()


def _claim_step(session, *, user, step):
    """Store `step` as the user's last accepted one, if no request stored it
    (or a later one) first; return whether this request did.

    The user row read at the start of the request may be stale: requests
    sent together with one code all see the old step. So the check and the
    write are one conditional UPDATE, which the database runs one at a time
    for a row (PostgreSQL waits on the row lock, then re-checks the
    condition; SQLite lets one writer in at a time), and only the request
    whose UPDATE changed the row may use the code.
    """
    newer = sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    result = session.execute(
        sa.update(User)
        .where(User.id == user.id, newer)
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def enrol_two_factor(session, *, user, secret, code, address, device=None):
    """Keep `secret` as the user's once they have typed a right code from it."""
    check_code(session, user=user, code=code, secret=secret, address=address, device=device)
    user.totp_secret = secret
    user.totp_enrolled_at = utcnow()
    user.updated_at = utcnow()
    record_event(session, AccountEventKind.TWO_FACTOR_ENROLLED, user=user)
    session.flush()
