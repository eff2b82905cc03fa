"""Schools in the loop, through the pages: the share link and its copy button
at the top of the visit page, the school's contact person on the visit and
share pages, and a calendar feed that follows the visit's status."""

from datetime import date

import icalendar
import pytest

from app.schools import services as schools
from tests.conftest import AuthActions, post_with_token
from tests.visits_factory import add_session, make_visit


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 1))


def _share(client, visit, lang):
    """Make the school's link from the visit page: (the answer's page, the link)."""
    page = post_with_token(
        client, f"/{lang}/visits/{visit.id}/share", token_page=f"/{lang}/visits/{visit.id}/"
    ).get_data(as_text=True)
    link = page.split('id="share-link" value="', 1)[1].split('"', 1)[0]
    return page, link


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_link_and_its_copy_button_are_at_the_top_of_the_visit_page(client, db, setting, lang):
    visit = make_visit(db, setting)
    add_session(db, visit, setting)
    AuthActions(client).login(setting["workers"][0].email, lang=lang)
    page = client.get(f"/{lang}/visits/{visit.id}/").get_data(as_text=True)
    assert page.index('id="share"') < page.index('class="visit-grid"')

    page, link = _share(client, visit, lang)
    assert link.startswith(f"http://localhost/{lang}/s/")
    top = page.split('class="visit-grid"', 1)[0]
    assert '<input type="text" id="share-link"' in top and "readonly" in top
    assert 'data-copy="share-link"' in top and 'data-copy="feed-https"' in top
    assert '<script src="/static/js/copy.js' in page
    assert "<script>" not in page, "no inline script (CSP)"
    assert (
        client.application.test_client().get(link.removeprefix("http://localhost")).status_code
        == 200
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_school_contact_is_on_the_visit_and_share_pages(client, db, setting, lang):
    school = setting["school"]
    visit = make_visit(db, setting)
    add_session(db, visit, setting)
    AuthActions(client).login(setting["workers"][0].email, lang=lang)
    edit = f"/{lang}/schools/{school.id}/edit"
    saved = post_with_token(
        client,
        edit,
        {
            "name": school.name,
            "service_centre_id": school.service_centre_id,
            "city": school.city,
            "region_code": school.region_code,
            "contact_name": "Nadia Lefebvre",
            "contact_email": "n.lefebvre@example.org",
            "contact_phone": "450 555-0142",
            "bell_schedule": "08:15-09:30 09:40-10:55 11:05-12:20 13:20-14:35",
        },
    )
    assert saved.status_code == 302
    visit_page = client.get(f"/{lang}/visits/{visit.id}/").get_data(as_text=True)
    _page, link = _share(client, visit, lang)
    shared = client.application.test_client().get(link.removeprefix("http://localhost"))
    for page in (visit_page, shared.get_data(as_text=True)):
        assert "Nadia Lefebvre" in page
        assert 'href="mailto:n.lefebvre@example.org"' in page
        assert 'href="tel:450555-0142"' in page and "450 555-0142" in page


def _feed_event(client, link, session_id):
    token = link.rstrip("/").rsplit("/", 1)[1]
    calendar = icalendar.Calendar.from_ical(client.get(f"/ical/{token}.ics").data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[f"class-session-{session_id}@mobilis-prevention"]
    return str(event["status"]), int(event["sequence"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_school_feed_follows_the_visit_status(client, db, setting, lang):
    visit = make_visit(db, setting)
    session = add_session(db, visit, setting)
    AuthActions(client).login(setting["workers"][0].email, lang=lang)
    _page, link = _share(client, visit, lang)
    school = client.application.test_client()
    assert _feed_event(school, link, session.id) == ("TENTATIVE", 0)

    seen = []
    for status in ("confirmed", "cancelled"):
        response = post_with_token(
            client,
            f"/{lang}/visits/{visit.id}/status/{status}",
            token_page=f"/{lang}/visits/{visit.id}/",
        )
        assert response.status_code == 302
        seen.append(_feed_event(school, link, session.id))
    assert [status for status, _ in seen] == ["CONFIRMED", "CANCELLED"]
    assert 0 < seen[0][1] < seen[1][1], "SEQUENCE goes up with each change"
