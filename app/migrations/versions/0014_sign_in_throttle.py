"""sign-in throttle, password reset links

- sign_in_throttle: failed sign-in attempts per keyed hash of an e-mail and
  address pair, of an address, of an e-mail, with the pause they earned
  (app/accounts/throttle.py). It replaces the account lock; the old
  user_account counters stay, unused, for the scripts that still write them.
- user_account.reset_digest, reset_expires_at: the SHA-256 of a password
  reset link's token and its expiry (app/accounts/password_reset.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sign_in_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('trusted_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_throttle'))
    )
    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_throttle_updated_at'), ['updated_at'], unique=False)

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reset_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reset_expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_user_account_reset_digest'), ['reset_digest'])


def downgrade() -> None:
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_user_account_reset_digest'), type_='unique')
        batch_op.drop_column('reset_expires_at')
        batch_op.drop_column('reset_digest')

    with op.batch_alter_table('sign_in_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_throttle_updated_at'))
    op.drop_table('sign_in_throttle')
