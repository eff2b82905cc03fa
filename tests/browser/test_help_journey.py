"""A student asks anonymously and keeps the passphrase; a youth worker answers;
the student comes back with the passphrase and reads the answer. In each
language, every page checked with axe."""

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {"topic": "Pression, argent, cadeaux, dettes", "questions": "Questions"},
    "en": {"topic": "Pressure, money, gifts, debts", "questions": "Questions"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_student_asks_and_reads_the_answer(page, second_page, create_user, lang):
    worker = create_user(Role.YOUTH_WORKER, name="Léa Gagnon")
    question = {
        "fr": "Un gars plus vieux me donne des cadeaux et veut que je garde de l’argent pour lui.",
        "en": "An older guy gives me gifts and wants me to keep money for him.",
    }[lang]

    # The student: the question, then the passphrase, kept.
    goto(page, f"/{lang}/help/")
    expect(page.locator("#quick-exit")).to_be_visible()
    by_label(page, "body").fill(question)
    page.get_by_label(WORDS[lang]["topic"]).check()
    page.locator("main form button[type=submit]").click()
    scan(page)
    passphrase = page.locator("#passphrase").inner_text().strip()
    assert len(passphrase.split()) == 6
    expect(page.locator("#copy-passphrase")).to_be_visible()

    # The youth worker, in their own browser.
    goto(second_page, f"/{lang}/login")
    by_label(second_page, "email").fill(worker.email)
    by_label(second_page, "password").fill(PASSWORD)
    second_page.locator("main form button[type=submit]").click()
    scan(second_page)
    second_page.locator("nav.staff-nav").get_by_role("link", name=WORDS[lang]["questions"]).click()
    scan(second_page)
    second_page.locator("main table tbody a").first.click()
    scan(second_page)
    expect(second_page.locator(".message-student")).to_contain_text(question)
    answer = {
        "fr": "Merci de nous écrire. Garder de l’argent pour quelqu’un, c’est un signal d’alarme.",
        "en": "Thank you for writing. Keeping money for someone is a warning sign.",
    }[lang]
    by_label(second_page, "body").fill(answer)
    second_page.locator("#reply-heading ~ form button[type=submit]").click()
    scan(second_page)
    expect(second_page.locator(".message-worker")).to_contain_text(answer)

    # The student comes back, typing the passphrase loosely.
    page.get_by_role("link", name={"fr": "Lire la réponse", "en": "Read the answer"}[lang]).click()
    scan(page)
    by_label(page, "passphrase").fill(passphrase.upper().replace(" ", " - "))
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator(".message-worker")).to_contain_text(answer)
    by_label(page, "body").fill({"fr": "Merci beaucoup.", "en": "Thank you."}[lang])
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator(".message-student")).to_have_count(2)
