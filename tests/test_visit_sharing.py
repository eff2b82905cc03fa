"""The school's share link, the calendar feeds, the schedule PDF, adjusting a
session, the agenda and workers' absences."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pypdf
import pytest
from sqlmodel import select

from app.scheduling import availability, busy
from app.scheduling.models import Absence
from app.schools import services as schools
from app.security import Role
from app.visits import planning, services, sharing
from app.visits.models import ClassSession, ShareToken
from tests.conftest import AuthActions, extract_csrf_token, post_with_token
from tests.visits_factory import TRAVEL, add_session, deliver, make_visit

MONTREAL = ZoneInfo("America/Montreal")


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The pages show what is current: pin 'today' to the fixtures' school year."""
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 1))


def _login(client, user, lang="fr"):
    AuthActions(client).login(user.email, lang=lang)


def _events(body):
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, {str(e["uid"]): e for e in calendar.walk("VEVENT")}


# The share link --------------------------------------------------------------


def test_the_share_link_opens_the_schedule_without_signing_in(client, db, setting):
    visit = make_visit(db, setting)
    add_session(db, visit, setting)
    worker = setting["workers"][0]
    _login(client, worker)
    assert "share-link" not in client.get(f"/fr/visits/{visit.id}/").get_data(as_text=True)
    response = post_with_token(
        client, f"/fr/visits/{visit.id}/share", token_page=f"/fr/visits/{visit.id}/"
    )
    assert response.status_code == 200  # the link is shown once, on this page
    page = response.get_data(as_text=True)
    token = page.split('id="share-link" value="http://localhost/fr/s/', 1)[1][:43]
    assert db.exec(select(ShareToken)).one().school_id == setting["school"].id
    assert f"/ical/{token}.ics" in page and f"webcal://localhost/ical/{token}.ics" in page
    page = client.get(f"/fr/visits/{visit.id}/").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == f"Visite\u00a0: {setting['school'].name} · MOBILIS Prévention"
    assert page.count('id="share"') == 1

    anonymous = client.application.test_client()
    for lang, words in (("fr", "Calendrier de la visite"), ("en", "Visit schedule")):
        response = anonymous.get(f"/{lang}/s/{token}/")
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert setting["school"].name in text and "201" in text
        assert setting["modules"][0].title(lang) in text
        assert worker.name not in text  # no presenter's name on the school's page
        assert response.headers["Cache-Control"] == "no-store"
        assert "noindex" in response.headers["X-Robots-Tag"]
        assert words in text


def test_a_revoked_or_renewed_link_opens_nothing(client, db, setting):
    visit = make_visit(db, setting)
    first = sharing.issue_token(db, school=setting["school"], lang="fr")
    db.commit()
    anonymous = client.application.test_client()
    assert anonymous.get(f"/fr/s/{first.token}/").status_code == 200
    second = sharing.issue_token(db, school=setting["school"], lang="en")
    db.commit()
    assert anonymous.get(f"/fr/s/{first.token}/").status_code == 404
    assert anonymous.get(f"/ical/{first.token}.ics").status_code == 404
    assert anonymous.get(f"/fr/s/{second.token}/").status_code == 200

    _login(client, setting["workers"][0])
    path = f"/fr/visits/{visit.id}/share/revoke"
    page = client.get(path)
    assert page.status_code == 200 and "Désactiver" in page.get_data(as_text=True)
    assert anonymous.get(f"/fr/s/{second.token}/").status_code == 200  # asking is not doing
    assert post_with_token(client, path).status_code == 302
    for path in (f"/fr/s/{second.token}/", f"/en/s/{second.token}/schedule.pdf"):
        assert anonymous.get(path).status_code == 404
    assert anonymous.get(f"/ical/{second.token}.ics").status_code == 404
    assert anonymous.get("/fr/s/not-a-token/").status_code == 404
    assert anonymous.get("/ical/not-a-token.ics").status_code == 404
    # A NUL byte is no token either (PostgreSQL refused it in the look-up: a 500).
    assert anonymous.get("/fr/s/not%00a-token/").status_code == 404
    assert anonymous.get("/ical/not%00a-token.ics").status_code == 404


def test_a_person_token_does_not_open_a_school_page(client, db, setting):
    token = sharing.issue_token(db, user=setting["workers"][0], lang="fr")
    db.commit()
    assert client.get(f"/fr/s/{token.token}/").status_code == 404
    assert client.get(f"/ical/{token.token}.ics").status_code == 200


def test_police_officers_cannot_make_a_link(client, db, setting):
    visit = make_visit(db, setting)
    _login(client, setting["police"])
    page = client.get(f"/fr/visits/{visit.id}/").get_data(as_text=True)
    assert f"/fr/visits/{visit.id}/share" not in page
    token = extract_csrf_token(page)
    response = client.post(f"/fr/visits/{visit.id}/share", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.exec(select(ShareToken)).first() is None


# The calendar feeds ------------------------------------------------------------


def test_the_school_feed_is_valid_icalendar_with_stable_uids(client, db, setting):
    visit = make_visit(db, setting)
    first = add_session(db, visit, setting, period=2)
    second = add_session(db, visit, setting, group=1, day=date(2026, 10, 7))
    token = sharing.issue_token(db, school=setting["school"], lang="en")
    db.commit()
    response = client.get(f"/ical/{token.token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = _events(response.data)
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/Montreal"]
    assert set(events) == {
        f"class-session-{first.id}@mobilis-prevention",
        f"class-session-{second.id}@mobilis-prevention",
    }
    event = events[f"class-session-{first.id}@mobilis-prevention"]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime(2026, 10, 6, 9, 40, tzinfo=MONTREAL)
    assert end == datetime(2026, 10, 6, 10, 55, tzinfo=MONTREAL)
    assert event["dtstart"].params["TZID"] == "America/Montreal"
    # A visit not confirmed yet: pencilled in (tests/test_visit_records.py follows it).
    assert int(event["sequence"]) == 0 and str(event["status"]) == "TENTATIVE"
    assert "201" in str(event["summary"]) and setting["school"].name in str(event["location"])
    assert setting["modules"][0].title("en") in str(event["summary"])

    # A move and a cancellation: same UIDs, higher SEQUENCE, the cancelled one kept.
    services.update_session(
        db,
        class_session=first,
        module=setting["modules"][0],
        on_date=date(2026, 10, 8),
        first_period=1,
        period_count=1,
        room="B-204",
        presenters=[setting["workers"][1]],
        travel_minutes=TRAVEL,
    )
    services.cancel_session(db, class_session=second, reason="Sortie éducative")
    db.commit()
    _, events = _events(client.get(f"/ical/{token.token}.ics").data)
    moved = events[f"class-session-{first.id}@mobilis-prevention"]
    assert moved.decoded("dtstart") == datetime(2026, 10, 8, 8, 15, tzinfo=MONTREAL)
    assert int(moved["sequence"]) == 1 and "B-204" in str(moved["location"])
    cancelled = events[f"class-session-{second.id}@mobilis-prevention"]
    assert str(cancelled["status"]) == "CANCELLED" and int(cancelled["sequence"]) == 1


def test_a_worker_feed_holds_only_their_sessions_in_their_language(client, db, setting):
    visit = make_visit(db, setting)
    mine = add_session(db, visit, setting, worker=0)
    add_session(db, visit, setting, group=1, worker=1)
    worker = setting["workers"][0]
    _login(client, worker, lang="fr")
    page = client.get("/fr/agenda/").get_data(as_text=True)
    assert "/ical/" not in page
    response = post_with_token(client, "/fr/agenda/feed", token_page="/fr/agenda/")
    assert response.status_code == 200  # the address is shown once, on this page
    row = db.exec(select(ShareToken)).one()
    assert row.user_id == worker.id and row.lang == "fr"
    page = response.get_data(as_text=True)
    token = page.split('id="feed-https" value="http://localhost/ical/', 1)[1][:43]
    assert f"webcal://localhost/ical/{token}.ics" in page

    anonymous = client.application.test_client()
    _, events = _events(anonymous.get(f"/ical/{token}.ics").data)
    assert list(events) == [f"class-session-{mine.id}@mobilis-prevention"]
    summary = str(events[f"class-session-{mine.id}@mobilis-prevention"]["summary"])
    assert setting["modules"][0].title("fr") in summary and "groupe 201" in summary
    assert setting["school"].name in summary

    worker.active = False
    db.add(worker)
    db.commit()
    assert anonymous.get(f"/ical/{token}.ics").status_code == 404


def test_a_cancelled_visit_cancels_its_events(client, db, setting):
    visit = make_visit(db, setting)
    session = add_session(db, visit, setting)
    token = sharing.issue_token(db, school=setting["school"], lang="fr")
    services.set_visit_status(db, visit=visit, status="cancelled")
    db.commit()
    _, events = _events(client.get(f"/ical/{token.token}.ics").data)
    event = events[f"class-session-{session.id}@mobilis-prevention"]
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


# The schedule PDF ----------------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [("fr", "Calendrier"), ("en", "Visit schedule")])
def test_the_schedule_pdf_in_either_language(client, db, setting, lang, words):
    visit = make_visit(db, setting)
    add_session(db, visit, setting, period=2)
    _login(client, setting["police"])
    response = client.get(f"/{lang}/visits/{visit.id}/schedule.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert words in text and setting["school"].name in text
    squeezed = "".join(text.split())  # extraction splits words at kerning
    assert "201" in text and "".join(setting["modules"][0].title(lang).split()) in squeezed


# Adjusting a session ----------------------------------------------------------------


def test_a_session_is_moved_over_http_and_a_clash_saves_nothing(client, db, setting):
    visit = make_visit(db, setting)
    first = add_session(db, visit, setting)
    add_session(db, visit, setting, group=1, period=2)
    _login(client, setting["workers"][0], lang="en")
    path = f"/en/visits/{visit.id}/sessions/{first.id}/edit"
    page = client.get(path).get_data(as_text=True)
    assert "Change the session of group 201" in page
    data = {
        "module_id": setting["modules"][0].id,
        "on_date": "2026-10-06",
        "first_period": 2,  # where worker 0 already presents to group 301
        "period_count": 1,
        "room": "B-204",
        "presenters": [setting["workers"][0].id],
    }
    response = post_with_token(client, path, data)
    assert response.status_code == 409
    assert "A presenter is in two places at once." in response.get_data(as_text=True)
    db.expire_all()
    kept = db.get(ClassSession, first.id)
    assert (kept.first_period, kept.room, kept.revision) == (1, "", 0)

    response = post_with_token(client, path, {**data, "on_date": "2026-10-07"})
    assert response.status_code == 302
    db.expire_all()
    moved = db.get(ClassSession, first.id)
    assert (moved.on_date, moved.first_period, moved.room) == (date(2026, 10, 7), 2, "B-204")
    assert moved.revision == 1


def test_a_delivered_session_cannot_be_changed(client, db, setting):
    visit = make_visit(db, setting)
    session = add_session(db, visit, setting)
    deliver(db, session, attendance=25, module=setting["modules"][0])
    db.commit()
    with pytest.raises(services.VisitError):
        services.update_session(
            db,
            class_session=session,
            module=setting["modules"][0],
            on_date=date(2026, 10, 7),
            first_period=1,
            period_count=1,
            room="",
            presenters=[setting["workers"][0]],
            travel_minutes=TRAVEL,
        )
    db.rollback()
    _login(client, setting["workers"][0])
    response = client.get(f"/fr/visits/{visit.id}/sessions/{session.id}/edit")
    assert response.status_code == 302


# The agenda and absences ----------------------------------------------------------


def test_the_agenda_lists_my_next_sessions_with_their_materials(client, db, setting):
    visit = make_visit(db, setting)
    add_session(db, visit, setting, worker=0, period=2)
    add_session(db, visit, setting, group=1, module=1, worker=1)
    _login(client, setting["workers"][0], lang="en")
    page = client.get("/en/agenda/").get_data(as_text=True)
    slug = setting["modules"][0].slug
    assert f"/en/modules/{slug}/guide/" in page and f"/en/modules/{slug}.pdf" in page
    assert setting["modules"][1].slug not in page  # the other worker's session
    assert "9:40" in page and "201" in page


def test_the_agenda_is_paginated(client, db, setting, create_group):
    visit = make_visit(db, setting)
    days = services.visit_days(db, visit=visit)
    for n in range(22):  # 22 sessions: two pages of 20
        services.add_session(
            db,
            visit=visit,
            class_group=create_group(setting["school"], f"G{n:02d}", "sec2"),
            module=setting["modules"][0],
            on_date=days[n % 10],
            first_period=1 + n // 10,
            presenters=[setting["workers"][0]],
            travel_minutes=TRAVEL,
        )
    db.commit()
    _login(client, setting["workers"][0])
    first = client.get("/fr/agenda/").get_data(as_text=True)
    assert "page 1 sur 2" in first and 'rel="next"' in first
    assert client.get("/fr/agenda/?page=2").status_code == 200
    assert client.get("/fr/agenda/?page=3").status_code == 404


def test_absences_are_added_checked_and_removed_by_their_owner(client, db, setting, create_user):
    worker = setting["workers"][0]
    _login(client, worker)
    bad = post_with_token(
        client,
        "/fr/agenda/absences",
        {"on_date": "2026-10-06", "starts_at": "10:00", "ends_at": ""},
        token_page="/fr/agenda/",
    )
    assert bad.status_code == 200
    assert "les deux heures" in bad.get_data(as_text=True)
    reversed_times = {"on_date": "2026-10-06", "starts_at": "11:00", "ends_at": "10:00"}
    assert (
        post_with_token(client, "/fr/agenda/absences", reversed_times, "/fr/agenda/").status_code
        == 200
    )
    assert db.exec(select(Absence)).first() is None
    good = {"on_date": "2026-10-06", "starts_at": "", "ends_at": "", "note": "Formation"}
    assert post_with_token(client, "/fr/agenda/absences", good, "/fr/agenda/").status_code == 302
    absence = db.exec(select(Absence)).one()
    assert absence.user_id == worker.id and absence.starts_at is None

    AuthActions(client).logout()
    _login(client, setting["workers"][1])
    path = f"/fr/agenda/absences/{absence.id}/delete"
    assert post_with_token(client, path, token_page="/fr/agenda/").status_code == 404
    AuthActions(client).logout()
    _login(client, worker)
    assert post_with_token(client, path, token_page="/fr/agenda/").status_code == 302
    assert db.exec(select(Absence)).first() is None


def test_the_planner_books_nobody_during_an_absence(db, setting):
    visit = make_visit(db, setting)
    first, second = setting["workers"]
    days = services.visit_days(db, visit=visit)
    for day in days[:5]:
        availability.add_absence(db, user=first, on_date=day)
    availability.add_absence(
        db, user=second, on_date=days[5], starts_at=time(9, 0), ends_at=time(10, 0)
    )
    db.commit()
    outcome = planning.plan_visit(db, visit=visit, travel_minutes=TRAVEL)
    db.commit()
    assert outcome.placed > 0
    for row in busy.class_session_bookings(db, visit.sessions):
        if row.day in days[:5]:
            assert first.id not in row.presenter_ids
        if row.day == days[5]:
            overlaps = row.starts_at < time(10, 0) and time(9, 0) < row.ends_at
            assert not (overlaps and second.id in row.presenter_ids)


def test_only_whole_times_make_an_absence(db, setting):
    worker = setting["workers"][0]
    with pytest.raises(availability.AbsenceError):
        availability.add_absence(db, user=worker, on_date=date(2026, 10, 6), starts_at=time(9))
    with pytest.raises(availability.AbsenceError):
        availability.add_absence(
            db, user=worker, on_date=date(2026, 10, 6), starts_at=time(9), ends_at=time(9)
        )
    slots = availability.unavailable_slots(
        db,
        worker_ids=[worker.id],
        days=[date(2026, 10, 6)],
        periods=((time(8, 15), time(9, 30)), (time(9, 40), time(10, 55))),
    )
    assert slots == frozenset()


def test_only_staff_have_an_agenda(client, create_user):
    assert client.get("/fr/agenda/").status_code == 302
    _login(client, create_user(Role.YOUTH_WORKER))
    page = client.get("/en/agenda/").get_data(as_text=True)
    assert "No session is planned for you." in page
