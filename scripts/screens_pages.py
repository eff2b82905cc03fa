"""Screenshots of the site on a phone, for docs/screens/ (`make screens`).

Starts the app on a throw-away SQLite database filled with the demo
(`flask seed-demo`: app/devdata/demo.py), serves it on a free port of
127.0.0.1, and saves what a phone 390 px wide shows first, in French, of
four pages: the students' home, a module, the youth worker's inbox and a
visit. Made by this script, never by hand, so that they can be made again
after a change of design:

    .venv/bin/python -m scripts.screens_pages [--out docs/screens]

Debian's Chromium (/usr/bin/chromium) through Playwright, as the browser tests.
"""

import argparse
import logging
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlmodel import Session, select
from werkzeug.serving import make_server

from app import create_app
from app.accounts import two_factor
from app.devdata import demo
from app.devdata.demo_schools import DEMO_SCHOOLS
from app.migrations.commands import upgrade
from app.schools.models import School
from app.visits.models import Visit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Cheap password hashing: the accounts live as long as the script.
FAST_HASHING = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}


def build_app(folder):
    """The app on a new database in `folder`, with the demo; (app, sign-ins,
    the id of the demo's visit to come)."""
    url = f"sqlite:///{folder}/screens.sqlite3"
    upgrade(url)
    app = create_app(
        {
            "SECRET_KEY": "screens",
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(Path(folder) / "instance"),
            "MAIL_BACKEND": "memory",
            "HELP_ALERT_RUNNER": "off",
            "PASSWORD_HASH_PARAMETERS": FAST_HASHING,
        }
    )
    with app.app_context(), Session(app.extensions["mobilis_engine"]) as session:
        created = demo.seed(session)
        session.commit()
        coming = session.exec(
            select(Visit.id)
            .join(School, School.id == Visit.school_id)
            .where(School.name == DEMO_SCHOOLS[1][0])
        ).one()
    sign_ins = {role: (email, password, secret) for email, role, password, secret in created}
    return app, sign_ins, coming


def sign_in(page, email, password, secret):
    page.goto("/fr/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if secret:
        page.fill("#code", two_factor.code_at(secret, two_factor.current_step()))
        with page.expect_navigation():
            page.click("main form button[type=submit]")


def shoot(browser, base, out, name, path, account=None):
    """`path` as a phone shows it first, in `out`/`name`.png."""
    context = browser.new_context(base_url=base, locale="fr-CA", **PHONE)
    page = context.new_page()
    if account:
        sign_in(page, *account)
    page.goto(path)
    page.wait_for_load_state("load")
    target = out / f"{name}.png"
    page.screenshot(path=str(target))
    context.close()
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}: {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with tempfile.TemporaryDirectory(prefix="mobilis-screens-") as folder:
        app, sign_ins, visit_id = build_app(folder)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                shoot(browser, base, out, "student-home", "/fr/")
                shoot(browser, base, out, "module", "/fr/modules/how-recruiters-work/")
                shoot(browser, base, out, "inbox", "/fr/inbox/", sign_ins["youth_worker"])
                worker = sign_ins["prevention_worker"]
                shoot(browser, base, out, "visit", f"/fr/visits/{visit_id}/", worker)
                browser.close()
        finally:
            server.shutdown()
            app.extensions["mobilis_engine"].dispose()


if __name__ == "__main__":
    main()
