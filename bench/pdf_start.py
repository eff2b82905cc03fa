"""Benchmark: the first download of the pack after a start, once the build is done.

Builds every public PDF and card with `flask curriculum build` (timing a
first build, then a run with nothing to do), then, ROUNDS times: starts the
site with gunicorn and the repository's gunicorn.conf.py (2 workers, each
starting its own build pass in the background, as in production), waits for
/healthz, and times the first download of /fr/modules/pack.pdf, then of
/en/modules/pack.pdf. In the same run, the baseline: a bare Flask app
(bench/hello.py, /file) started the same way, sending the same French pack
from disk, its first download timed likewise.

    .venv/bin/python -m bench.pdf_start [--rounds 5]

Goal (issue 20): the pack's first download after a start under 2 s (every
round). Results go in docs/performance.md.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.serving import BIN, ROOT, free_port

GOAL_SECONDS = 2.0


def start(command, env):
    """A gunicorn started with `command`, and its address once /healthz or / answers."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "2"}
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        for path in ("/healthz", "/"):
            try:
                urllib.request.urlopen(url + path, timeout=1).read()
                return process, url
            except OSError:
                pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{command} did not start")


def first_download(url):
    """(seconds, bytes) of one GET, which must answer 200."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status}")
    return time.perf_counter() - started, len(body)


def stop(process):
    process.terminate()
    process.wait(30)


def timed(command, env):
    started = time.perf_counter()
    output = subprocess.run(
        command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return time.perf_counter() - started, (output.strip().splitlines() or [""])[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="mobilis-bench-"))
    env = {
        **os.environ,
        "MOBILIS_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-secret",
        "LOG_FORMAT": "text",
    }
    flask = [str(BIN / "flask"), "--app", "app"]
    site = [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")]
    hello = [str(BIN / "gunicorn"), "--workers", "2", "bench.hello:app"]
    site_times, english_times, hello_times = [], [], []
    try:
        timed([*flask, "db", "upgrade"], env)
        first, summary = timed([*flask, "curriculum", "build"], env)
        print(f"first build: {first:.1f} s ({summary})")
        again, summary = timed([*flask, "curriculum", "build"], env)
        print(f"build with nothing to do: {again:.1f} s ({summary})")
        for _ in range(args.rounds):
            process, url = start(site, env)
            try:
                seconds, size = first_download(url + "/fr/modules/pack.pdf")
                site_times.append(seconds)
                english_times.append(first_download(url + "/en/modules/pack.pdf")[0])
            finally:
                stop(process)
            pack = next(
                path
                for path in (instance / "pdf-cache").iterdir()
                if path.suffix == ".pdf" and path.stat().st_size == size
            )
            process, url = start(hello, {**env, "BENCH_FILE": str(pack)})
            try:
                hello_times.append(first_download(url + "/file")[0])
            finally:
                stop(process)
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    print(f"{'first download after a start':<34} {'median':>8} {'max':>8}  goal")
    for name, times in (
        ("hello-world /file (same bytes)", hello_times),
        ("/fr/modules/pack.pdf", site_times),
        ("/en/modules/pack.pdf (just after)", english_times),
    ):
        worst = max(times)
        goal = "" if name.startswith("hello") else f"< {GOAL_SECONDS:.0f} s "
        goal += "" if name.startswith("hello") else ("ok" if worst < GOAL_SECONDS else "MISSED")
        print(
            f"{name:<34} {statistics.median(times) * 1000:>6.0f} ms {worst * 1000:>6.0f} ms  {goal}"
        )


if __name__ == "__main__":
    main()
