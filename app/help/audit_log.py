"""The help's audit log: every time staff read or act on a conversation.

Who, which conversation, what, when (`help_audit`). The inbox writes an entry
for every reading and action, the purge one per conversation it deletes (with
no user); the urgent alerts ask whether a conversation was opened since; the
admin reads the log at /<lang>/admin/audit.
"""

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from app.help.models import AuditEntry


def record(session, *, user, conversation, action):
    """`user` did `action` ("read", "reply", "close", …) on `conversation`."""
    session.add(AuditEntry(user_id=user.id, conversation_id=conversation.id, action=action))
    session.flush()


def record_purge(session, conversation, *, action):
    """The purge deletes `conversation`: an entry with no user (`action`:
    "purge", or "purge-idle" for an open one nobody wrote in)."""
    session.add(AuditEntry(user_id=None, conversation_id=conversation.id, action=action))


def opened_since(session, *, conversation_id, since):
    """Whether a worker has opened the conversation since `since`."""
    return (
        session.exec(
            select(AuditEntry.id).where(
                AuditEntry.conversation_id == conversation_id,
                AuditEntry.action == "read",
                AuditEntry.at >= since,
            )
        ).first()
        is not None
    )


def entries(session, *, page):
    """One page of the log (app/paging.py), newest first: ((entry, user's name
    or None), …) and the count of all entries."""
    total = session.exec(select(func.count()).select_from(AuditEntry)).one()
    rows = session.exec(
        page.of(
            select(AuditEntry, User.name)
            .join(User, User.id == AuditEntry.user_id, isouter=True)
            .order_by(AuditEntry.id.desc())
        )
    ).all()
    return rows, total
