"""help: anonymous conversations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 23:36:11.558577
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('help_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_help_audit_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_audit'))
    )
    with op.batch_alter_table('help_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_audit_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('help_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('passphrase_digest', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('topic', sa.Enum('relationships', 'online', 'pressure', 'gangs', 'friend', 'other', name='topic', native_enum=False, length=32), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='conversationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('assigned_to_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_student_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('first_reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to_id'], ['user_account.id'], name=op.f('fk_help_conversation_assigned_to_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_help_conversation_school_id_school'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_conversation')),
    sa.UniqueConstraint('passphrase_digest', name=op.f('uq_help_conversation_passphrase_digest'))
    )
    with op.batch_alter_table('help_conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_conversation_assigned_to_id'), ['assigned_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_conversation_closed_at'), ['closed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_conversation_school_id'), ['school_id'], unique=False)

    op.create_table('help_monthly_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('topic', sa.Enum('relationships', 'online', 'pressure', 'gangs', 'friend', 'other', name='topic', native_enum=False, length=32), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('questions', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('escalations', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_help_monthly_count_school_id_school'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_monthly_count')),
    sa.UniqueConstraint('month', 'topic', 'school_id', 'urgent', name=op.f('uq_help_monthly_count_month'))
    )
    with op.batch_alter_table('help_monthly_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_monthly_count_school_id'), ['school_id'], unique=False)

    op.create_table('help_on_duty',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_help_on_duty_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_help_on_duty'))
    )
    op.create_table('help_school_worker',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_help_school_worker_school_id_school'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_help_school_worker_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('school_id', 'user_id', name=op.f('pk_help_school_worker'))
    )
    op.create_table('help_escalation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('youth_protection', 'police', 'other_service', name='escalationkind', native_enum=False, length=32), nullable=False),
    sa.Column('service', sa.String(length=200), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['user_account.id'], name=op.f('fk_help_escalation_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['help_conversation.id'], name=op.f('fk_help_escalation_conversation_id_help_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_escalation'))
    )
    with op.batch_alter_table('help_escalation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_escalation_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('help_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.Enum('student', 'worker', name='author', native_enum=False, length=32), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['help_conversation.id'], name=op.f('fk_help_message_conversation_id_help_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['worker_id'], ['user_account.id'], name=op.f('fk_help_message_worker_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_message'))
    )
    with op.batch_alter_table('help_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_message_conversation_id'), ['conversation_id'], unique=False)

    op.create_table('help_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_help_note_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['help_conversation.id'], name=op.f('fk_help_note_conversation_id_help_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_note'))
    )
    with op.batch_alter_table('help_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_note_conversation_id'), ['conversation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('help_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_note_conversation_id'))

    op.drop_table('help_note')
    with op.batch_alter_table('help_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_message_conversation_id'))

    op.drop_table('help_message')
    with op.batch_alter_table('help_escalation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_escalation_conversation_id'))

    op.drop_table('help_escalation')
    op.drop_table('help_school_worker')
    op.drop_table('help_on_duty')
    with op.batch_alter_table('help_monthly_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_monthly_count_school_id'))

    op.drop_table('help_monthly_count')
    with op.batch_alter_table('help_conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_conversation_school_id'))
        batch_op.drop_index(batch_op.f('ix_help_conversation_closed_at'))
        batch_op.drop_index(batch_op.f('ix_help_conversation_assigned_to_id'))

    op.drop_table('help_conversation')
    with op.batch_alter_table('help_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_audit_conversation_id'))
        batch_op.drop_index(batch_op.f('ix_help_audit_at'))

    op.drop_table('help_audit')
