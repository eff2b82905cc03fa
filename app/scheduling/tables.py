"""The columns of booked time that scheduling reads, named here, not imported.

Scheduling sits below visits and presentations: they import it, so it cannot
import their models. What it reads of their tables (who presents what, when
and where; which visits run when) it names as lightweight table clauses, as a
migration does; tests/test_scheduling.py holds them to the models.
"""

import sqlalchemy as sa

# The status of a cancelled class session, presentation or visit.
CANCELLED = "cancelled"

visit = sa.table(
    "visit",
    sa.column("id", sa.Integer),
    sa.column("school_id", sa.Integer),
    sa.column("starts_on", sa.Date),
    sa.column("ends_on", sa.Date),
    sa.column("status", sa.String),
)

class_session = sa.table(
    "class_session",
    sa.column("id", sa.Integer),
    sa.column("visit_id", sa.Integer),
    sa.column("class_group_id", sa.Integer),
    sa.column("module_id", sa.Integer),
    sa.column("on_date", sa.Date),
    sa.column("first_period", sa.Integer),
    sa.column("period_count", sa.Integer),
    sa.column("status", sa.String),
)

session_presenter = sa.table(
    "session_presenter",
    sa.column("session_id", sa.Integer),
    sa.column("user_id", sa.Integer),
)

presentation = sa.table(
    "presentation",
    sa.column("id", sa.Integer),
    sa.column("school_id", sa.Integer),
    sa.column("on_date", sa.Date),
    sa.column("starts_at", sa.Time),
    sa.column("ends_at", sa.Time),
    sa.column("online", sa.Boolean),
    sa.column("place", sa.String),
    sa.column("status", sa.String),
)

presentation_presenter = sa.table(
    "presentation_presenter",
    sa.column("presentation_id", sa.Integer),
    sa.column("user_id", sa.Integer),
)
