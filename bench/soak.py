"""Soak test: students, teachers and staff together for ten minutes.

Serves the site with gunicorn.conf.py (2 workers) on loopback, on PostgreSQL
when TEST_DATABASE_URL is set (`make soak` starts a throw-away server through
scripts/with-postgres) or else on a temporary SQLite file, with the demo data.
Locust (bench/soak_locustfile.py, installed in its own virtualenv by
`make soak`) plays the visitors. In the same run, before the soak, the same
number of Locust users load a bare Flask app (bench/hello.py) for one minute:
the baseline.

While it runs, the workers' resident memory is sampled every 10 s. At the end
it checks:
- no error: no failed request, no 5xx;
- no lost write: each question, student reply, school request and distribution
  record that Locust saw acknowledged is a row in the database;
- memory flat: the workers' memory in the last two minutes is within 20 % of
  the memory after the first two minutes (the warm-up: caches filling).
And it prints issue 22's goals, met or not: over all the site's requests a
p99 within 300 ms and none over 1 s. The public PDFs are built before the
site serves (`flask curriculum build`, where the app has it), as a
deployment does, so that no visitor waits for a first render.

    scripts/with-postgres .venv/bin/python -m bench.soak [--minutes 10] [--users 40]

The per-address limits are raised for the run (every visitor comes from
127.0.0.1) and the request form's minimum fill time is 0. Results go in
docs/performance.md.
"""

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.curriculum import build_ahead
from bench.serving import BIN, ROOT, free_port

LOCUST = ROOT / ".cache" / "soak-venv" / "bin" / "locust"
LOCUSTFILE = ROOT / "bench" / "soak_locustfile.py"

# Each acknowledged write, and the rows it must have added.
WRITES = {
    "write: question": "SELECT count(*) FROM help_conversation",
    "write: school request": "SELECT count(*) FROM school_request",
    "write: distribution record": "SELECT count(*) FROM distribution_record",
}
# Goals (issue 22), over all the site's requests: no visitor waits.
GOAL_P99_MS = 300
GOAL_MAX_MS = 1000
# Every question and every student reply is one message (no worker replies here).
MESSAGES = "SELECT count(*) FROM help_message"


def serve(app_spec, env, workers):
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            str(workers),
            # No recycling of workers after N requests (production's setting):
            # it would hide a leak, which is what the memory samples look for.
            "--max-requests",
            "0",
            "--bind",
            f"127.0.0.1:{port}",
            app_spec,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return process, url
        except urllib.error.HTTPError:
            return process, url  # it answers
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app_spec} did not start")


def worker_pids(master):
    """The gunicorn workers: the master's children."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def rss_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler(threading.Thread):
    def __init__(self, master, every=10):
        super().__init__(daemon=True)
        self.master, self.every = master, every
        self.samples = []  # (seconds since start, MiB over all workers, worker pids)
        self.stopped = threading.Event()

    def run(self):
        start = time.monotonic()
        while not self.stopped.wait(self.every):
            pids = worker_pids(self.master)
            self.samples.append(
                (time.monotonic() - start, sum(rss_mib(p) for p in pids), tuple(sorted(pids)))
            )


def locust(url, users, seconds, classes, prefix, env):
    subprocess.run(
        [
            str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--host", url,
            "--users", str(users), "--spawn-rate", str(max(1, users // 10)),
            "--run-time", f"{seconds}s", "--csv", str(prefix), "--only-summary",
            "--loglevel", "WARNING", "--exit-code-on-error", "0", *classes,
        ],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as f:
        return {row["Name"]: row for row in csv.DictReader(f)}


def counts(engine):
    with engine.connect() as connection:
        found = {name: connection.execute(text(sql)).scalar() for name, sql in WRITES.items()}
        found["messages"] = connection.execute(text(MESSAGES)).scalar()
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-seconds", type=int, default=60)
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit(f"{LOCUST} is missing: run `make soak`, which installs Locust there")

    instance = Path(tempfile.mkdtemp(prefix="mobilis-soak-"))
    database = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance / 'soak.sqlite3'}"
    env = {
        **os.environ,
        "MOBILIS_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database,
        "SECRET_KEY": "soak-only-secret",
        "MAIL_BACKEND": "memory",
        "HELP_ASK_RATE_LIMIT": "100000 per minute",
        "HELP_CHECK_RATE_LIMIT": "100000 per minute",
        "HELP_CHECK_RATE_LIMIT_PER_ADDRESS": "100000 per minute",
        "REQUEST_RATE_LIMIT": "100000 per hour",
        "REQUEST_MIN_SECONDS": "0",
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "SOAK_ACCOUNTS": str(instance / "demo-sign-ins.txt"),
    }
    flask = str(BIN / "flask")
    try:
        subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([flask, "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        build_ahead(env)  # every public PDF made before the first visitor, as deployed

        hello, hello_url = serve("bench.hello:app", env, args.workers)
        try:
            baseline = locust(
                hello_url, args.users, args.baseline_seconds, ["Baseline"],
                instance / "baseline", env,
            )  # fmt: skip
        finally:
            hello.terminate()
            hello.wait()

        engine = create_engine(database)
        before = counts(engine)
        site, site_url = serve("app:create_app()", env, args.workers)
        sampler = MemorySampler(site.pid)
        sampler.start()
        started = time.monotonic()
        try:
            stats = locust(
                site_url, args.users, int(args.minutes * 60), ["Student", "Teacher", "Staff"],
                instance / "soak", env,
            )  # fmt: skip
        finally:
            sampler.stopped.set()
            site.terminate()
            site.wait()
        elapsed = time.monotonic() - started
        after = counts(engine)
        engine.dispose()
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    report(args, database, baseline, stats, before, after, sampler.samples, elapsed)


def _ok(row):
    return int(row["Request Count"]) - int(row["Failure Count"])


def report(args, database, baseline, stats, before, after, samples, elapsed):
    total = stats["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    kind = "PostgreSQL" if database.startswith("postgresql") else "SQLite"
    print(
        f"{args.minutes:g} min, {args.users} users (students 6 : teachers 3 : staff 1), "
        f"{args.workers} gunicorn workers, {kind}; ran {elapsed / 60:.1f} min"
    )
    print(f"{requests} requests, {failures} failed, {requests / elapsed:.1f} requests/s")
    print(f"{'':<40} {'count':>7} {'fail':>5} {'median':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    rows = [("baseline " + name, row) for name, row in baseline.items() if name != "Aggregated"]
    rows += [(name, row) for name, row in sorted(stats.items()) if name != "Aggregated"]
    rows.append(("all site requests", total))
    for name, row in rows:
        print(
            f"{name[:40]:<40} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{row['50%']:>5}ms {row['95%']:>5}ms {row['99%']:>5}ms "
            f"{float(row['Max Response Time']):>5.0f}ms"
        )

    lost = []
    for name in WRITES:
        acknowledged = _ok(stats[name]) if name in stats else 0
        stored = after[name] - before[name]
        print(f"{name:<40} acknowledged {acknowledged:>6}, stored {stored:>6}")
        if stored < acknowledged:
            lost.append(name)
    replies = _ok(stats["write: student reply"]) if "write: student reply" in stats else 0
    questions = after["write: question"] - before["write: question"]
    messages = after["messages"] - before["messages"]
    print(f"{'messages (questions + replies)':<40} acknowledged {questions + replies:>6}, "
          f"stored {messages:>6}")  # fmt: skip
    if messages < questions + replies:
        lost.append("messages")

    warm = [mib for at, mib, _ in samples if 100 <= at <= 130]
    last = [mib for at, mib, _ in samples if at >= samples[-1][0] - 120] if samples else []
    restarts = len({pids for _, _, pids in samples}) - 1
    print("workers' memory (MiB, both workers): " + " ".join(f"{mib:.0f}" for _, mib, _ in samples))
    growth = None
    if warm and last:
        growth = statistics.median(last) / statistics.median(warm) - 1
        print(
            f"after warm-up {statistics.median(warm):.0f} MiB, last two minutes "
            f"{statistics.median(last):.0f} MiB ({growth:+.1%}); worker restarts: {restarts}"
        )
    p99, worst = float(total["99%"]), float(total["Max Response Time"])
    print(
        f"goals (issue 22): p99 {p99:.0f} ms <= {GOAL_P99_MS} ms "
        f"{'met' if p99 <= GOAL_P99_MS else 'NOT MET'}; slowest {worst:.0f} ms <= "
        f"{GOAL_MAX_MS} ms {'met' if worst <= GOAL_MAX_MS else 'NOT MET'}"
    )
    problems = []
    if failures:
        problems.append(f"{failures} failed requests")
    if lost:
        problems.append("lost writes: " + ", ".join(lost))
    if growth is not None and growth > 0.2:
        problems.append(f"memory grew {growth:.0%}")
    if problems:
        raise SystemExit("FAILED: " + "; ".join(problems))
    print("no error, no lost write, memory flat")


if __name__ == "__main__":
    main()
