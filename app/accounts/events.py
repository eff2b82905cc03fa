"""The sign-in log (`account_event`): what happened to each account, and when.

Sign-ins, failures, locks, password changes and resets, two-factor
enrolments and resets; the admin reads it at /<lang>/admin/sign-in-events.
"""

import sqlalchemy as sa
from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import select

from app.accounts.models import AccountEvent, AccountEventKind, User


def record_event(session, kind, *, user=None, by=None):
    """Add a sign-in event to the log, in the caller's transaction.

    Only the account (when known), the kind and the time: never the e-mail
    typed for an unknown account, the address or the browser."""
    session.add(
        AccountEvent(
            user_id=user.id if user is not None else None,
            kind=AccountEventKind(kind),
            by_id=by.id if by is not None else None,
        )
    )
    session.flush()


def list_events(session, *, page, user_id=None):
    """One page of account events (app/paging.py), newest first; returns (rows, total).

    Each row is (event, name of the account or None, name of the admin or None).
    """
    condition = AccountEvent.user_id == user_id if user_id is not None else sa.true()
    total = session.exec(select(func.count()).select_from(AccountEvent).where(condition)).one()
    subject = aliased(User)
    actor = aliased(User)
    rows = session.exec(
        page.of(
            select(AccountEvent, subject.name, actor.name)
            .join(subject, subject.id == AccountEvent.user_id, isouter=True)
            .join(actor, actor.id == AccountEvent.by_id, isouter=True)
            .where(condition)
            .order_by(AccountEvent.at.desc(), AccountEvent.id.desc())
        )
    ).all()
    return rows, total
