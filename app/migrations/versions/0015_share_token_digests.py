"""share tokens kept as digests: share_token.token becomes share_token.digest

Each stored token is replaced, in place, by its SHA-256 digest (hex), the
value app/visits/sharing.py now looks tokens up by: the links and calendar
feeds already sent keep working, and the database no longer holds a value
that opens them. The digest is computed here rather than imported: a
migration must keep doing what it did.

A digest cannot be turned back into its token, so the downgrade revokes every
live token (the older code would show the digest as a link that opens
nothing); a new link is made from the visit's page or the agenda.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 10:02:11.418205
"""

from collections.abc import Sequence

import hashlib
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sha256(value):
    return hashlib.sha256(value.encode()).hexdigest()


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, token FROM share_token")).all()
    for row_id, token in rows:
        connection.execute(
            sa.text("UPDATE share_token SET token = :digest WHERE id = :id"),
            {"digest": _sha256(token), "id": row_id},
        )
    with op.batch_alter_table('share_token', schema=None) as batch_op:
        batch_op.drop_constraint('uq_share_token_token', type_='unique')
        batch_op.alter_column(
            'token',
            new_column_name='digest',
            existing_type=sa.String(length=64),
            existing_nullable=False,
        )
    # A second batch: SQLite's batch mode loses a constraint on a column renamed
    # in the same batch.
    with op.batch_alter_table('share_token', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_share_token_digest'), ['digest'])


def downgrade() -> None:
    share_token = sa.table(
        'share_token', sa.column('revoked_at', sa.DateTime(timezone=True))
    )
    op.execute(
        share_token.update()
        .where(share_token.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    with op.batch_alter_table('share_token', schema=None) as batch_op:
        batch_op.drop_constraint('uq_share_token_digest', type_='unique')
        batch_op.alter_column(
            'digest',
            new_column_name='token',
            existing_type=sa.String(length=64),
            existing_nullable=False,
        )
    # A second batch: SQLite's batch mode loses a constraint on a column renamed
    # in the same batch.
    with op.batch_alter_table('share_token', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_share_token_token'), ['token'])
