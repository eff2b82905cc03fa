"""Account rules: creating and changing users, checking passwords and codes.

Plain functions on a session; they flush, the caller commits. They raise
`AccountError` subclasses that views and the CLI turn into messages.
"""

import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from sqlalchemy import func
from sqlmodel import select

from app.accounts import events, passwords, two_factor
from app.accounts.models import (
    AccountEventKind,
    Partner,
    PartnerKind,
    User,
    new_auth_token,
)
from app.db import utcnow
from app.security import Role


class PasswordHashing:
    """argon2id with the app's parameters (PASSWORD_HASH_PARAMETERS)."""

    def __init__(self, **parameters):
        self.hasher = PasswordHasher(**parameters)
        # Verified against when the e-mail is unknown, so the answer takes as long.
        self.dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))


def _hashing():
    if has_app_context():
        return current_app.extensions["password_hashing"]
    return _default_hashing()


@functools.cache
def _default_hashing():
    return PasswordHashing()


MIN_PASSWORD_LENGTH = passwords.MIN_PASSWORD_LENGTH


class AccountError(Exception):
    """A rule of accounts was broken; `code` names which."""

    code = "account_error"


class DuplicateEmail(AccountError):
    code = "duplicate_email"


class UnknownPartner(AccountError):
    code = "unknown_partner"


class WeakPassword(AccountError):
    """The password breaks the policy; `reason` says which rule (passwords.py)."""

    code = "weak_password"

    def __init__(self, reason=passwords.PolicyViolation.TOO_SHORT):
        super().__init__(reason)
        self.reason = reason


# For the command line, which speaks English only; forms use forms.py's messages.
WEAK_PASSWORD_REASONS = {
    passwords.PolicyViolation.TOO_SHORT: f"the password must have at least "
    f"{MIN_PASSWORD_LENGTH} characters",
    passwords.PolicyViolation.COMMON: "the password is one of the most common ones found in "
    "data breaches (even with digits or symbols at the end); choose another",
    passwords.PolicyViolation.PERSONAL: "the password must not contain the person's name or "
    "e-mail address",
}


class DuplicatePartnerCode(AccountError):
    code = "duplicate_partner_code"


class LastAdmin(AccountError):
    code = "last_admin"


def normalize_email(email):
    return email.strip().lower()


def hash_password(password):
    return _hashing().hasher.hash(password)


def check_password_strength(password, *, email=None, name=None):
    """Raise `WeakPassword` unless `password` passes the policy for this person."""
    try:
        passwords.check(password, email=email, name=name)
    except passwords.PolicyViolation as violation:
        raise WeakPassword(violation.reason) from None


def generate_password(*, email=None, name=None):
    """A random password for a demo or synthetic account (about 120 bits).

    Drawn again in the rare case it happens to contain a part of the
    person's name, so that a generated password always passes the policy."""
    while True:
        password = secrets.token_urlsafe(15)
        try:
            passwords.check(password, email=email, name=name)
        except passwords.PolicyViolation:
            continue
        return password


def get_user_by_email(session, email):
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def get_user_by_token(session, token):
    return session.exec(select(User).where(User.auth_token == token)).first()


def get_partner_by_code(session, code):
    return session.exec(select(Partner).where(Partner.code == code)).first()


def list_partners(session):
    return session.exec(select(Partner).order_by(Partner.name)).all()


def count_users(session):
    return session.exec(select(func.count()).select_from(User)).one()


def all_users(session):
    """Every account, by name (for choosing one in a filter)."""
    return session.exec(select(User).order_by(User.name, User.id)).all()


def list_users(session, *, page):
    """One page of users (app/paging.py), by name; returns (users, total)."""
    total = count_users(session)
    users = session.exec(page.of(select(User).order_by(User.name, User.id))).all()
    return users, total


def create_partner(session, *, code, name, kind):
    code = code.strip().lower()
    if get_partner_by_code(session, code) is not None:
        raise DuplicatePartnerCode()
    partner = Partner(code=code, name=name.strip(), kind=PartnerKind(kind))
    session.add(partner)
    session.flush()
    return partner


def _ensure_email_free(session, email, *, except_user=None):
    existing = get_user_by_email(session, email)
    if existing is not None and existing is not except_user:
        raise DuplicateEmail()


def create_user(session, *, email, name, role, password, partner=None):
    email = normalize_email(email)
    _ensure_email_free(session, email)
    check_password_strength(password, email=email, name=name)
    user = User(
        email=email,
        name=name.strip(),
        role=Role(role),
        partner_id=partner.id if partner else None,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def _active_admin_count(session):
    return session.exec(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
    ).one()


def _ensure_not_last_admin(session, user):
    if user.role == Role.ADMIN and user.active and _active_admin_count(session) <= 1:
        raise LastAdmin()


def update_user(session, *, user, email, name, role, partner):
    email = normalize_email(email)
    _ensure_email_free(session, email, except_user=user)
    if Role(role) != Role.ADMIN:
        _ensure_not_last_admin(session, user)
    if two_factor.role_requires(role) and not two_factor.required_for(user):
        # Their sessions were opened without a code: end them, so that the
        # new role is used only after the second step.
        user.auth_token = new_auth_token()
    user.email = email
    user.name = name.strip()
    user.role = Role(role)
    user.partner_id = partner.id if partner else None
    user.updated_at = utcnow()
    session.flush()
    return user


def deactivate_user(session, *, user):
    _ensure_not_last_admin(session, user)
    user.active = False
    user.auth_token = new_auth_token()
    user.reset_digest = None  # a reset link sent before dies with the account
    user.reset_expires_at = None
    user.updated_at = utcnow()
    session.flush()


def reactivate_user(session, *, user):
    user.active = True
    user.updated_at = utcnow()
    session.flush()


def set_password(session, *, user, password, must_change=False):
    check_password_strength(password, email=user.email, name=user.name)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.auth_token = new_auth_token()
    user.updated_at = utcnow()
    session.flush()


def change_own_password(session, *, user, password):
    """The user chose a new password (their sessions elsewhere end)."""
    set_password(session, user=user, password=password)
    events.record_event(session, AccountEventKind.PASSWORD_CHANGED, user=user)


def waste_a_password_check(password):
    """Check `password` against a hash that matches nothing: for an e-mail
    without an account, so that the answer takes as long as a real check."""
    verify_password(User(password_hash=_hashing().dummy_hash), password)


def rehash_if_needed(user, password):
    """After a right password: hash it again if the parameters changed."""
    if _hashing().hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)


def verify_password(user, password):
    try:
        return _hashing().hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def reset_two_factor(session, *, user, by):
    """Forget the user's secret (a lost phone): they enrol again at next sign-in.

    Their sessions end too, as whoever has the phone may have one open."""
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    user.auth_token = new_auth_token()
    user.updated_at = utcnow()
    events.record_event(session, AccountEventKind.TWO_FACTOR_RESET, user=user, by=by)
    session.flush()
