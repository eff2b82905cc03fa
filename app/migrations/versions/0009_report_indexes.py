"""report indexes: the reach report reads delivered sessions from one covering index

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 01:20:00

ix_class_session_report holds every column the reach report reads from a
delivered session, so its GROUP BYs never visit the table's rows (40 % less
time at 1,000,000 sessions: bench/reports.py, docs/performance.md). It starts
with the two columns of ix_class_session_status_on_date, which it replaces.
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REPORT_COLUMNS = [
    'status',
    'on_date',
    'visit_id',
    'class_group_id',
    'module_id',
    'delivered_module_id',
    'attendance',
]


def upgrade() -> None:
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.create_index('ix_class_session_report', REPORT_COLUMNS, unique=False)
        batch_op.drop_index('ix_class_session_status_on_date')


def downgrade() -> None:
    with op.batch_alter_table('class_session', schema=None) as batch_op:
        batch_op.create_index(
            'ix_class_session_status_on_date', ['status', 'on_date'], unique=False
        )
        batch_op.drop_index('ix_class_session_report')
