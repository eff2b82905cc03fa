"""Serving for the benchmarks: the site and the bare hello-world the same way.

Both are served by gunicorn with the repository's gunicorn.conf.py (its JSON
access log, its worker recycling), 2 sync workers on loopback, their logs in
a file, as production writes them to the journal. Only the ratio of the two,
measured in the same run, means anything on a machine shared with other work.
"""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HELLO = "bench.hello:app"
SITE = "app:create_app()"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec, env, log, *, workers=2, extra=()):
    """(process, base URL) of gunicorn serving `app_spec`, once it answers."""
    port = free_port()
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                *extra,
                app_spec,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            return process, url
        except urllib.error.HTTPError:
            return process, url  # it answers
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app_spec} did not start: see {log}")


def stop(process):
    process.terminate()
    process.wait()


def worker_restarts(log):
    """How many times gunicorn replaced a worker after max_requests, per the log."""
    try:
        return Path(log).read_text(errors="replace").count("Autorestarting worker")
    except OSError:
        return 0


def write_json(path, results):
    """Results for bench/run.py's table, when it asked for them."""
    if path:
        Path(path).write_text(json.dumps(results, indent=1))


def load_average():
    """uptime's load averages, for the record beside each run."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
