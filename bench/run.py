"""Every benchmark in one run, ending with one table of ratios and goals.

    .venv/bin/python -m bench.run [--sessions 1000000] [--keep .cache/bench] [--smoke]

Runs, each as its own process, in this order: bench/curriculum.py (pages
beside hello-world), bench/help_load.py (a class's questions at once),
bench/reports.py on SQLite, and bench/reports.py on a throw-away PostgreSQL
(scripts/with-postgres). Each prints its own table as it goes; this script
then prints the goals of issue 22, each met or not, the machine's load before
and after, and a line for the history in docs/performance.md.

--smoke runs each script on a tiny setting (seconds): the scripts keep
working (tests/test_bench_smoke.py), but no figure of it means anything.
--keep keeps the SQLite reach database between runs (seeding 1,000,000
sessions takes minutes); PostgreSQL's is seeded anew each time.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.serving import ROOT, load_average

FULL = {
    "curriculum": [],
    "help_load": [],
    "reports": ["--runs", "5"],
}
SMOKE = {
    "curriculum": ["--seconds", "1", "--rounds", "1", "--connections", "2", "--pdf-runs", "1"],
    "help_load": ["--students", "3", "--rounds", "1", "--no-build-ahead"],
    "reports": ["--runs", "1"],
}
REACH_SECONDS = 1.0


def run_script(name, args, json_path, *, postgres=False):
    command = [sys.executable, "-m", f"bench.{name}", *args, "--json", str(json_path)]
    if postgres:
        command = [str(ROOT / "scripts" / "with-postgres"), *command]
    print(f"\n== {' '.join(command[command.index('-m') + 1 :])}", flush=True)
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode:
        raise SystemExit(f"bench.{name} failed ({done.returncode})")
    return json.loads(json_path.read_text())


def goals(pages, burst, reach):
    """[(measure, figure, goal, met)] for the table."""
    rows = []
    for name, goal in (
        ("catalogue", 1.0),
        ("module page", 1.0),
        ("cached PDF", 1.0),
        ("help form page", 0.5),
    ):
        ratio = pages["ratios"][name]
        rows.append((f"{name} / hello-world", f"{ratio:.2f}x", f">= {goal:.1f}x", ratio >= goal))
    rows.append(
        (
            "30 questions at once: p95 / baseline p95",
            f"{burst['p95_ratio']:.1f}x ({burst['site_p95_ms']:.0f} / "
            f"{burst['baseline_p95_ms']:.0f} ms)",
            "<= 3.0x",
            burst["p95_ratio"] <= 3.0,
        )
    )
    rows.append(("30 questions at once: lost", str(burst["lost"]), "0", not burst["failed"]))
    for kind, found in reach.items():
        seconds = found["median_seconds"]
        rows.append(
            (
                f"reach report, {found['sessions']:,} sessions, {kind}",
                f"{seconds:.2f} s",
                f"<= {REACH_SECONDS:.0f} s",
                seconds <= REACH_SECONDS,
            )
        )
        rows.append(
            (
                f"  the same, first after a write, {kind}",
                f"{found['cold_seconds']:.2f} s",
                "-",
                None,
            )
        )
    cold = pages["cold_pdf_ms"] / pages["weasyprint_ms"]
    rows.append(("cold PDF render / WeasyPrint alone", f"{cold:.2f}x", "<= 1.5x", cold <= 1.5))
    return rows


def code_version():
    """The commit measured, marked when the work tree differs from it."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    changed = git("status", "--porcelain", "--untracked-files=no").strip()
    return git("rev-parse", "--short", "HEAD").strip() + (" + changes" if changed else "")


def print_table(rows, loads, sessions, commit):
    width = max(len(r[0]) for r in rows)
    print("\n== Goals (issue 22), each beside its baseline in this run")
    print(f"{'measure':<{width}}  {'figure':<22} {'goal':<8} verdict")
    for measure, figure, goal, met in rows:
        verdict = "(for the record)" if met is None else "met" if met else "NOT MET"
        print(f"{measure:<{width}}  {figure:<22} {goal:<8} {verdict}")
    goals_met = sum(1 for r in rows if r[3])
    total = sum(1 for r in rows if r[3] is not None)
    print(f"{goals_met} of {total} goals met; load average before {loads[0]}, after {loads[1]}")
    if sessions != 1_000_000:
        print("(the reach report's goal is stated for --sessions 1000000)")
    figures = " | ".join(r[1].split(" (")[0] for r in rows if r[3] is not None)
    day = datetime.now(UTC).date().isoformat()
    print(f"history line: | {day} | {commit} | {loads[0]} / {loads[1]} | {figures} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="a folder for the SQLite reach database")
    parser.add_argument("--smoke", action="store_true", help="each script on a tiny setting")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    settings = SMOKE if args.smoke else FULL
    scratch = Path(tempfile.mkdtemp(prefix="mobilis-bench-run-"))
    loads, commit = [load_average()], code_version()  # as it starts: commits may follow
    try:
        pages = run_script("curriculum", settings["curriculum"], scratch / "pages.json")
        burst = run_script("help_load", settings["help_load"], scratch / "burst.json")
        folder = args.keep or scratch
        folder.mkdir(parents=True, exist_ok=True)
        database = folder / f"reach-{args.sessions}.sqlite3"
        reach_args = [*settings["reports"], "--sessions", str(args.sessions)]
        reach = {
            "SQLite": run_script(
                "reports", [*reach_args, "--database", str(database)], scratch / "sqlite.json"
            )
        }
        if not args.no_postgres:
            reach["PostgreSQL"] = run_script(
                "reports", [*reach_args, "--postgres"], scratch / "pg.json", postgres=True
            )
        loads.append(load_average())
        print_table(goals(pages, burst, reach), loads, args.sessions, commit)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
