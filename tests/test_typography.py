"""Typography as a rule, on every page and on the PDFs, in both languages.

The demo data (`flask seed-demo`) is loaded; a visitor and each demo account
open every page of the URL map they can reach without an argument, then follow
the links on them, a few pages of each kind. Every HTML page's words, and the
words of a handout, a guide, a poster and the outcome report, must follow the
rules of tests/typography_rules.py: « 1er mars », « 9 h », « 10 h 30 », the
non-breaking spaces of French, no « de École », « page 2 sur 6 »; one English
date and time style and Canadian spelling.
"""

import re
from collections import Counter

import pytest
from pypdf import PdfReader
from werkzeug.routing import BuildError

from app.devdata import demo
from tests.conftest import AuthActions, ClosingClient
from tests.typography_rules import problems, visible_text

pytestmark = pytest.mark.one_database("postgres")

LANGS = ["fr", "en"]
# Pages of one kind (the same route) opened per visitor: enough to meet each
# template with data, without opening every school's page.
PER_ROUTE = 2
# Pages the links do not lead to, each for a reason.
NOT_BY_LINKS = {
    "accounts.login_code": "the sign-in's second step, right after the password",
    "accounts.login_set_up_code": "the same, for an account without two-factor yet",
    "accounts.password_reset_link": "opened from an e-mail, with its token",
    "accounts.new_password": "the same",
    "visits.shared_schedule": "a share link is shown once, when it is made",
    "help.reply": "a student's own conversation, by passphrase (a form, POST)",
    "reports.revoke_token": "the demo has no API token to revoke",
    "visits.agenda_feed": "it asks before replacing a calendar address; the demo has none",
    "evaluation.questionnaire": "a class's code, from the slide's QR code (its own tests)",
    "evaluation.teacher_feedback": "through the school's share link, shown once (its own tests)",
}
FILES = (".pdf", ".csv", ".xlsx", ".png", ".ics", ".json", ".yaml")


@pytest.fixture
def demo_site(app, db):
    """The demo data, and [(email, password)] of its staff accounts."""
    with app.app_context():
        created = demo.seed(db, force=True)
    db.commit()
    return [(email, password) for email, role, password, _key in created if role != "student"]


def _is_page(response):
    return response.status_code == 200 and response.mimetype == "text/html"


def _starting_points(app, lang):
    """Every GET page of the URL map that needs no argument but the language."""
    paths = []
    with app.test_request_context(f"/{lang}/"):
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or set(rule.arguments) - {"lang"}:
                continue
            if rule.rule.endswith(FILES):
                continue
            try:
                paths.append(url_for(rule.endpoint, lang=lang))
            except BuildError:
                continue
    return [p for p in paths if p.startswith(f"/{lang}/")]


def _links(html, lang):
    for href in re.findall(r'<a [^>]*href="([^"#]*)', html):
        href = href.replace("&amp;", "&")
        if href.startswith(f"/{lang}/") and not href.split("?")[0].endswith(FILES):
            yield href


def _crawl(client, app, lang):
    """{path: html} of the pages this visitor reaches; the endpoints seen."""
    seen, pages, endpoints, per_route = set(), {}, set(), Counter()
    queue = _starting_points(app, lang)
    adapter = app.url_map.bind("localhost")
    while queue:
        path = queue.pop(0)
        if path in seen or "/logout" in path:
            continue
        seen.add(path)
        endpoint = adapter.match(path.split("?")[0], method="GET")[0]
        if per_route[endpoint] >= PER_ROUTE:
            continue
        response = client.get(path)
        if not _is_page(response):
            response.close()
            continue
        per_route[endpoint] += 1
        endpoints.add(endpoint)
        html = response.get_data(as_text=True)
        pages[path] = html
        queue += [link for link in _links(html, lang) if link not in seen]
    return pages, endpoints


def _report(found):
    lines = [f"{where}: {rule}: {line[:160]!r}" for where, rule, line in found]
    return f"{len(lines)} slip(s):\n" + "\n".join(sorted(set(lines))[:60])


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_follows_the_typography_of_its_language(app, demo_site, lang):
    found, endpoints, count = [], set(), 0
    for account in [None, *demo_site]:
        client = app.test_client()
        if account:
            AuthActions(client).login(*account, lang=lang)
        pages, seen = _crawl(client, app, lang)
        endpoints |= seen
        count += len(pages)
        for path, html in pages.items():
            who = account[0].split("@")[0] if account else "visitor"
            found += [(f"{who} {path}", *slip) for slip in problems(visible_text(html), lang)]
    assert not found, _report(found)
    # The crawl met every page people open, but those no link leads to.
    html_pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.arguments and "lang" in rule.arguments
    }
    missed = html_pages - endpoints - set(NOT_BY_LINKS)
    assert not [e for e in missed if not _serves_a_file(app, e)], sorted(missed)
    assert count > 150


def _serves_a_file(app, endpoint):
    """Routes whose answer is a file (PDF, CSV, image), not a page."""
    return all(rule.rule.endswith(FILES) for rule in app.url_map.iter_rules(endpoint))


PDFS = [
    # (who, path): a module handout, a guide, a campaign poster, the outcome report.
    # Not the reach report: its charts repeat the module titles in SVG, whose
    # text WeasyPrint draws with plain spaces (its tables have the right ones).
    (None, "/{lang}/modules/getting-help.pdf"),
    (None, "/{lang}/modules/street-gangs/guide.pdf"),
    (None, "/{lang}/campaigns/march-week/poster-letter.pdf"),
    ("coordination", "/{lang}/reports/outcomes.pdf"),
]


def _pdf_text(data):
    from io import BytesIO

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdfs_follow_the_typography_of_their_language(app, demo_site, lang):
    accounts = {email.split("@")[0]: (email, password) for email, password in demo_site}
    found = []
    for who, path in PDFS:
        client = app.test_client()
        if who:
            AuthActions(client).login(*accounts[who], lang=lang)
        # Public files are built ahead: the client waits as the "being
        # prepared" page does (app/pdfserve.py).
        response = ClosingClient(client).get(path.format(lang=lang))
        assert response.status_code == 200 and response.mimetype == "application/pdf", path
        text = _pdf_text(response.get_data())
        assert len(text) > 200, path
        found += [(path.format(lang=lang), *slip) for slip in problems(text, lang)]
        if lang == "fr" and "outcomes" in path:
            assert re.search(r"page 2 sur \d+", text), "the outcome report's page counter"
    assert not found, _report(found)
