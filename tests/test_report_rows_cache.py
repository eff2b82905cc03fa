"""The reach report's counts are kept between reports until a write
(app/reports/rows_cache.py): a second report reads no session again, and a
session recorded since shows at once."""

import pytest
import sqlalchemy as sa
from sqlmodel import select

from app.accounts.models import User
from app.reports import periods, reach, rows_cache
from app.reports.report import build_report
from app.visits import records
from app.visits.models import ClassSession, SessionStatus
from tests.test_reports import activity  # noqa: F401  (the fixture)

SCHOOL_YEAR = periods.make("school_year", 2026)


@pytest.fixture
def session_reads(db):
    """The statements that read sessions, sent from now on."""
    seen = []

    def note(_conn, _cursor, statement, *_args):
        if "class_session" in statement:
            seen.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", note)
    yield seen
    sa.event.remove(engine, "before_cursor_execute", note)


def _delivered(app, db):
    with app.test_request_context("/en/reports/"):
        report = build_report(db, SCHOOL_YEAR, reach.Filters())
    return {key: value for key, _label, value, _before in report.summary}["sessions_delivered"]


def test_a_second_report_reads_no_session_again(app, db, activity, session_reads):  # noqa: F811
    assert _delivered(app, db) == 3
    assert session_reads, "the first report reads them"
    session_reads.clear()
    assert _delivered(app, db) == 3
    assert session_reads == []


def test_a_session_recorded_since_shows_in_the_next_report(app, db, activity, session_reads):  # noqa: F811
    assert _delivered(app, db) == 3
    planned = db.exec(
        select(ClassSession).where(ClassSession.status == SessionStatus.PLANNED)
    ).first()
    records.record_delivery(
        db,
        class_session=planned,
        record=records.Record(attendance=18, delivered_module_id=activity["modules"][1].id),
        by=None,
        today=planned.on_date,
    )
    db.commit()
    session_reads.clear()
    assert _delivered(app, db) == 4
    assert session_reads


def test_a_write_the_report_does_not_count_keeps_its_counts(app, db, activity, session_reads):  # noqa: F811
    assert _delivered(app, db) == 3
    user = db.exec(select(User)).first()
    user.name = "Someone Else"
    db.add(user)
    db.commit()
    session_reads.clear()
    assert _delivered(app, db) == 3
    assert session_reads == []


def test_kept_counts_are_read_again_after_a_while(app, db, activity, session_reads, monkeypatch):  # noqa: F811
    """Other processes' writes cannot be seen: the counts are read again
    after KEPT_SECONDS whatever happened."""
    assert _delivered(app, db) == 3
    monkeypatch.setattr(rows_cache, "KEPT_SECONDS", 0)
    session_reads.clear()
    assert _delivered(app, db) == 3
    assert session_reads


@pytest.mark.parametrize(
    ("statement", "counted"),
    [
        ("SELECT count(*) FROM class_session", False),
        ("INSERT INTO class_session (visit_id) VALUES (1)", True),
        ('UPDATE "visit" SET status = 1', True),
        ("DELETE FROM help_conversation WHERE id = 1", True),
        ("UPDATE user_account SET name = 'x'", False),
        ("INSERT INTO audit_event (kind) VALUES ('x')", False),
        ("TRUNCATE class_session", True),  # not understood: counts as a write
    ],
)
def test_which_writes_drop_the_counts(statement, counted):
    assert rows_cache.writes_counted_rows(statement) is counted
