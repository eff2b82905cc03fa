"""visit records: who changed a delivery record; a delivered session names its module

- record_change: who recorded, corrected or withdrew a session's delivery
  record, and when, with the fields that changed (app/visits/records.py).
- class_session: a delivered session must name the module it taught
  (ck_class_session_delivered_module_recorded). Sessions delivered before
  this revision without one were counted under their planned module by the
  reports; that module is written in as the recorded one, so the figures do
  not change.

The school's contact (name, e-mail, phone) needs nothing here: the school
table has had those columns since 0003.

Revision ID: 0016_visit_records
Revises: 0015
Create Date: 2026-12-04 16:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016_visit_records'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('record_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('class_session_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('delivered', 'corrected', 'withdrawn', name='recordaction', native_enum=False, length=32), nullable=False),
    sa.Column('group_name', sa.String(length=40), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['class_session_id'], ['class_session.id'], name=op.f('fk_record_change_class_session_id_class_session'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_record_change_user_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_record_change_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_change'))
    )
    with op.batch_alter_table('record_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_record_change_class_session_id'), ['class_session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_record_change_visit_id'), ['visit_id'], unique=False)

    op.execute(
        "UPDATE class_session SET delivered_module_id = module_id "
        "WHERE status = 'delivered' AND delivered_module_id IS NULL"
    )
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_class_session_delivered_module_recorded'),
            "status <> 'delivered' OR delivered_module_id IS NOT NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.drop_constraint(
            op.f('ck_class_session_delivered_module_recorded'), type_='check'
        )
    with op.batch_alter_table('record_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_change_visit_id'))
        batch_op.drop_index(batch_op.f('ix_record_change_class_session_id'))

    op.drop_table('record_change')
