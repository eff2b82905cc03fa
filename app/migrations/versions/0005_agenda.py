"""agenda: share tokens, absences, session revisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 23:16:25.252175
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('absence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('ends_at', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.CheckConstraint('(starts_at IS NULL AND ends_at IS NULL) OR (starts_at < ends_at)', name=op.f('ck_absence_time_range')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_absence_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absence'))
    )
    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absence_on_date'), ['on_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_absence_user_id'), ['user_id'], unique=False)

    op.create_table('share_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(school_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_share_token_one_owner')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_share_token_school_id_school'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_share_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_token')),
    sa.UniqueConstraint('token', name=op.f('uq_share_token_token'))
    )
    with op.batch_alter_table('share_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_token_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_token_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()))



def downgrade() -> None:
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('revision')

    with op.batch_alter_table('share_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_share_token_school_id'))

    op.drop_table('share_token')
    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absence_user_id'))
        batch_op.drop_index(batch_op.f('ix_absence_on_date'))

    op.drop_table('absence')
