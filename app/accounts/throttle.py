"""Slowing down password and code guessing without locking anyone out.

A lock on the account after a few failures lets anyone who knows a youth
worker's e-mail keep them out of their inbox. Failures are counted instead
under three keys, each with its own growing pause:

- the e-mail typed *and* the address it came from: after LOGIN_MAX_FAILURES
  failures, each further one pauses that pair for LOGIN_FIRST_DELAY_SECONDS,
  doubled at each failure, at most LOGIN_LOCK_MINUTES. A stranger elsewhere
  pauses only themselves;
- the address alone (LOGIN_ADDRESS_MAX_FAILURES): one place guessing at many
  accounts;
- the e-mail alone (LOGIN_ACCOUNT_MAX_FAILURES): many places guessing at one
  account. This pause does not apply at an address the account has signed
  in from in the last TRUST_DAYS, so its owner keeps signing in at their
  usual places whatever strangers do.

Keys are keyed hashes (HMAC-SHA256 under SECRET_KEY) of the normalised e-mail
typed and of the address: the table never holds either, and an e-mail that
matches no account is counted exactly like one that does, so the answers
(and the pauses) do not tell which e-mails have an account. The counts are
in the database, shared by every app host, and updated with one atomic
statement each, so that requests sent together are all counted.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from app.accounts.models import SignInThrottle

# Failures older than this (with none since) are forgotten.
FAILURE_MEMORY = timedelta(hours=24)
# How long a successful sign-in makes its address one the account uses.
TRUST_DAYS = 90
# Pauses stop growing long before this; it keeps 2**n small.
_MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class Settings:
    pair_failures: int
    address_failures: int
    account_failures: int
    first_delay: timedelta
    longest_delay: timedelta

    @classmethod
    def from_config(cls, config):
        return cls(
            pair_failures=config.get("LOGIN_MAX_FAILURES", 5),
            address_failures=config.get("LOGIN_ADDRESS_MAX_FAILURES", 30),
            account_failures=config.get("LOGIN_ACCOUNT_MAX_FAILURES", 30),
            first_delay=timedelta(seconds=config.get("LOGIN_FIRST_DELAY_SECONDS", 30)),
            longest_delay=timedelta(minutes=config.get("LOGIN_LOCK_MINUTES", 15)),
        )


def settings():
    return Settings.from_config(current_app.config)


@dataclass(frozen=True)
class Keys:
    """The three keys an attempt is counted under (see the module's docstring)."""

    pair: str
    address: str
    account: str

    @classmethod
    def of(cls, *, email, address):
        """`email` normalised; `address` as the request gives it (None if unknown)."""
        address = address or "unknown"
        return cls(
            pair=_digest("pair", f"{email}\n{address}"),
            address=_digest("address", address),
            account=_digest("account", email),
        )

    def thresholds(self, config):
        return {
            self.pair: config.pair_failures,
            self.address: config.address_failures,
            self.account: config.account_failures,
        }


def _digest(kind, value):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"sign-in {kind}:{value}".encode(), hashlib.sha256).hexdigest()


def paused_until(session, keys, *, now):
    """The moment until which attempts under `keys` are refused, or None."""
    rows = {
        row.key: row
        for row in session.exec(
            select(SignInThrottle).where(
                SignInThrottle.key.in_([keys.pair, keys.address, keys.account])
            )
        )
    }
    pair = rows.get(keys.pair)
    trusted = pair is not None and pair.trusted_until is not None and pair.trusted_until > now
    counted = [keys.pair, keys.address] + ([] if trusted else [keys.account])
    pauses = [
        rows[key].blocked_until
        for key in counted
        if key in rows and rows[key].blocked_until is not None and rows[key].blocked_until > now
    ]
    return max(pauses, default=None)


def record_failure(session, keys, *, now):
    """Count one failure under each key; return whether a pause started on the
    account (its pair or its e-mail), which the caller logs."""
    config = settings()
    paused = False
    for key, threshold in keys.thresholds(config).items():
        failures = _count(session, key, now=now)
        if failures >= threshold:
            excess = min(failures - threshold, _MAX_DOUBLINGS)
            delay = min(config.first_delay * 2**excess, config.longest_delay)
            session.execute(
                sa.update(SignInThrottle)
                .where(SignInThrottle.key == key)
                .values(blocked_until=now + delay)
            )
            paused = paused or key != keys.address
    _forget_old(session, now=now)
    return paused


def _count(session, key, *, now):
    """Add one failure to `key`'s row (made if missing, restarted at one if
    its failures are forgotten) in one statement; return the new count."""
    forgotten = SignInThrottle.updated_at < now - FAILURE_MEMORY
    statement = _insert(session).values(key=key, failures=1, updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[SignInThrottle.key],
        set_={
            "failures": sa.case((forgotten, 1), else_=SignInThrottle.failures + 1),
            "blocked_until": sa.case((forgotten, None), else_=SignInThrottle.blocked_until),
            "updated_at": now,
        },
    )
    return session.execute(statement.returning(SignInThrottle.failures)).scalar_one()


def record_success(session, keys, *, now):
    """The account signed in from this address: clear the pair's failures and
    trust the address for the account. The address's and the e-mail's own
    counts stay: a success here says nothing of the guesses elsewhere."""
    trusted_until = now + timedelta(days=TRUST_DAYS)
    statement = _insert(session).values(
        key=keys.pair, failures=0, trusted_until=trusted_until, updated_at=now
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[SignInThrottle.key],
            set_={
                "failures": 0,
                "blocked_until": None,
                "trusted_until": trusted_until,
                "updated_at": now,
            },
        )
    )


def _insert(session):
    dialect = session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(SignInThrottle)


def _forget_old(session, *, now):
    """Drop rows that count nothing any more: no recent failure, no trust."""
    session.execute(
        sa.delete(SignInThrottle).where(
            SignInThrottle.updated_at < now - FAILURE_MEMORY,
            sa.or_(SignInThrottle.trusted_until.is_(None), SignInThrottle.trusted_until < now),
        )
    )
