"""Load test: a class of students sending anonymous questions at the same moment.

Serves the site with gunicorn and gunicorn.conf.py (bench/serving.py: 2 sync
workers) on loopback with one youth worker on duty, then runs ROUNDS rounds
in which STUDENTS threads, each a fresh browser (its own cookie jar), open
/fr/help/, wait for the others at a barrier, and post their question at
once. In the same run, the same threads post the same form to a bare Flask
app (bench/hello.py, /form) served the same way: the baseline. Then it
checks the database: every question stored,
routed to the worker, with a distinct passphrase; none lost. The public PDFs
are built before the site serves, as a deployment does.

    .venv/bin/python -m bench.help_load [--students 30] [--rounds 10] [--json PATH]

Goal (issue 22): the site's p95 within 3x the baseline's, none lost.

The per-address limit on questions is raised for the run: all the threads
come from 127.0.0.1, as a class comes from its school's one address.
Results go in docs/performance.md.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.curriculum import build_ahead
from bench.serving import BIN, HELLO, ROOT, SITE, serve, stop, write_json

GOAL_P95_RATIO = 3.0

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PASSPHRASE = re.compile(r'id="passphrase"[^>]*>([^<]+)<')


def student(base, number, barrier, results, with_form):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    data = {"body": f"Question {number}: est-ce normal qu’un gars me donne de l’argent?"}
    if with_form:
        page = opener.open(base + "/fr/help/", timeout=30).read().decode()
        data.update(csrf_token=TOKEN.search(page).group(1), topic="pressure", school_id="0")
        if number % 10 == 0:
            data["body"] = f"Question {number}: je suis en danger, il me menace."
        path = "/fr/help/"
    else:
        path = "/form"
    body = urllib.parse.urlencode(data).encode()
    barrier.wait()
    start = time.perf_counter()
    with opener.open(base + path, data=body, timeout=60) as response:
        page = response.read().decode()
        status = response.status
    elapsed = time.perf_counter() - start
    found = PASSPHRASE.search(page) if with_form else True
    results.append((status, elapsed, found.group(1) if with_form and found else None))


def run_rounds(base, students, rounds, with_form):
    results = []
    for _ in range(rounds):
        barrier = threading.Barrier(students)
        threads = [
            threading.Thread(target=student, args=(base, n, barrier, results, with_form))
            for n in range(students)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return results


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--json", help="write the results there too (bench/run.py)")
    parser.add_argument(
        "--no-build-ahead",
        action="store_true",
        help="skip building the public PDFs first (the smoke run: a minute saved)",
    )
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="mobilis-help-bench-"))
    database = instance / "bench.sqlite3"
    env = {
        **os.environ,
        "MOBILIS_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "bench-only-secret",
        "HELP_ASK_RATE_LIMIT": "100000 per minute",
        "MAIL_BACKEND": "memory",
    }
    flask = str(BIN / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(
        [flask, "create-user", "worker@bench.invalid", "--role", "youth_worker",
         "--name", "Bench Worker", "--password", "lantern-orchard-quietly-42"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    try:
        # As deployed: every public PDF made before the site serves. Otherwise
        # each worker's background build (app/pdfserve.py) renders them all
        # during the burst: 40 % of the workers' time in a py-spy profile.
        if not args.no_build_ahead:
            build_ahead(env)
        log = instance / "gunicorn.log"
        hello, hello_url = serve(HELLO, env, log)
        try:
            baseline = run_rounds(hello_url, args.students, args.rounds, with_form=False)
        finally:
            stop(hello)
        site, site_url = serve(SITE, env, log)
        try:
            asked = run_rounds(site_url, args.students, args.rounds, with_form=True)
        finally:
            stop(site)
        with sqlite3.connect(database) as connection:
            stored, routed, urgent = connection.execute(
                "SELECT count(*), count(assigned_to_id), sum(urgent) FROM help_conversation"
            ).fetchone()
            messages = connection.execute("SELECT count(*) FROM help_message").fetchone()[0]
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    sent = args.students * args.rounds
    errors = [status for status, _, _ in asked if status != 200]
    passphrases = {p for _, _, p in asked if p}
    site_times = [t for _, t, _ in asked]
    base_times = [t for _, t, _ in baseline]
    print(f"{sent} questions sent by {args.students} students at once, {args.rounds} rounds")
    print(f"stored {stored}, routed {routed}, urgent {urgent}, messages {messages}, "
          f"distinct passphrases {len(passphrases)}, errors {len(errors)}")  # fmt: skip
    print(f"{'':<22} {'median':>8} {'p95':>8} {'max':>8}")
    for name, times in (("baseline POST /form", base_times), ("POST /fr/help/", site_times)):
        print(
            f"{name:<22} {statistics.median(times) * 1000:>6.0f}ms {p95(times) * 1000:>6.0f}ms "
            f"{max(times) * 1000:>6.0f}ms"
        )
    ratio = p95(site_times) / p95(base_times)
    lost = sent - stored
    failed = bool(
        errors or lost or routed != stored or len(passphrases) != sent or messages != sent
    )
    print(
        f"p95 ratio: {ratio:.1f}x the baseline (goal <= {GOAL_P95_RATIO:.0f}x "
        f"{'met' if ratio <= GOAL_P95_RATIO else 'NOT MET'})"
    )
    write_json(
        args.json,
        {"sent": sent, "stored": stored, "lost": lost, "errors": len(errors), "failed": failed,
         "baseline_p95_ms": p95(base_times) * 1000, "site_p95_ms": p95(site_times) * 1000,
         "p95_ratio": ratio},
    )  # fmt: skip
    if failed:
        raise SystemExit(f"FAILED: {lost} lost, {len(errors)} errors")
    print("none lost: every question stored, routed, with its own passphrase")


if __name__ == "__main__":
    main()
