"""The soak test's visitors, for Locust (run by bench/soak.py, not on its own).

Three kinds of people use the site at once, in the proportions of a school
day: students (read modules, ask a question, come back with the passphrase
and answer), teachers (read modules, download PDFs, ask for a visit) and staff
(sign in, read their agenda, the calendar and reports, record a campaign
distribution). Every write is named "write: …" so that bench/soak.py can
compare the successful writes Locust counted with the rows in the database.

The staff accounts come from the file named by SOAK_ACCOUNTS: lines of
"role email password" (the demo's sign-ins file).
"""

import itertools
import os
import random
import re
from datetime import date, timedelta

from locust import HttpUser, between, task

TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
STAMP = re.compile(r'name="started" type="hidden" value="([^"]+)"')
PASSPHRASE = re.compile(r'id="passphrase"[^>]*>([^<]+)<')
OPTION = re.compile(r'<option[^>]*value="([^"]+)"')
MODULE = re.compile(r'href="/(?:fr|en)/modules/([a-z0-9-]+)/"')

# A fixed seed: the same mix of choices on every run.
RANDOM = random.Random(2026)  # noqa: S311  (load test choices, not secrets)

QUESTIONS = [
    "Un gars plus vieux me donne des cadeaux et veut que je garde ça secret. Est-ce normal?",
    "My friend says she makes easy money on weekends with older guys. What should I do?",
    "Quelqu’un me demande des photos. Je fais quoi?",
]


def _accounts():
    path = os.environ["SOAK_ACCOUNTS"]
    accounts = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) >= 3:
                accounts.setdefault(parts[0], []).append((parts[1], parts[2]))
    return accounts


ACCOUNTS = _accounts()
STAFF = itertools.cycle(ACCOUNTS.get("coordinator", []) + ACCOUNTS.get("prevention_worker", []))


def _write(client, path, data, name, accepted):
    """POST a write without following its redirect; it counts only when
    `accepted(response)` (bench/soak.py compares these with the database)."""
    with client.post(
        path, data=data, name=name, allow_redirects=False, catch_response=True
    ) as response:
        if accepted(response):
            response.success()
        else:
            response.failure(f"status {response.status_code}")


def _token(response):
    found = TOKEN.search(response.text)
    return found.group(1) if found else ""


class Student(HttpUser):
    """Reads, asks, comes back a little later with the passphrase."""

    weight = 6
    wait_time = between(2, 6)
    passphrase = None

    def on_start(self):
        self.lang = RANDOM.choice(["fr", "en"])

    @task(4)
    def read_a_module(self):
        page = self.client.get(f"/{self.lang}/modules/", name="/<lang>/modules/")
        slugs = MODULE.findall(page.text)
        if slugs:
            slug = RANDOM.choice(slugs)
            self.client.get(f"/{self.lang}/modules/{slug}/", name="/<lang>/modules/<slug>/")

    @task(1)
    def ask(self):
        form = self.client.get(f"/{self.lang}/help/", name="/<lang>/help/")
        data = {
            "csrf_token": _token(form),
            "body": RANDOM.choice(QUESTIONS),
            "topic": "pressure",
            "school_id": "0",
        }
        with self.client.post(
            f"/{self.lang}/help/", data=data, name="write: question", catch_response=True
        ) as response:
            found = PASSPHRASE.search(response.text)
            if response.status_code == 200 and found:
                self.passphrase = found.group(1).strip()
                response.success()
            else:
                response.failure(f"no passphrase (status {response.status_code})")

    @task(1)
    def come_back(self):
        if not self.passphrase:
            return
        form = self.client.get(f"/{self.lang}/help/check", name="/<lang>/help/check")
        data = {"csrf_token": _token(form), "passphrase": self.passphrase}
        page = self.client.post(f"/{self.lang}/help/check", data=data, name="/<lang>/help/check")
        if "reply-body" in page.text or 'name="body"' in page.text:
            data = {
                "csrf_token": _token(page),
                "passphrase": self.passphrase,
                "body": "Merci. Je peux en parler à qui à l’école?",
            }
            _write(
                self.client,
                f"/{self.lang}/help/reply",
                data,
                "write: student reply",
                lambda response: response.status_code == 200,
            )


class Teacher(HttpUser):
    """Prepares a class: modules, guides, PDFs; sometimes asks for a visit."""

    weight = 3
    wait_time = between(3, 8)

    def on_start(self):
        self.lang = RANDOM.choice(["fr", "en"])

    @task(4)
    def prepare(self):
        page = self.client.get(f"/{self.lang}/modules/", name="/<lang>/modules/")
        slugs = MODULE.findall(page.text)
        if not slugs:
            return
        slug = RANDOM.choice(slugs)
        self.client.get(f"/{self.lang}/modules/{slug}/guide/", name="/<lang>/modules/<slug>/guide/")
        self.client.get(f"/{self.lang}/modules/{slug}.pdf", name="/<lang>/modules/<slug>.pdf")

    @task(1)
    def campaigns(self):
        self.client.get(f"/{self.lang}/campaigns/", name="/<lang>/campaigns/")

    @task(1)
    def ask_for_a_visit(self):
        form = self.client.get(f"/{self.lang}/request/", name="/<lang>/request/")
        stamp = STAMP.search(form.text)
        data = {
            "csrf_token": _token(form),
            "started": stamp.group(1) if stamp else "",
            "kind": "visit",
            "audience": "",
            "organisation": "École secondaire de la charge",
            "school_id": "0",
            "contact_name": "Enseignante de charge",
            "contact_email": "charge@example.org",
            "contact_phone": "",
            "preferred_periods": "Un mardi en avant-midi",
            "group_count": "4",
            "notes": "",
            "website": "",
        }
        _write(
            self.client,
            f"/{self.lang}/request/",
            data,
            "write: school request",
            lambda response: (
                response.status_code == 302 and response.headers["Location"].endswith("/sent")
            ),
        )


class Staff(HttpUser):
    """A coordinator or prevention worker at their desk."""

    weight = 1
    wait_time = between(3, 8)

    def on_start(self):
        self.lang = "fr"
        email, password = next(STAFF)
        form = self.client.get("/fr/login", name="/<lang>/login")
        data = {"csrf_token": _token(form), "email": email, "password": password}
        with self.client.post(
            "/fr/login", data=data, name="/<lang>/login", allow_redirects=False,
            catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 302 and "/login" not in response.headers["Location"]:
                response.success()
            else:
                response.failure(f"sign-in refused (status {response.status_code})")

    @task(3)
    def agenda(self):
        self.client.get("/fr/agenda/", name="/<lang>/agenda/")

    @task(2)
    def calendar(self):
        self.client.get("/fr/calendar/", name="/<lang>/calendar/")

    @task(1)
    def reports(self):
        # 403 for a prevention worker: not a failure, the page is the coordinators'.
        with self.client.get("/fr/reports/", name="/<lang>/reports/", catch_response=True) as r:
            if r.status_code in (200, 403):
                r.success()

    @task(1)
    def record_a_distribution(self):
        form = self.client.get("/fr/campaigns/records/new", name="/<lang>/campaigns/records/new")
        campaign = re.search(r'<select[^>]*name="campaign_slug".*?</select>', form.text, re.S)
        school = re.search(r'<select[^>]*name="school_id".*?</select>', form.text, re.S)
        campaigns = OPTION.findall(campaign.group(0)) if campaign else []
        schools = OPTION.findall(school.group(0)) if school else []
        schools = [s for s in schools if s not in ("", "0")]
        if not campaigns or not schools:
            return
        data = {
            "csrf_token": _token(form),
            "campaign_slug": RANDOM.choice(campaigns),
            "school_id": RANDOM.choice(schools),
            # Yesterday: never "in the future" in Montreal, whatever the hour in UTC.
            "on_date": (date.today() - timedelta(days=1)).isoformat(),
            "posters": str(RANDOM.randint(1, 20)),
            "flyers": "0",
            "kiosk_students": "0",
            "note": "",
        }
        _write(
            self.client,
            "/fr/campaigns/records/new",
            data,
            "write: distribution record",
            lambda response: response.status_code == 302,
        )


class Baseline(HttpUser):
    """The baseline run: the same pace against bench/hello.py's two routes."""

    wait_time = between(2, 6)

    @task(4)
    def read(self):
        self.client.get("/", name="hello /")

    @task(1)
    def write(self):
        self.client.post("/form", data={"body": RANDOM.choice(QUESTIONS)}, name="hello POST /form")
