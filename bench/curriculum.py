"""Benchmark: public pages and PDFs beside a bare Flask hello-world.

Serves bench/hello.py and the site, each with gunicorn and the repository's
gunicorn.conf.py (bench/serving.py: 2 workers, the access log on), on
loopback; measures each URL with wrk in the same run, each right after
hello-world, and prints the ratio of the site's requests per second to
hello-world's. Then times a
cold PDF render against WeasyPrint alone on the same HTML.

    .venv/bin/python -m bench.curriculum [--seconds 5] [--rounds 3] [--connections 16]
                                         [--json PATH]

Both servers run at once; each URL is measured right after hello-world,
--rounds times, and its ratio is the median of those pairs' ratios.

Goals (issue 22): catalogue, module page and built PDF >= 1.0x hello-world,
the help form page >= 0.5x; a cold PDF render <= 1.5x WeasyPrint alone
(issue 3). Results go in docs/performance.md.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.serving import BIN, HELLO, ROOT, SITE, serve, stop, worker_restarts, write_json

GOALS = {"catalogue": 1.0, "module page": 1.0, "cached PDF": 1.0, "help form page": 0.5}
COLD_PDF_GOAL = 1.5
SETTLE_SECONDS = 3


def wrk(url, seconds, connections):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses")
    return rps


def fetch_when_ready(url, seconds=120):
    """GET `url` until it answers 200 (a PDF may be being built at first)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=60).read()
        except urllib.error.HTTPError as error:
            if error.code != 503 or time.monotonic() > deadline:
                raise
            time.sleep(float(error.headers.get("Retry-After") or 1))


def cold_pdf_times(env, runs):
    """(our render, WeasyPrint alone) median seconds for the same module HTML."""
    os.environ.update(env)
    from weasyprint import CSS, HTML

    from app import create_app
    from app.curriculum import get_catalogue, pdfs
    from app.pdf import BASE_URL, ProjectFilesFetcher

    app = create_app()
    ours, alone = [], []
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        module = get_catalogue().modules[0]
        source = {
            "kind": "lesson",
            "lang": "fr",
            "modules": [module],
            "help_url": None,
            "title": module.title("fr"),
        }
        html, stylesheets = pdfs.pdf_source(**source)
        fetcher = ProjectFilesFetcher(pdfs.PDF_FOLDERS)
        pdfs.build_pdf(**source)  # warm-up: imports, fonts, template compilation
        for _ in range(runs):
            start = time.perf_counter()
            pdfs.build_pdf(**source)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
                stylesheets=[CSS(string=css) for css in stylesheets], pdf_tags=True
            )
            alone.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(alone)


def build_ahead(env):
    """`flask curriculum build` where the app has it: every public PDF made
    before the site serves, as a deployment does."""
    flask = str(BIN / "flask")
    commands = subprocess.run(
        [flask, "curriculum", "--help"], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    if re.search(r"^\s+build\b", commands, re.M):
        subprocess.run([flask, "curriculum", "build"], cwd=ROOT, env=env, check=True,
                       capture_output=True)  # fmt: skip


def settle(base, paths):
    """Each URL answered a few times, then a pause: both workers have loaded
    what they load before their first request (the urgency model) and have
    the pages in their cache before anything is timed."""
    for path in paths:
        fetch_when_ready(base + path)
        for _ in range(8):
            urllib.request.urlopen(base + path, timeout=60).read()
    time.sleep(SETTLE_SECONDS)


def measure(instance, env, args):
    """({name: requests per second}, {name: ratio}, worker restarts seen).

    The site and hello-world are served at the same time (an idle server
    costs nothing), and each of the site's URLs is measured right after
    hello-world, `args.rounds` times: each ratio is the median of the pairs'
    ratios, so a moment when the machine is busier weighs on both sides of a
    pair instead of on one URL (the machine is shared: docs/performance.md).
    """
    from app.curriculum.modules import load_catalogue

    slug = load_catalogue(ROOT / "curriculum").modules[0].slug
    urls = {
        "catalogue": "/fr/modules/",
        "module page": f"/fr/modules/{slug}/",
        "cached PDF": f"/fr/modules/{slug}.pdf",
        "help form page": "/fr/help/",
    }
    log = instance / "gunicorn.log"
    # Some 500,000 requests in a few minutes: production's max_requests
    # (100,000 and jitter, for days of real traffic) would replace workers
    # mid-measure, each reloading the app. Neither server replaces any here.
    steady = ("--max-requests", "0")
    hello, hello_url = serve(HELLO, env, log, extra=steady)
    try:
        site, site_url = serve(SITE, env, log, extra=steady)
        try:
            settle(hello_url, ["/"])
            settle(site_url, urls.values())
            pairs = {name: [] for name in urls}
            for _ in range(args.rounds):
                for name, path in urls.items():
                    base = wrk(hello_url + "/", args.seconds, args.connections)
                    pairs[name].append((base, wrk(site_url + path, args.seconds, args.connections)))
        finally:
            stop(site)
    finally:
        stop(hello)
    results = {"hello-world": statistics.median(b for p in pairs.values() for b, _ in p)}
    results.update({name: statistics.median(s for _, s in p) for name, p in pairs.items()})
    ratios = {name: statistics.median(s / b for b, s in p) for name, p in pairs.items()}
    return results, ratios, worker_restarts(log)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="pairs per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pdf-runs", type=int, default=5)
    parser.add_argument("--json", help="write the results there too (bench/run.py)")
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="measure the app itself, without the public page cache",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: run `make bench` (it installs it) or apt-get install wrk")

    instance = Path(tempfile.mkdtemp(prefix="mobilis-bench-"))
    env = {
        **os.environ,
        "MOBILIS_INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}",
        "SECRET_KEY": "bench-only-secret",
    }
    if args.no_page_cache:
        env["PUBLIC_PAGE_CACHE_BYTES"] = "0"
    subprocess.run(
        [str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    try:
        build_ahead(env)
        results, ratios, restarts = measure(instance, env, args)
        ours, alone = cold_pdf_times(env, args.pdf_runs)
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    print(f"medians of {args.rounds} pairs (hello-world, then the URL) of {args.seconds} s each")
    print(f"{'URL':<15} {'req/s':>9} {'x hello':>8}  goal")
    for name, rps in results.items():
        goal = GOALS.get(name)
        ratio = ratios.get(name, 1.0)
        met = goal is not None and ratio >= goal
        verdict = "" if goal is None else f">= {goal:.2f} " + ("met" if met else "NOT MET")
        print(f"{name:<15} {rps:>9.1f} {ratio:>8.2f}  {verdict}")
    print(f"workers replaced during the run (max_requests): {restarts}")
    ratio = ours / alone
    print(
        f"cold PDF render {ours * 1000:.0f} ms, WeasyPrint alone {alone * 1000:.0f} ms: "
        f"{ratio:.2f}x  (goal <= {COLD_PDF_GOAL:.2f} "
        f"{'met' if ratio <= COLD_PDF_GOAL else 'NOT MET'})"
    )
    write_json(
        args.json,
        {"requests_per_second": results, "ratios": ratios, "worker_restarts": restarts,
         "cold_pdf_ms": ours * 1000, "weasyprint_ms": alone * 1000},
    )  # fmt: skip


if __name__ == "__main__":
    main()
