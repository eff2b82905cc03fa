"""A coordinator assigns a youth worker to a school; a student of that school
asks anonymously and keeps the passphrase; the assigned youth worker answers;
the student comes back with the passphrase and reads the answer. In each
language, every page checked with axe."""

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import SIGN_OUT, by_label, sign_in

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {
        "topic": "Pression, argent, cadeaux, dettes",
        "questions": "Questions",
        "assign": "Intervenantes et intervenants qui répondent aux questions de cette école",
    },
    "en": {
        "topic": "Pressure, money, gifts, debts",
        "questions": "Questions",
        "assign": "Youth workers who answer this school’s questions",
    },
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_student_asks_and_reads_the_answer(page, second_page, create_user, create_school, lang):
    create_user(Role.YOUTH_WORKER, name="Marc Roy")  # free too, but not this school's
    worker = create_user(Role.YOUTH_WORKER, name="Léa Gagnon")
    coordinator = create_user(Role.COORDINATOR)
    school = create_school(name="École secondaire du Boisé")

    # The coordinator sends this school's questions to Léa.
    sign_in(second_page, coordinator, lang=lang)
    scan(second_page)
    goto(second_page, f"/{lang}/schools/{school.id}/")
    second_page.get_by_role("link", name=WORDS[lang]["assign"]).click()
    scan(second_page)
    by_label(second_page, "user_id").select_option(label="Léa Gagnon")
    second_page.locator("main form:not(.inline-form) button[type=submit]").click()
    scan(second_page)
    expect(second_page.locator("main ul.plain-list").first).to_contain_text("Léa Gagnon")
    second_page.locator(SIGN_OUT).click()
    scan(second_page)
    question = {
        "fr": "Un gars plus vieux me donne des cadeaux et veut que je garde de l’argent pour lui.",
        "en": "An older guy gives me gifts and wants me to keep money for him.",
    }[lang]

    # The student: the question, then the passphrase, kept.
    goto(page, f"/{lang}/help/")
    expect(page.locator("#quick-exit")).to_be_visible()
    by_label(page, "body").fill(question)
    page.get_by_label(WORDS[lang]["topic"]).check()
    by_label(page, "school_id").select_option(label=school.name)
    page.locator("main form button[type=submit]").click()
    scan(page)
    passphrase = page.locator("#passphrase").inner_text().strip()
    assert len(passphrase.split()) == 6
    expect(page.locator("#copy-passphrase")).to_be_visible()

    # The youth worker, in their own browser: the question came to her.
    sign_in(second_page, worker, lang=lang)
    scan(second_page)
    second_page.locator("nav.staff-nav").get_by_role("link", name=WORDS[lang]["questions"]).click()
    scan(second_page)
    # On a phone, between two classes: the card says what waits, and fits.
    second_page.set_viewport_size({"width": 390, "height": 844})
    card = second_page.locator("main .inbox-item").first
    expect(card.locator(".tag-new")).to_be_visible()
    expect(card.locator(".inbox-preview")).to_contain_text(question[:40])
    assert second_page.evaluate("document.documentElement.scrollWidth") <= 390
    second_page.set_viewport_size({"width": 1280, "height": 900})
    card.get_by_role("link").first.click()
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
    # Written after the answer, shown after it.
    expect(page.locator(".conversation li").last).to_contain_text(
        {"fr": "Merci beaucoup.", "en": "Thank you."}[lang]
    )
