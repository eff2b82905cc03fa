"""The benchmarks keep working: each script run on a tiny setting, in seconds.

No figure here means anything and none is asserted (timings belong to
`make bench`, never to tests): only that every script runs to its end and
prints its table, so that a change to the app cannot leave bench/ broken
until the next time someone measures (bench/curriculum.py once imported a
module that had moved). wrk and Locust come with `make test` (bench-deps).
"""

import os
import shutil
import subprocess
import sys

import pytest

from app.config import PROJECT_ROOT

LOCUST = PROJECT_ROOT / ".cache" / "soak-venv" / "bin" / "locust"

# The scripts make their own databases (SQLite files, a throw-away PostgreSQL
# for the reach report): the suite's SQLite run covers them, and `make test`
# runs both suites at once on two cores.
pytestmark = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="run by the SQLite run of the suite"
)


@pytest.fixture(scope="module")
def built_files(tmp_path_factory):
    """One folder of built public files for every script here: their names are
    digests of their inputs, as hosts sharing a folder have them, so the second
    script's `flask curriculum build` finds them made (a minute saved)."""
    return tmp_path_factory.mktemp("pdf-cache")


def _run(*args, built, timeout=900):
    # Their own databases: never the suite's PostgreSQL (bench.run starts one
    # for the reach report through scripts/with-postgres).
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "DATABASE_URL")}
    if built is not None:
        env["PDF_CACHE_DIR"] = str(built)
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, f"{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory, built_files):
    assert shutil.which("wrk"), "wrk is missing: `make bench-deps` installs it"
    keep = tmp_path_factory.mktemp("bench")
    return _run(
        "bench.run", "--smoke", "--sessions", "3000", "--keep", str(keep), built=built_files
    )


def test_each_benchmark_prints_its_own_table(bench_run):
    assert "catalogue" in bench_run and "x hello" in bench_run  # bench/curriculum.py
    assert "cold PDF render" in bench_run
    assert "none lost: every question stored" in bench_run  # bench/help_load.py
    assert bench_run.count("build_report") == 2  # bench/reports.py, twice
    assert "PostgreSQL" in bench_run and "SQLite" in bench_run


def test_the_run_ends_with_one_table_of_goals(bench_run):
    table = bench_run.split("== Goals (issue 22)", 1)[1]
    for measure in (
        "catalogue / hello-world",
        "module page / hello-world",
        "cached PDF / hello-world",
        "help form page / hello-world",
        "30 questions at once: p95 / baseline p95",
        "30 questions at once: lost",
        "reach report, 3,000 sessions, SQLite",
        "reach report, 3,000 sessions, PostgreSQL",
        "cold PDF render / WeasyPrint alone",
    ):
        line = next((row for row in table.splitlines() if row.startswith(measure)), None)
        assert line is not None, measure
        assert line.rstrip().endswith(("met", "NOT MET")), line
    assert "goals met; load average before" in table
    assert "history line: |" in table


def test_the_soak_runs_briefly(built_files):
    assert LOCUST.exists(), f"{LOCUST} is missing: `make bench-deps` installs it"
    output = _run(
        "bench.soak", "--minutes", "0.15", "--users", "3", "--baseline-seconds", "3",
        built=built_files,
    )  # fmt: skip
    assert "all site requests" in output
    assert "goals (issue 22): p99" in output
    assert "no error, no lost write" in output


# Locust's file runs in Locust's own virtualenv (the soak above covers it).
SCRIPTS = sorted(
    p.stem
    for p in (PROJECT_ROOT / "bench").glob("*.py")
    if p.stem not in ("__init__", "soak_locustfile")
)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_bench_script_imports(script):
    """`make bench` starts with bench/pdf_start.py, which the runs above do not
    use: it imported a name that had moved, and `make bench` stopped at once."""
    _run("bench." + script, "--help", built=None, timeout=120)
