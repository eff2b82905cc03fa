"""A class answers its questionnaire on a phone (390 px, touch), before its
first session and after its last, by scanning the code's address, with no
sign-in; then a coordinator opens the outcome report and sees what changed,
with its interval. Every page checked with axe."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser import a11y
from tests.browser.a11y import goto, scan
from tests.browser.conftest import _CALL_FAILED, TIMEOUT_MS
from tests.browser.test_journeys import sign_in
from tests.evaluation_factory import TODAY, code_of
from tests.visits_factory import add_session, make_visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
STUDENTS = 5  # the suppression threshold: fewer would be left out of the report


@pytest.fixture
def phones(browser, live_server, axe_source, request):
    """Students' phones, one each: touch screen, no mouse, French Canadian."""
    opened = []

    def new_phone():
        context = browser.new_context(
            base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-CA"
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        opened.append((context, page, a11y.Checks(page, axe_source)))
        return page

    yield new_phone
    problems = []
    for context, page, checks in opened:
        context.close()
        problems += checks.problems()
        checks.forget(page)
    if not request.node.stash.get(_CALL_FAILED, True) and problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def visit(app, db, setting, today):
    """Group 201 sees the program's first module today and its second a week later."""
    made = make_visit(db, setting, start=TODAY)
    add_session(db, made, setting, group=0, module=0, day=TODAY)
    add_session(db, made, setting, group=0, module=1, day=TODAY + timedelta(days=8), period=2)
    db.commit()
    return made


def _answer(phone, url, *, knows, truth):
    """One student: taps an answer for each statement (the right one when
    `knows`, from `truth`: {statement: answer}; else "Je ne sais pas"),
    agrees or not, and sends."""
    goto(phone, url)
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for group in phone.locator("fieldset.question").all():
        radios = group.get_by_role("radio")
        if radios.count() == 4:  # a confidence statement, from disagree to agree
            choice = radios.nth(3 if knows else 1)
        elif knows:  # "Vrai" first, then "Faux"
            choice = radios.nth(0 if truth[group.locator("legend").inner_text().strip()] else 1)
        else:
            choice = radios.nth(2)
        choice.tap()
    with phone.expect_navigation():
        phone.get_by_role("button", name=re.compile("Envoyer mes réponses|Send my answers")).tap()
    scan(phone)
    expect(phone.locator("[role=status]")).to_be_visible()


def test_a_class_answers_before_and_after_and_the_report_shows_the_change(
    phones, page, app, db, setting, visit, today, create_user
):
    code = code_of(app, db, visit, setting["groups"][0])
    url = f"/fr/q/{code}/"
    questions = app.extensions["evaluation"].get()
    truth = {
        statement.text["fr"]: statement.answer
        for module in setting["modules"][:2]
        for statement in questions.of_module(module.slug)
    }

    # A student who cannot scan types the code: lower case, with a space.
    phone = phones()
    goto(phone, "/fr/q/")
    phone.locator("#code").fill(code.lower().replace("-", " "))
    with phone.expect_navigation(url=re.compile(r"/fr/q/\w+/$")):
        phone.locator("main form button[type=submit]").tap()
    scan(phone)
    expect(phone).to_have_url(re.compile(f"/fr/q/{code.replace('-', '')}/$"))
    expect(phone.locator("html")).to_have_attribute("lang", "fr")
    expect(phone.locator("#quick-exit")).to_be_visible()

    # Before: the first session's day. Nobody knows much yet.
    _answer(phone, url, knows=False, truth=truth)
    for _student in range(STUDENTS - 1):
        _answer(phones(), url, knows=False, truth=truth)

    # After: the last session's day, the same statements. Everyone knows.
    today.set(TODAY + timedelta(days=8))
    for _student in range(STUDENTS):
        phone = phones()
        _answer(phone, url, knows=True, truth=truth)
    expect(phone.locator("dl.answers dt").first).to_be_visible()  # the answers, explained

    # The coordinator's outcome report shows the change, with its interval.
    sign_in(page, create_user(Role.COORDINATOR), lang="en")
    scan(page)
    goto(page, "/en/reports/outcomes?period=school_year&year=2026")
    row = page.locator("#knowledge-all")
    expect(row).to_contain_text("0.0%")
    expect(row).to_contain_text("100.0%")
    expect(row).to_contain_text("+100.0")
    expect(row.locator(".interval")).to_have_text(re.compile(r"^\[\d+\.\d, 100\.0\]$"))
    completed = page.locator("#completed-responses_before")
    expect(completed).to_contain_text(str(STUDENTS))
