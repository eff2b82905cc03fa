"""Account rules: creating and changing users, checking passwords, lock-out.

Plain functions on a session; they flush, the caller commits. They raise
`AccountError` subclasses that views and the CLI turn into messages.
"""

import functools
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app, has_app_context
from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import Partner, PartnerKind, User, new_auth_token
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


MIN_PASSWORD_LENGTH = 12


class AccountError(Exception):
    """A rule of accounts was broken; `code` names which."""

    code = "account_error"


class DuplicateEmail(AccountError):
    code = "duplicate_email"


class UnknownPartner(AccountError):
    code = "unknown_partner"


class WeakPassword(AccountError):
    code = "weak_password"


class DuplicatePartnerCode(AccountError):
    code = "duplicate_partner_code"


class LastAdmin(AccountError):
    code = "last_admin"


def normalize_email(email):
    return email.strip().lower()


def hash_password(password):
    return _hashing().hasher.hash(password)


def check_password_strength(password):
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword()


def generate_password():
    """A random password for a reset or a demo account (about 120 bits)."""
    return secrets.token_urlsafe(15)


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


def list_users(session, *, page, per_page):
    """One page of users, by name; returns (users, total)."""
    total = count_users(session)
    users = session.exec(
        select(User).order_by(User.name, User.id).offset((page - 1) * per_page).limit(per_page)
    ).all()
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
    check_password_strength(password)
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
    user.updated_at = utcnow()
    session.flush()


def reactivate_user(session, *, user):
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    user.updated_at = utcnow()
    session.flush()


def set_password(session, *, user, password, must_change=False):
    check_password_strength(password)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.auth_token = new_auth_token()
    user.failed_logins = 0
    user.locked_until = None
    user.updated_at = utcnow()
    session.flush()


def reset_password(session, *, user):
    """Give `user` a new random password to change at next sign-in; return it."""
    password = generate_password()
    set_password(session, user=user, password=password, must_change=True)
    return password


def verify_password(user, password):
    try:
        return _hashing().hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class SignInRefused(AccountError):
    """Wrong e-mail or password, or an inactive account: one answer for all."""

    code = "sign_in_refused"


class AccountLocked(AccountError):
    code = "account_locked"


def authenticate(session, *, email, password, max_failures, lock_minutes):
    """Return the user whose credentials these are, or raise.

    After `max_failures` wrong passwords in a row the account is locked for
    `lock_minutes`, doubled at each further lock (capped at one day). The
    counter lives in the database, so every app host sees the same lock.
    """
    user = get_user_by_email(session, email)
    now = utcnow()
    if user is None:
        verify_password(User(password_hash=_hashing().dummy_hash), password)
        raise SignInRefused()
    if user.locked_until is not None and user.locked_until > now:
        raise AccountLocked()
    if not verify_password(user, password) or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            minutes = min(lock_minutes * 2**user.lock_count, 24 * 60)
            user.locked_until = now + timedelta(minutes=minutes)
            user.lock_count += 1
            user.failed_logins = 0
        session.flush()
        raise SignInRefused()
    if _hashing().hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.lock_count = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    return user
