"""Joint presentations and school requests, as behaviour contracts: the joint
rule, conflicts across visits and presentations, the "find a time" helper,
request validation and spam defences, who may see and change what, feeds."""

import time as clock
from datetime import date, time

import icalendar
import pytest
from sqlmodel import func, select

from app.presentations import services
from app.presentations.models import (
    Presentation,
    PresentationStatus,
    RequestStatus,
    SchoolRequest,
)
from app.presentations.request_views import form_stamp
from app.scheduling import availability, slots
from app.security import Role
from app.visits import services as visits
from app.visits import sharing
from app.visits.planning import plan_visit
from tests.conftest import AuthActions, extract_csrf_token
from tests.visits_factory import TRAVEL, add_session, make_visit

DAY = date(2026, 10, 6)  # a Tuesday of the visit in tests/visits_factory.py


def values(**overrides):
    return {
        "audience": "staff",
        "organisation": "École secondaire du Boisé",
        "school_id": None,
        "service_centre_id": None,
        "on_date": DAY,
        "starts_at": time(13, 0),
        "ends_at": time(14, 0),
        "online": False,
        "place": "Centre communautaire, 100 rue Principale",
        "expected_audience": 40,
        "notes": "",
        **overrides,
    }


def save(db, presenters, **overrides):
    return services.save_presentation(
        db, values=values(**overrides), presenters=presenters, travel_minutes=TRAVEL
    )


def count(db):
    return db.exec(select(func.count()).select_from(Presentation)).one()


# The joint rule ----------------------------------------------------------------


def test_a_presentation_needs_a_police_officer_and_a_youth_house_worker(
    db, create_user, create_partner
):
    police = create_user(Role.POLICE_OFFICER)
    prevention = create_user(Role.PREVENTION_WORKER)
    youth_house = create_user(Role.YOUTH_WORKER, partner=create_partner(kind="youth_house"))
    youth_centre = create_user(Role.YOUTH_WORKER, partner=create_partner(kind="youth_centre"))
    for presenters in ([police], [prevention], [police, youth_centre], [prevention, youth_house]):
        with pytest.raises(services.PresentationError) as refused:
            save(db, presenters)
        assert refused.value.code == "joint"
        db.rollback()
    assert count(db) == 0
    assert save(db, [police, prevention]).id
    assert save(db, [police, youth_house], on_date=date(2026, 10, 7)).id
    gone = create_user(Role.PREVENTION_WORKER, active=False)
    with pytest.raises(services.PresentationError, match="inactive"):
        save(db, [police, gone], on_date=date(2026, 10, 8))


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"organisation": "  "}, "organisation"),
        ({"starts_at": time(14, 0), "ends_at": time(13, 0)}, "time_order"),
        ({"place": ""}, "place"),
        ({"expected_audience": -1}, "count"),
    ],
)
def test_bad_values_are_refused(db, create_user, overrides, code):
    people = [create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)]
    with pytest.raises(services.PresentationError) as refused:
        save(db, people, **overrides)
    assert refused.value.code == code


# Conflicts across visits and presentations --------------------------------------


@pytest.mark.parametrize(
    ("overrides", "kinds"),
    [
        ({"starts_at": time(9, 0), "ends_at": time(10, 0)}, ["presenter_overlap"]),
        ({"starts_at": time(9, 40), "ends_at": time(10, 30)}, ["travel_time"]),
        ({"starts_at": time(9, 40), "ends_at": time(10, 30), "online": True}, []),
        ({"starts_at": time(9, 30), "ends_at": time(10, 30), "same_school": True}, []),
    ],
)
def test_a_presentation_clashes_with_its_presenters_class_sessions(db, setting, overrides, kinds):
    visit = make_visit(db, setting)
    add_session(db, visit, setting, day=DAY, period=1)  # 8:15–9:30, workers[0]
    if overrides.pop("same_school", False):
        overrides["school_id"] = setting["school"].id
    people = [setting["police"], setting["workers"][0]]
    if kinds:
        with pytest.raises(services.PresentationConflicts) as refused:
            save(db, people, **overrides)
        assert [c.kind for c in refused.value.conflicts] == kinds
        db.rollback()
        assert count(db) == 0
    else:
        assert save(db, people, **overrides).id


def test_a_class_session_clashes_with_a_presentation_and_the_planner_avoids_it(db, setting):
    save(db, [setting["police"], *setting["workers"]], starts_at=time(8), ends_at=time(16))
    db.commit()
    visit = make_visit(db, setting)
    with pytest.raises(visits.SessionConflicts) as refused:
        add_session(db, visit, setting, day=DAY, period=2)
    assert [c.kind for c in refused.value.conflicts] == ["presenter_overlap"]
    db.rollback()
    visit = db.get(type(visit), visit.id)
    plan_visit(db, visit=visit, travel_minutes=TRAVEL)
    db.commit()
    days = {s.on_date for s in visit.sessions}
    assert days and DAY not in days


def test_two_presentations_clash_and_an_absence_blocks(db, create_user):
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    other_worker = create_user(Role.PREVENTION_WORKER)
    save(db, [police, worker])
    db.commit()
    with pytest.raises(services.PresentationConflicts) as refused:
        save(db, [police, other_worker], starts_at=time(13, 30), ends_at=time(15, 0))
    assert [c.kind for c in refused.value.conflicts] == ["presenter_overlap"]
    db.rollback()
    availability.add_absence(db, user=other_worker, on_date=date(2026, 10, 7))
    db.commit()
    with pytest.raises(services.PresentationConflicts) as refused:
        save(db, [police, other_worker], on_date=date(2026, 10, 7))
    assert [(c.kind, c.values) for c in refused.value.conflicts] == [
        ("presenter_absent", {"presenter_id": other_worker.id})
    ]


# Find a time ----------------------------------------------------------------------


def test_free_slots_respect_hours_weekends_overlaps_and_travel():
    monday, saturday = date(2026, 10, 5), date(2026, 10, 10)
    busy = {
        (1, monday): [slots.Busy(8 * 3600, 10 * 3600, "elsewhere")],
        (2, monday): [slots.Busy(8 * 3600, 9 * 3600, None)],
    }
    found = slots.free_slots(
        days=[monday],
        busy=busy,
        police_ids=[1],
        worker_ids=[2],
        duration_minutes=60,
        place="here",
        travel_minutes=30,
        limit=3,
    )
    # Police busy elsewhere until 10:00, plus 30 minutes of travel.
    assert [(s.starts_at, s.ends_at) for s in found] == [
        (time(10, 30), time(11, 30)),
        (time(11, 0), time(12, 0)),
        (time(11, 30), time(12, 30)),
    ]
    late = slots.free_slots(
        days=[monday],
        busy={},
        police_ids=[1],
        worker_ids=[2],
        duration_minutes=480,
        place=None,
        travel_minutes=30,
        limit=5,
    )
    assert [(s.starts_at, s.ends_at) for s in late] == [
        (time(8), time(16)),
        (time(8, 30), time(16, 30)),
        (time(9), time(17)),
    ]
    assert saturday.weekday() == 5


def test_find_times_skips_weekends_busy_people_and_prefers_the_free_one(db, create_user):
    police = create_user(Role.POLICE_OFFICER, name="A police")
    busy_worker = create_user(Role.PREVENTION_WORKER, name="A worker")
    free_worker = create_user(Role.PREVENTION_WORKER, name="B worker")
    save(db, [police, busy_worker], starts_at=time(8), ends_at=time(17))  # all of Tuesday
    db.commit()
    found = services.find_times(
        db, start=date(2026, 10, 3), duration_minutes=60, place=None, travel_minutes=TRAVEL
    )
    # Saturday and Sunday skipped; Monday: the worker with fewer presentations.
    assert (found[0].day, found[0].starts_at) == (date(2026, 10, 5), time(8))
    assert found[0].worker_id == free_worker.id
    only = services.find_times(
        db,
        start=DAY,
        duration_minutes=60,
        place=None,
        police=police,
        worker=busy_worker,
        travel_minutes=TRAVEL,
    )
    assert only[0].day == date(2026, 10, 7)  # Tuesday is taken for both


# Feeds ----------------------------------------------------------------------------


def test_presentations_are_in_both_presenters_feeds(client, db, create_user):
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    presentation = save(db, [police, worker], on_date=date(2099, 3, 2))
    db.commit()

    def event(user):
        token = sharing.issue_token(db, user=user, lang="fr")
        db.commit()
        feed = icalendar.Calendar.from_ical(client.get(f"/ical/{token.token}.ics").data)
        # The feed has the campaigns' periods too (tests/test_distribution.py).
        (found,) = [e for e in feed.walk("VEVENT") if str(e["uid"]).startswith("presentation-")]
        return found

    for user in (police, worker):
        found = event(user)
        assert str(found["uid"]) == f"presentation-{presentation.id}@mobilis-prevention"
        assert (
            found["summary"] == "Présentation\u00a0: École secondaire du Boisé (Personnel scolaire)"
        )
        assert found.decoded("dtstart").isoformat() == "2099-03-02T13:00:00-05:00"
        assert str(found["status"]) == "CONFIRMED"
    revision = presentation.revision
    services.cancel_presentation(db, presentation=presentation, reason="Tempête")
    db.commit()
    found = event(worker)
    assert str(found["status"]) == "CANCELLED" and found["sequence"] == revision + 1


# Requests: the public form ----------------------------------------------------------


REQUEST = {
    "kind": "presentation",
    "audience": "parents",
    "organisation": "École secondaire du Boisé",
    "school_id": "0",
    "contact_name": "Marie Tremblay",
    "contact_email": "marie.tremblay@example.org",
    "contact_phone": "",
    "preferred_periods": "Un mardi soir de novembre",
    "group_count": "",
    "notes": "",
    "website": "",
}


def send_request(client, lang="fr", **changes):
    page = client.get(f"/{lang}/request/").get_data(as_text=True)
    stamp = page.split('name="started" type="hidden" value="')[1].split('"')[0]
    data = {**REQUEST, "csrf_token": extract_csrf_token(page), "started": stamp, **changes}
    return client.post(f"/{lang}/request/", data=data)


def requests_saved(db):
    return db.exec(select(SchoolRequest)).all()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_school_sends_a_request_and_gets_a_confirmation(app, client, db, lang):
    response = send_request(client, lang)
    assert response.status_code == 302 and response.location == f"/{lang}/request/sent"
    (saved,) = requests_saved(db)
    assert (saved.kind, saved.audience, saved.lang) == ("presentation", "parents", lang)
    assert saved.group_count is None and saved.status == RequestStatus.OPEN
    (mail,) = app.extensions["mail_outbox"]
    assert mail["To"] == "marie.tremblay@example.org"
    greeting = {"fr": "Bonjour Marie Tremblay", "en": "Hello Marie Tremblay"}[lang]
    assert greeting in mail.get_content()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": ""}, "Choisissez une présentation ou une visite."),
        ({"audience": ""}, "Choisissez l’auditoire."),
        ({"kind": "visit", "audience": ""}, "Indiquez le nombre de groupes-classes."),
        ({"kind": "visit", "group_count": "99"}, "De 1 à 60."),
        ({"contact_email": "pas-un-courriel"}, "Écrivez une adresse courriel complète"),
        ({"preferred_periods": ""}, "Ce champ est requis."),
    ],
)
def test_a_bad_request_gets_a_clear_message_and_saves_nothing(app, client, db, changes, message):
    response = send_request(client, **changes)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert requests_saved(db) == [] and app.extensions.get("mail_outbox", []) == []


def test_spam_defences(make_app, db):
    app = make_app(REQUEST_MIN_SECONDS=5, REQUEST_RATE_LIMIT="3 per minute")
    client = app.test_client()
    trapped = send_request(client, website="http://spam.example")
    assert trapped.status_code == 400
    too_fast = send_request(client)
    assert "très rapide" in too_fast.get_data(as_text=True)
    with app.test_request_context():
        forged = form_stamp(clock.time() - 60)[:-2] + "xx"
    assert "incomplet" in send_request(client, started=forged).get_data(as_text=True)
    assert requests_saved(db) == []
    assert send_request(client).status_code == 429  # the fourth sending this minute
    with app.test_request_context():
        patient = form_stamp(clock.time() - 60)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"  # another school's address
    assert send_request(other, started=patient).status_code == 302
    assert len(requests_saved(db)) == 1


# Requests: the coordinators' side -------------------------------------------------------


def signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def post(client, path, data):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={**data, "csrf_token": extract_csrf_token(page)})


def test_accepting_a_presentation_request_plans_it_and_tells_the_school(
    app, client, db, create_user
):
    send_request(client)
    (found,) = requests_saved(db)
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    coordinator = signed_in(app, create_user(Role.COORDINATOR))
    page = coordinator.get(f"/fr/presentations/new?request={found.id}").get_data(as_text=True)
    assert 'value="École secondaire du Boisé"' in page and "Un mardi soir de novembre" in page
    response = post(
        coordinator,
        f"/fr/presentations/new?request={found.id}",
        {
            "request_id": found.id,
            "audience": "parents",
            "organisation": "École secondaire du Boisé",
            "school_id": 0,
            "service_centre_id": 0,
            "on_date": "2099-11-17",
            "starts_at": "19:00",
            "ends_at": "20:30",
            "place": "Bibliothèque de l’école",
            "police_ids": police.id,
            "worker_ids": worker.id,
            "expected_audience": 60,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.expire_all()
    saved = db.exec(select(Presentation)).one()
    assert (saved.request_id, saved.starts_at) == (found.id, time(19))
    assert db.get(SchoolRequest, found.id).status == RequestStatus.ACCEPTED
    accepted = app.extensions["mail_outbox"][-1]
    assert (
        "acceptée" in accepted["Subject"]
        and "17\u00a0novembre\u00a02099, de 19\u00a0h à 20\u00a0h\u00a030" in accepted.get_content()
    )
    # Answered: it cannot be accepted twice.
    assert coordinator.get(f"/fr/presentations/new?request={found.id}").status_code == 404


def test_accepting_a_visit_request_creates_the_visit(app, client, db, setting, create_user):
    send_request(client, kind="visit", audience="", group_count="4", school_id=setting["school"].id)
    (found,) = requests_saved(db)
    coordinator = signed_in(app, create_user(Role.COORDINATOR))
    page = coordinator.get(f"/fr/visits/new?request={found.id}").get_data(as_text=True)
    assert f'<option selected value="{setting["school"].id}"' in page
    response = post(
        coordinator,
        f"/fr/visits/new?request={found.id}",
        {
            "request": found.id,
            "school_id": setting["school"].id,
            "starts_on": "2026-10-06",
            "workers": setting["workers"][0].id,
            "police_officer_id": 0,
        },
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(SchoolRequest, found.id).visit_id is not None
    assert db.get(SchoolRequest, found.id).status == RequestStatus.ACCEPTED


def test_declining_sends_the_message(app, client, db, create_user):
    send_request(client, "en")
    (found,) = requests_saved(db)
    coordinator = signed_in(app, create_user(Role.COORDINATOR))
    path = f"/fr/requests/{found.id}/decline"
    page = coordinator.get(f"/fr/requests/{found.id}/").get_data(as_text=True)
    token = extract_csrf_token(page)
    refused = coordinator.post(path, data={"csrf_token": token, "message": " "})
    assert "Ce champ est requis." in refused.get_data(as_text=True)
    assert db.get(SchoolRequest, found.id).status == RequestStatus.OPEN
    assert len(app.extensions["mail_outbox"]) == 1  # the confirmation only
    response = coordinator.post(
        path, data={"csrf_token": token, "message": "Our fall is full: ask in May."}
    )
    assert response.status_code == 302
    db.expire_all()
    assert db.get(SchoolRequest, found.id).status == RequestStatus.DECLINED
    declined = app.extensions["mail_outbox"][-1]
    assert "Our fall is full: ask in May." in declined.get_content()
    assert "Hello Marie Tremblay" in declined.get_content()  # the requester's language


# Who may see and change what ---------------------------------------------------------------


def test_presenters_and_coordinators_record_the_outcome_others_cannot(app, db, create_user):
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    held = save(db, [police, worker], on_date=date(2026, 1, 6))
    future = save(db, [police, worker], on_date=date(2099, 1, 6))
    db.commit()
    stranger = signed_in(app, create_user(Role.PREVENTION_WORKER))
    assert stranger.get(f"/fr/presentations/{held.id}/").status_code == 200
    assert stranger.get(f"/fr/presentations/{held.id}/outcome").status_code == 404
    assert stranger.get(f"/fr/presentations/{held.id}/edit").status_code == 403
    officer = signed_in(app, police)
    assert officer.get("/fr/calendar/?month=2026-01").status_code == 200
    assert officer.get("/fr/inbox/").status_code == 403
    too_soon = post(officer, f"/fr/presentations/{future.id}/outcome", {"actual_audience": 30})
    assert "le jour même ou après" in too_soon.get_data(as_text=True)
    done = post(
        officer,
        f"/fr/presentations/{held.id}/outcome",
        {"actual_audience": 35, "follow_ups": "Une visite demandée pour l’automne"},
    )
    assert done.status_code == 302
    db.expire_all()
    recorded = db.get(Presentation, held.id)
    assert (recorded.status, recorded.actual_audience) == (PresentationStatus.HELD, 35)
    assert db.get(Presentation, future.id).status == PresentationStatus.PLANNED


def test_the_joint_calendar_shows_presentations_and_visits(app, db, setting, create_user):
    visit = make_visit(db, setting)
    save(db, [setting["police"], setting["workers"][1]])
    db.commit()
    youth_worker = signed_in(app, create_user(Role.YOUTH_WORKER))
    page = youth_worker.get("/fr/calendar/?month=2026-10").get_data(as_text=True)
    assert "École secondaire du Boisé" in page and setting["school"].name in page
    assert f"/fr/visits/{visit.id}/" not in page  # youth workers do not open visits
    coordinator = signed_in(app, create_user(Role.COORDINATOR))
    assert f"/fr/visits/{visit.id}/" in coordinator.get("/fr/calendar/?month=2026-10").get_data(
        as_text=True
    )


def test_a_presenters_agenda_lists_their_next_presentations(app, db, create_user):
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    coming = save(db, [police, worker], on_date=date(2099, 5, 4), organisation="CSS à venir")
    save(db, [police, worker], on_date=date(2020, 5, 4), organisation="CSS passé")
    db.commit()
    page = signed_in(app, police).get("/fr/agenda/").get_data(as_text=True)
    assert f"/fr/presentations/{coming.id}/" in page and "CSS à venir" in page
    assert "CSS passé" not in page
    other = signed_in(app, create_user(Role.PREVENTION_WORKER)).get("/fr/agenda/")
    assert "CSS à venir" not in other.get_data(as_text=True)


def test_a_school_that_does_not_exist_is_refused_not_a_crash(app, client, db, create_user):
    response = send_request(client, school_id="999999")
    assert response.status_code == 200 and requests_saved(db) == []
    coordinator = signed_in(app, create_user(Role.COORDINATOR))
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    form = {
        **{k: v for k, v in values().items() if k != "online"},
        "school_id": 0,
        "on_date": "2099-10-06",
        "starts_at": "13:00",
        "ends_at": "14:00",
        "police_ids": police.id,
        "worker_ids": worker.id,
        "service_centre_id": 0,
    }
    assert post(coordinator, "/fr/presentations/new", form).status_code == 302  # valid as is
    page = post(coordinator, "/fr/presentations/new", {**form, "school_id": 999999})
    assert "N’est pas un choix valide" in page.get_data(as_text=True).replace("&#39;", "’")
    assert count(db) == 1


def test_the_presentation_page_offers_the_decks_of_its_modules(app, db, create_user):
    from app.curriculum.models import CurriculumModule

    modules = db.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all()
    with_deck = [m for m in modules if m.slug == "your-body-is-not-a-commodity"]
    without = [m for m in modules if m.slug == "getting-help"]
    police, worker = create_user(Role.POLICE_OFFICER), create_user(Role.PREVENTION_WORKER)
    presentation = services.save_presentation(
        db,
        values=values(),
        presenters=[police, worker],
        modules=with_deck + without,
        travel_minutes=TRAVEL,
    )
    db.commit()
    page = signed_in(app, police).get(f"/fr/presentations/{presentation.id}/")
    html = page.get_data(as_text=True)
    assert "/fr/modules/your-body-is-not-a-commodity/deck.pdf" in html
    assert "/fr/modules/getting-help/deck.pdf" not in html and "/fr/modules/getting-help/" in html
