"""`flask seed-synthetic`: the benchmarks' data (bench/reports.py). What it
makes and that the reach report counts it; its speed is measured by the
benchmark, never here."""

from sqlmodel import func, select

from app.help.models import Conversation, MonthlyCount
from app.reports import periods, reach
from app.reports.report import build_report
from app.schools.models import SchoolYear
from app.security import Role
from app.visits.models import ClassSession, SessionStatus

SESSIONS = 2000
SEED = ["seed-synthetic", "--sessions", str(SESSIONS), "--years", "3", "--last-year", "2024"]


def _sessions(db, status):
    query = select(func.count()).select_from(ClassSession).where(ClassSession.status == status)
    return db.exec(query).one()


def _all_years(db):
    starts = db.exec(select(SchoolYear.starts_on).order_by(SchoolYear.starts_on)).all()
    return [periods.make("school_year", start.year) for start in starts]


def test_it_makes_that_many_delivered_sessions_and_the_report_counts_them(app, runner, db):
    result = runner.invoke(args=SEED)
    assert result.exit_code == 0, result.output
    assert "class_session" in result.output

    assert _sessions(db, SessionStatus.DELIVERED) == SESSIONS
    assert _sessions(db, SessionStatus.CANCELLED) > 0
    assert _sessions(db, SessionStatus.PLANNED) > 0
    years = _all_years(db)
    assert [p.year for p in years] == [2022, 2023, 2024, 2025]  # the last: planned only
    figures = [reach.figures(db, period, reach.Filters()) for period in years]
    assert sum(f["sessions_delivered"] for f in figures) == SESSIONS
    assert figures[-1]["sessions_delivered"] == 0
    assert all(15 * f["sessions_delivered"] <= f["students_reached"] for f in figures)
    # Questions: the last past year's in the box, older ones kept as monthly counts.
    assert db.exec(select(func.count()).select_from(Conversation)).one() > 0
    assert db.exec(select(func.count()).select_from(MonthlyCount)).one() > 0
    assert sum(f["questions_received"] for f in figures) == 60  # never fewer than 60

    with app.test_request_context("/en/reports/"):
        report = build_report(db, periods.make("school_year", 2024), reach.Filters())
    summary = {key: value for key, _label, value, _before in report.summary}
    assert summary == figures[2]
    tables = {table.key: table for table in report.tables}
    for dimension in ("service_centre", "school", "grade", "module"):
        table = tables[f"sessions_by_{dimension}"]
        totals = dict(zip(table.columns, table.totals, strict=True))
        assert totals["sessions_delivered"] == summary["sessions_delivered"], dimension
        assert totals["students_reached"] == summary["students_reached"], dimension


def test_it_refuses_a_database_with_real_accounts_unless_forced(runner, db, create_user):
    create_user(Role.COORDINATOR)
    refused = runner.invoke(args=SEED)
    assert refused.exit_code == 1
    assert "1 account(s) that are neither synthetic nor demo" in refused.output
    assert _sessions(db, SessionStatus.DELIVERED) == 0

    forced = runner.invoke(args=[*SEED, "--force"])
    assert forced.exit_code == 0, forced.output
    assert _sessions(db, SessionStatus.DELIVERED) == SESSIONS
    create_user(Role.YOUTH_WORKER)  # the ids the load gave are not given again (PostgreSQL)

    again = runner.invoke(args=[*SEED, "--force"])
    assert again.exit_code == 1 and "holds synthetic data already" in again.output
    assert _sessions(db, SessionStatus.DELIVERED) == SESSIONS
