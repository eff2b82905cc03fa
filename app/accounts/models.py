"""Partners (the organisations of the partnership) and staff users."""

import enum
import secrets
from datetime import datetime

from sqlmodel import Field, Relationship, SQLModel

from app.db import UTCDateTime, string_enum, utcnow
from app.security import Role


class PartnerKind(enum.StrEnum):
    YOUTH_HOUSE = "youth_house"
    POLICE = "police"
    YOUTH_CENTRE = "youth_centre"
    OTHER = "other"


def new_auth_token():
    return secrets.token_urlsafe(24)


class Partner(SQLModel, table=True):
    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: PartnerKind = Field(sa_type=string_enum(PartnerKind))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    users: list["User"] = Relationship(back_populates="partner")


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    name: str = Field(max_length=200)
    role: Role = Field(sa_type=string_enum(Role))
    partner_id: int | None = Field(
        default=None, foreign_key="partner.id", index=True, ondelete="RESTRICT"
    )
    active: bool = Field(default=True)
    password_hash: str = Field(max_length=255)
    must_change_password: bool = Field(default=False)
    # Rotated when the password changes or the account is deactivated, which
    # ends every session signed with the old value.
    auth_token: str = Field(default_factory=new_auth_token, max_length=64, unique=True)
    # No longer used (sign-in failures are in `sign_in_throttle` since
    # migration 0014, and no account is ever locked by them); kept because
    # older scripts and the synthetic data loader still write them.
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lock_count: int = Field(default=0)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Two-factor sign-in (TOTP, RFC 6238): the base32 secret, set at
    # enrolment and never shown again; the last time step accepted, so that
    # a code seen over someone's shoulder cannot be used a second time.
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_last_step: int | None = Field(default=None)
    totp_enrolled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A password reset an administrator started (password_reset.py): the
    # SHA-256 of the one-time link's token, which only the e-mail holds, and
    # when the link stops working. Both empty once it is used.
    reset_digest: str | None = Field(default=None, max_length=64, unique=True)
    reset_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    partner: Partner | None = Relationship(back_populates="users")

    # Flask-Login's protocol.
    @property
    def is_authenticated(self):
        return True

    @property
    def is_active(self):
        return self.active

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        return self.auth_token

    def has_role(self, *roles):
        return self.role == Role.ADMIN or self.role in roles


class AccountEventKind(enum.StrEnum):
    SIGNED_IN = "signed_in"
    WRONG_PASSWORD = "wrong_password"  # noqa: S105  (an event name, not a password)
    LOCKED = "locked"  # attempts paused after repeated failures (never a lock-out)
    WRONG_CODE = "wrong_code"
    SIGNED_OUT = "signed_out"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105
    TWO_FACTOR_ENROLLED = "two_factor_enrolled"
    TWO_FACTOR_RESET = "two_factor_reset"
    EMAIL_CHANGED = "email_changed"  # by an administrator (resets wait: password_reset.py)


class AccountEvent(SQLModel, table=True):
    """Something that happened to a staff account's sign-in.

    Deliberately thin: which account (none when the e-mail typed matched no
    account, and the e-mail itself is never kept), what, when, and which
    administrator did it when it was one. No address, no user agent.
    """

    __tablename__ = "account_event"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(
        default=None, foreign_key="user_account.id", index=True, ondelete="SET NULL"
    )
    kind: AccountEventKind = Field(sa_type=string_enum(AccountEventKind))
    by_id: int | None = Field(default=None, foreign_key="user_account.id", ondelete="SET NULL")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-in attempts counted for one key, and the pause they earned.

    A key is a keyed hash (HMAC under SECRET_KEY) of an e-mail typed and an
    address together, of an address alone, or of an e-mail alone (see
    `app/accounts/throttle.py`): never the e-mail or the address itself,
    and the same for an e-mail that matches no account as for one that does.
    """

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=64)
    failures: int = Field(default=0)
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # For an e-mail and address pair: until when that address counts as one
    # the account signs in from, so strangers' failures elsewhere do not
    # slow its owner down there.
    trusted_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
