"""Benchmark: the reach report for a school year at scale, beside the bare SQL it runs.

Builds (or reuses) a SQLite database with `flask db upgrade` and
`flask seed-synthetic --sessions N`, then, in the same run:

(a) `build_report(session, period, Filters())` for the last school year with
    delivered sessions, no filters: what the page and every export run;
(b) the bare SQL: the very statements (a) sent, captured with a
    `before_cursor_execute` listener during one run, executed with their
    parameters on a plain sqlite3 connection to the same file, rows fetched.

Both are warmed up once, then timed in turns (a, b, a, b, ...) so the page
cache treats them alike; the median and the best of each are printed, and
their ratio.

    .venv/bin/python -m bench.reports [--sessions 200000] [--database PATH] [--runs 7]
                                      [--statements]

A database given with --database is kept, and reused by later runs when it
already holds N synthetic delivered sessions (the migrations are applied to
it again, so new indexes reach it). Goals (issue "Reach and outcome
reports"): with 1,000,000 delivered sessions, the report within 2 s and
within 1.5x the bare SQL. Results go in docs/performance.md.
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.curriculum import BIN, ROOT

GOAL_SECONDS = 2.0
GOAL_RATIO = 1.5


def held_sessions(database):
    """Delivered sessions in `database` when it holds synthetic data, else None."""
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if not {"class_session", "user_account"} <= tables:
            return None
        synthetic = connection.execute(
            "SELECT count(*) FROM user_account WHERE email LIKE '%@synthetic.mobilis.example'"
        ).fetchone()[0]
        delivered = connection.execute(
            "SELECT count(*) FROM class_session WHERE status = 'delivered'"
        ).fetchone()[0]
    return delivered if synthetic else None


def prepare(database, env, sessions, seed):
    """Migrate and seed `database` unless it already holds the data; return
    the seeding's wall-clock seconds, or None when it was reused."""
    flask = str(BIN / "flask")
    held = held_sessions(database) if database.exists() else None
    if database.exists() and held != sessions:
        raise SystemExit(
            f"{database} holds {held or 'no synthetic'} delivered sessions, not {sessions}: "
            "give another path, or remove it"
        )
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    if held == sessions:
        print(f"reusing {database}: {held:,} delivered sessions")
        return None
    start = time.perf_counter()
    done = subprocess.run(
        [flask, "seed-synthetic", "--sessions", str(sessions), "--seed", str(seed)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    print(done.stdout.rstrip())
    return seconds


def report_year(database):
    """The first calendar year of the last school year with a delivered session."""
    with sqlite3.connect(database) as connection:
        (last,) = connection.execute(
            "SELECT max(on_date) FROM class_session WHERE status = 'delivered'"
        ).fetchone()
    year, month = int(last[:4]), int(last[5:7])
    return year if month >= 7 else year - 1


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def measure(database, instance, year, runs):
    """([report seconds], [bare SQL seconds], statements) for `runs` turns."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from app import create_app
    from app.reports import periods, reach
    from app.reports.report import build_report

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "bench-only-secret",
        }
    )
    engine = app.extensions["mobilis_engine"]
    period = periods.make("school_year", year)

    def report():
        with Session(engine) as session:
            return build_report(session, period, reach.Filters())

    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    bare = sqlite3.connect(database)

    def bare_sql():
        for statement, parameters in statements:
            bare.execute(statement, parameters).fetchall()

    with app.test_request_context("/fr/reports/"):
        sa.event.listen(engine, "before_cursor_execute", capture)
        built = report()  # the warm-up run is the one captured
        sa.event.remove(engine, "before_cursor_execute", capture)
        bare_sql()
        ours, theirs = [], []
        for _ in range(runs):
            ours.append(timed(report))
            theirs.append(timed(bare_sql))
    bare.close()
    engine.dispose()
    summary = {key: value for key, _label, value, _before in built.summary}
    return ours, theirs, statements, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200_000)
    parser.add_argument("--database", type=Path, help="kept, and reused when it holds the data")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--statements", action="store_true", help="time each statement too")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="mobilis-reports-bench-"))
    database = (args.database or scratch / "bench.sqlite3").resolve()
    env = {
        **os.environ,
        "MOBILIS_INSTANCE_PATH": str(scratch),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench-only-secret",
    }
    try:
        seeded = prepare(database, env, args.sessions, args.seed)
        year = report_year(database)
        ours, theirs, statements, summary = measure(database, scratch, year, args.runs)
        print_results(args, database, seeded, year, ours, theirs, statements, summary)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def print_results(args, database, seeded, year, ours, theirs, statements, summary):
    print(f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, database {database}")
    if seeded is not None:
        print(f"seed-synthetic --sessions {args.sessions}: {seeded:.1f} s (with app start-up)")
    print(
        f"school year {year}-{year + 1}: {summary['sessions_delivered']:,} sessions delivered, "
        f"{summary['groups_reached']:,} groups, {summary['students_reached']:,} students; "
        f"{len(statements)} statements"
    )
    print(f"{'':<16} {'median':>9} {'best':>9}   ({args.runs} runs each, in turns)")
    for name, times in (("build_report", ours), ("bare SQL", theirs)):
        print(f"{name:<16} {statistics.median(times):>8.3f}s {min(times):>8.3f}s")
    median, ratio = statistics.median(ours), statistics.median(ours) / statistics.median(theirs)
    print(
        f"ratio (medians) {ratio:.2f}x, (best) {min(ours) / min(theirs):.2f}x; "
        f"goals: report <= {GOAL_SECONDS:.0f} s {'ok' if median <= GOAL_SECONDS else 'MISSED'}, "
        f"<= {GOAL_RATIO}x bare SQL {'ok' if ratio <= GOAL_RATIO else 'MISSED'}"
    )
    if args.sessions != 1_000_000:
        print("(the goals are stated for --sessions 1000000)")
    if args.statements:
        print("bare SQL per statement (best of 3):")
        with sqlite3.connect(database) as connection:
            for statement, parameters in statements:
                best = min(
                    timed(lambda s=statement, p=parameters: connection.execute(s, p).fetchall())
                    for _ in range(3)
                )
                print(f"  {best * 1000:>7.1f} ms  {' '.join(statement.split())[:150]}")


if __name__ == "__main__":
    main()
