"""Benchmark: curriculum pages and PDFs beside a bare Flask hello-world.

Serves the site and bench/hello.py with gunicorn (2 workers each), one after
the other on loopback, measures each URL with wrk in the same run, and prints
the ratio of the site's requests per second to hello-world's. Then times a
cold PDF render against WeasyPrint alone on the same HTML.

    .venv/bin/python bench/curriculum.py [--seconds 10] [--connections 16]

Goals (issue 3): catalogue, module page and built PDF >= 0.5x hello-world;
a cold PDF render <= 1.5x WeasyPrint alone. Results go in docs/performance.md.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec, env, cwd):
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            app_spec,
        ],
        cwd=cwd,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{app_spec} did not start")


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pdf-runs", type=int, default=5)
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
    for command in (["db", "upgrade"], ["curriculum", "build"]):  # as the deploy does
        subprocess.run(
            [str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    results = {}
    try:
        hello, hello_url = serve("bench.hello:app", env, ROOT)
        try:
            results["hello-world"] = wrk(hello_url + "/", args.seconds, args.connections)
        finally:
            hello.terminate()
            hello.wait()
        site, site_url = serve("app:create_app()", env, ROOT)
        try:
            from app.curriculum.modules import load_catalogue

            slug = load_catalogue(ROOT / "curriculum").modules[0].slug
            urls = {
                "catalogue": "/fr/modules/",
                "module page": f"/fr/modules/{slug}/",
                "built PDF": f"/fr/modules/{slug}.pdf",
            }
            urllib.request.urlopen(site_url + urls["built PDF"], timeout=60).read()
            for name, path in urls.items():
                results[name] = wrk(site_url + path, args.seconds, args.connections)
        finally:
            site.terminate()
            site.wait()
        ours, alone = cold_pdf_times(env, args.pdf_runs)
    finally:
        shutil.rmtree(instance, ignore_errors=True)

    base = results["hello-world"]
    print(f"{'URL':<14} {'req/s':>9} {'x hello':>8}  goal")
    for name, rps in results.items():
        goal = (
            ""
            if name == "hello-world"
            else (">= 0.50 " + ("ok" if rps / base >= 0.5 else "MISSED"))
        )
        print(f"{name:<14} {rps:>9.1f} {rps / base:>8.2f}  {goal}")
    ratio = ours / alone
    print(
        f"cold PDF render {ours * 1000:.0f} ms, WeasyPrint alone {alone * 1000:.0f} ms: "
        f"{ratio:.2f}x  (goal <= 1.50 {'ok' if ratio <= 1.5 else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
