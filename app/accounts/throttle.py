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
  in from in the last TRUST_DAYS, nor in a browser it has signed in with
  (the device cookie, devices.py), so its owner keeps signing in at their
  usual places and on their own devices whatever strangers do.

An address is an IPv4 address as it is, but an IPv6 address's /64: a home
or an office gets a whole /64, and its devices pick a new address in it
every day or so (privacy extensions), which a guesser can do as well, at
every attempt.

Keys are keyed hashes (HMAC-SHA256 under SECRET_KEY) of the normalised e-mail
typed and of the address: the table never holds either, and an e-mail that
matches no account is counted exactly like one that does, so the answers
(and the pauses) do not tell which e-mails have an account. The counts are
in the database, shared by every app host, and updated with one atomic
statement each, so that requests sent together are all counted.
"""

import hashlib
import hmac
import ipaddress
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


def network_of(address):
    """What an address is counted as: an IPv6 address's /64 (an IPv4 one
    mapped into IPv6 is that IPv4 address), an IPv4 address itself."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.IPv6Network((ip.packed, 64), strict=False))
    return str(ip)


@dataclass(frozen=True)
class Keys:
    """The three keys an attempt is counted under (see the module's docstring),
    and the key of the browser's device id for this e-mail, if it has one:
    that key only ever carries trust, never failures."""

    pair: str
    address: str
    account: str
    device: str | None = None

    @classmethod
    def of(cls, *, email, address, device=None):
        """`email` normalised; `address` as the request gives it (None if
        unknown); `device` the browser's device id (devices.py), or None."""
        network = network_of(address)
        return cls(
            pair=_digest("pair", f"{email}\n{network}"),
            address=_digest("address", network),
            account=_digest("account", email),
            device=_digest("device", f"{email}\n{device}") if device else None,
        )

    def trusted(self):
        """The keys whose trust exempts an attempt from the account's pause."""
        return [key for key in (self.pair, self.device) if key is not None]

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
    wanted = {keys.pair, keys.address, keys.account, *keys.trusted()}
    rows = {
        row.key: row
        for row in session.exec(select(SignInThrottle).where(SignInThrottle.key.in_(wanted)))
    }
    trusted = any(
        rows[key].trusted_until is not None and rows[key].trusted_until > now
        for key in keys.trusted()
        if key in rows
    )
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
    """The account signed in from this address, in this browser: clear the
    pair's failures and trust the address and the browser for the account.
    The address's and the e-mail's own counts stay: a success here says
    nothing of the guesses elsewhere."""
    trusted_until = now + timedelta(days=TRUST_DAYS)
    for key in keys.trusted():
        statement = _insert(session).values(
            key=key, failures=0, trusted_until=trusted_until, updated_at=now
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
