"""A school asks for a presentation through the public form; a coordinator
accepts it and picks a police officer and a youth-house worker with the "find
a time" helper; the presentation is in both presenters' calendar feeds; once
it is held, the police officer records the audience. In each language, every
page checked with axe."""

from datetime import timedelta

import icalendar
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from app.presentations.models import Presentation
from app.schools import services as schools
from app.security import Role
from app.visits import sharing
from tests.browser.a11y import goto, scan
from tests.browser.test_journeys import by_label, sign_in

pytestmark = pytest.mark.browser

WORDS = {
    "fr": {
        "kind": "Une présentation du programme",
        "sent": "Merci\u00a0: votre demande est envoyée",
        "presentations": "Présentations",
        "accept": "Accepter et planifier la présentation",
        "find": "Trouver un moment",
        "use": "Choisir ce moment",
        "record": "Noter l’auditoire et les suivis",
    },
    "en": {
        "kind": "A presentation of the program",
        "sent": "Thank you: your request is sent",
        "presentations": "Presentations",
        "accept": "Accept and plan the presentation",
        "find": "Find a time",
        "use": "Use this time",
        "record": "Record the audience and follow-ups",
    },
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_school_asks_and_the_partners_present_together(
    page, second_page, live_server, db, create_user, create_school, lang
):
    words = WORDS[lang]
    police = create_user(Role.POLICE_OFFICER, name="Agente Julie Gagnon")
    worker = create_user(Role.PREVENTION_WORKER, name="Samuel Tremblay")
    coordinator = create_user(Role.COORDINATOR, name="Camille Coordination")
    school = create_school(name="École secondaire du Boisé")

    # School staff, without an account, ask for a presentation to parents.
    goto(page, f"/{lang}/request/")
    page.get_by_label(words["kind"]).check()
    by_label(page, "audience").select_option("parents")
    by_label(page, "organisation").fill("Comité de parents de l’École secondaire du Boisé")
    by_label(page, "school_id").select_option(label=school.name)
    by_label(page, "contact_name").fill("Marie Tremblay")
    by_label(page, "contact_email").fill("marie.tremblay@example.org")
    by_label(page, "preferred_periods").fill("Un avant-midi de semaine, cet automne.")
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator("h1")).to_have_text(words["sent"])

    # The coordinator accepts it and finds a time for two presenters.
    sign_in(second_page, coordinator, lang=lang)
    scan(second_page)
    nav = second_page.locator("nav.staff-nav")
    nav.get_by_role("link", name=words["presentations"]).click()
    scan(second_page)
    second_page.locator('main a[href$="/requests/"]').click()
    scan(second_page)
    second_page.locator("main table tbody a").first.click()
    scan(second_page)
    second_page.get_by_role("link", name=words["accept"]).click()
    scan(second_page)
    by_label(second_page, "police_id").select_option(label=police.name)
    by_label(second_page, "worker_id").select_option(label=worker.name)
    second_page.get_by_role("button", name=words["find"]).click()
    scan(second_page)
    second_page.get_by_role("link", name=words["use"]).first.click()
    scan(second_page)
    expect(second_page.get_by_label(police.name)).to_be_checked()
    expect(second_page.get_by_label(worker.name)).to_be_checked()
    by_label(second_page, "place").fill("Bibliothèque de l’école")
    by_label(second_page, "expected_audience").fill("60")
    second_page.locator("section[aria-labelledby=details-heading] button[type=submit]").click()
    scan(second_page)
    expect(second_page.locator("h1")).to_contain_text("Comité de parents")

    # It is in both presenters' calendars.
    presentation = db.exec(select(Presentation)).one()
    uid = f"presentation-{presentation.id}@mobilis-prevention"
    for person in (police, worker):
        token = sharing.issue_token(db, user=person, lang=lang)
        db.commit()
        response = page.request.get(f"{live_server}/ical/{token.token}.ics")
        assert response.ok
        events = icalendar.Calendar.from_ical(response.body()).walk("VEVENT")
        assert [str(e["location"]) for e in events if str(e["uid"]) == uid] == [
            "Bibliothèque de l’école"
        ]

    # The day comes and goes; the police officer records who came.
    presentation.on_date = schools.local_today() - timedelta(days=1)
    db.commit()
    sign_in(page, police, lang=lang)
    scan(page)
    goto(page, f"/{lang}/presentations/{presentation.id}/")
    page.get_by_role("link", name=words["record"]).click()
    scan(page)
    by_label(page, "actual_audience").fill("52")
    by_label(page, "follow_ups").fill("Deux enseignantes demandent une visite en février.")
    page.locator("main form button[type=submit]").click()
    scan(page)
    expect(page.locator("dl.facts")).to_contain_text("52")
