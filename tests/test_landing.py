"""After signing in, each role lands on its work, not on "My account": a
prevention worker on the agenda (what they gave and have to record, then
this week's sessions), a youth worker on the inbox, a coordinator on the
requests waiting and the figures, a police officer on the coming
presentations, an administrator on the accounts. A safe `next` still wins,
and "My account" stays in the menu."""

from datetime import UTC, date, datetime, time

import pytest

from app.presentations.models import Presentation, PresentationPresenter, SchoolRequest
from app.schools import services as schools
from app.security import Role
from app.visits import records
from app.visits.models import SessionPresenter
from tests.conftest import PASSWORD, AuthActions, fresh_code
from tests.visits_factory import add_session, make_visit

WORK = {
    Role.PREVENTION_WORKER: "/{lang}/agenda/",
    Role.YOUTH_WORKER: "/{lang}/inbox/",
    Role.COORDINATOR: "/{lang}/coordination/",
    Role.POLICE_OFFICER: "/{lang}/presentations/",
    Role.ADMIN: "/{lang}/admin/users/",
}


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


def _section(html, heading_id):
    """The page's text from the heading `heading_id` to the next <h2>."""
    rest = html.split(f'id="{heading_id}"', 1)[1]
    return rest.split("<h2", 1)[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("role", list(WORK))
def test_each_role_lands_on_its_work(client, auth, create_user, role, lang):
    user = create_user(role)
    response = auth.login(user.email, lang=lang)
    work = WORK[role].format(lang=lang)
    assert response.status_code == 302
    assert response.headers["Location"] == work
    page = client.get(work)
    assert page.status_code == 200
    assert f'href="/{lang}/account/"' in page.get_data(as_text=True)  # still in the menu
    # Signed in already, the sign-in page sends there too.
    assert client.get(f"/{lang}/login").headers["Location"] == work


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.YOUTH_WORKER])
def test_a_safe_next_still_wins_and_an_unsafe_one_lands_on_the_work(app, create_user, role):
    user = create_user(role)
    for target, expected in (("/fr/schools/", "/fr/schools/"), ("//evil.example/", WORK[role])):
        client = app.test_client()
        auth = AuthActions(client)
        response = client.post(
            f"/fr/login?next={target}",
            data={"email": user.email, "password": PASSWORD, "csrf_token": auth.csrf_token()},
        )
        if response.headers["Location"].endswith("/login/code"):
            engine = app.extensions["mobilis_engine"]
            response = auth.send_code(fresh_code(engine, user.email))
        assert response.headers["Location"] == expected.format(lang="fr"), target


def test_the_agenda_shows_what_to_record_then_this_week_then_later(
    client, auth, db, setting, create_group, monkeypatch
):
    # Thursday 8 October 2026, in a visit that began on Tuesday.
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 8))
    visit = make_visit(db, setting)
    given = add_session(db, visit, setting, day=date(2026, 10, 6))
    recorded = add_session(db, visit, setting, group=1, module=1, day=date(2026, 10, 7))
    records.record_delivery(
        db,
        class_session=recorded,
        record=records.Record(attendance=24, delivered_module_id=setting["modules"][1].id),
        by=None,
        today=date(2026, 10, 8),
    )
    db.commit()
    add_session(db, visit, setting, group=1, day=date(2026, 10, 9), period=2)
    setting["groups"].append(create_group(setting["school"], "202", "sec2"))
    add_session(db, visit, setting, group=2, day=date(2026, 10, 14), period=3)
    auth.login(setting["workers"][0].email, lang="en")

    html = client.get("/en/agenda/").get_data(as_text=True)

    assert html.index('id="to-record-heading"') < html.index('id="week-heading"')
    to_record = _section(html, "to-record-heading")
    assert f"/en/visits/{visit.id}/sessions/{given.id}/deliver" in to_record
    assert f"/sessions/{recorded.id}/deliver" not in to_record
    assert "1 session you gave is not recorded yet" in to_record
    this_week = _section(html, "week-heading")
    assert "Friday, October 9, 2026" in this_week and "October 14" not in this_week
    assert "Wednesday, October 14, 2026" in _section(html, "next-heading")


def test_who_may_not_record_sees_nothing_to_record(client, auth, db, setting, monkeypatch):
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 8))
    visit = make_visit(db, setting)
    given = add_session(db, visit, setting, day=date(2026, 10, 6))
    # The police officer of the visit, named a presenter of the session too.
    db.add(SessionPresenter(session_id=given.id, user_id=setting["police"].id))
    db.commit()
    auth.login(setting["police"].email)
    html = client.get("/fr/agenda/").get_data(as_text=True)
    assert "to-record-heading" not in html and "/deliver" not in html


def test_the_coordinator_sees_the_requests_waiting_then_the_figures(
    client, auth, db, create_user, create_school
):
    school = create_school(name="École secondaire Jacques-Rousseau")
    db.add_all(
        [
            SchoolRequest(
                kind=kind,
                organisation=name,
                school_id=school.id,
                contact_name="Nadia Lefebvre",
                contact_email="nadia@example.org",
                preferred_periods="En février",
                created_at=datetime(2026, 11, day, 14, 0, tzinfo=UTC),
                status=status,
            )
            for kind, name, day, status in (
                ("visit", "Demande plus récente", 20, "open"),
                ("presentation", "Demande la plus ancienne", 2, "open"),
                ("visit", "Demande déjà acceptée", 1, "accepted"),
            )
        ]
    )
    db.commit()
    auth.login(create_user(Role.COORDINATOR).email, lang="en")

    html = client.get("/en/coordination/").get_data(as_text=True)

    waiting = _section(html, "waiting-heading")
    assert "2 requests are waiting for an answer" in waiting
    assert waiting.index("Demande la plus ancienne") < waiting.index("Demande plus récente")
    assert "Demande déjà acceptée" not in waiting and 'href="/en/requests/"' in waiting
    figures = _section(html, "figures-heading")
    assert "summary-caption" in figures and 'href="/en/reports/"' in figures


def test_the_police_officer_lands_on_the_coming_presentations(
    client, auth, db, create_user, monkeypatch
):
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 8))
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    for name, day in (("Parents à venir", date(2026, 11, 3)), ("Parents passés", date(2026, 9, 1))):
        talk = Presentation(
            audience="parents",
            organisation=name,
            on_date=day,
            starts_at=time(19, 0),
            ends_at=time(20, 0),
            place="Gymnase",
        )
        db.add(talk)
        db.flush()
        for person in (police, worker):
            db.add(PresentationPresenter(presentation_id=talk.id, user_id=person.id))
    db.commit()
    response = auth.login(police.email)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Parents à venir" in html and "Parents passés" not in html
