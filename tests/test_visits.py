"""Visits and class sessions through their services and HTTP."""

from datetime import date

import pytest
from sqlmodel import select

from app.security import Role
from app.visits import records, services
from app.visits.models import ClassSession, SessionStatus, Visit, VisitWorker
from tests.conftest import extract_csrf_token
from tests.visits_factory import TRAVEL
from tests.visits_factory import add_session as _add
from tests.visits_factory import make_visit as _visit


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


def test_a_visit_lasts_ten_school_days_across_a_holiday(db, setting):
    visit = _visit(db, setting)
    assert (visit.starts_on, visit.ends_on) == (date(2026, 10, 6), date(2026, 10, 20))
    days = services.visit_days(db, visit=visit)
    assert len(days) == 10 and date(2026, 10, 12) not in days
    assert len(db.exec(select(VisitWorker)).all()) == 3


def test_a_visit_needs_a_worker_and_a_school_year(db, setting):
    with pytest.raises(services.VisitError) as error:
        services.create_visit(db, school=setting["school"], starts_on=date(2026, 10, 6), workers=[])
    assert error.value.code == "team"
    with pytest.raises(services.VisitError) as error:
        services.create_visit(
            db, school=setting["school"], starts_on=date(2027, 7, 10), workers=setting["workers"]
        )
    assert error.value.code == "no_school_year"


@pytest.mark.parametrize(
    ("second", "kind"),
    [
        ({"group": 1, "module": 1, "worker": 0}, "presenter_overlap"),
        ({"group": 0, "module": 1, "worker": 1}, "group_overlap"),
        ({"group": 0, "module": 0, "worker": 1, "day": date(2026, 10, 7)}, "same_module_twice"),
    ],
)
def test_conflicting_sessions_are_refused_and_nothing_is_saved(db, setting, second, kind):
    visit = _visit(db, setting)
    _add(db, visit, setting)
    with pytest.raises(services.SessionConflicts) as error:
        _add(db, visit, setting, **second)
    db.rollback()
    assert kind in {c.kind for c in error.value.conflicts}
    assert len(db.exec(select(ClassSession)).all()) == 1


def test_a_worker_needs_travel_time_between_schools(db, setting, create_school, create_group):
    visit = _visit(db, setting)
    _add(db, visit, setting, period=2)  # 09:40-10:55 at the first school
    other = create_school(periods=((8, 0, 9, 15), (11, 0, 12, 15)))
    other_group = create_group(other, "401", "sec2")
    other_visit = services.create_visit(
        db, school=other, starts_on=date(2026, 10, 6), workers=setting["workers"]
    )
    db.commit()
    with pytest.raises(services.SessionConflicts) as error:
        services.add_session(
            db,
            visit=other_visit,
            class_group=other_group,
            module=setting["modules"][0],
            on_date=date(2026, 10, 6),
            first_period=2,
            presenters=[setting["workers"][0]],
            travel_minutes=TRAVEL,
        )
    db.rollback()
    assert [c.kind for c in error.value.conflicts] == ["travel_time"]


def test_delivery_is_recorded_with_counts_only(db, setting):
    visit = _visit(db, setting)
    session = _add(db, visit, setting)
    modules = setting["modules"]
    with pytest.raises(services.VisitError):
        records.record_delivery(
            db,
            class_session=session,
            record=records.Record(
                attendance=20,
                attendance_girls=15,
                attendance_boys=10,
                delivered_module_id=modules[0].id,
            ),
            by=None,
            today=date(2026, 10, 6),
        )
    records.record_delivery(
        db,
        class_session=session,
        record=records.Record(
            attendance=27,
            attendance_girls=14,
            attendance_boys=12,
            delivered_module_id=modules[1].id,
            notes="Bonne écoute.",
        ),
        by=setting["workers"][0],
        today=date(2026, 10, 6),
    )
    db.commit()
    assert session.status == SessionStatus.DELIVERED and session.attendance == 27
    assert session.delivered_module_id == setting["modules"][1].id


def test_cancel_needs_a_reason(db, setting):
    visit = _visit(db, setting)
    session = _add(db, visit, setting)
    with pytest.raises(services.VisitError):
        services.cancel_session(db, class_session=session, reason="  ")
    services.cancel_session(db, class_session=session, reason="Sortie éducative")
    assert session.status == SessionStatus.CANCELLED
    # A cancelled session frees its slot.
    _add(db, visit, setting, group=1, module=1)


def test_status_changes(db, setting):
    visit = _visit(db, setting)
    with pytest.raises(services.VisitError):
        services.set_visit_status(db, visit=visit, status="done")
    services.set_visit_status(db, visit=visit, status="confirmed")
    services.set_visit_status(db, visit=visit, status="done")
    assert visit.status == "done"


def _login(client, user):
    from tests.conftest import AuthActions

    AuthActions(client).login(user.email)


def test_worker_plans_a_visit_and_adds_a_session_over_http(client, db, setting):
    _login(client, setting["workers"][0])
    token = extract_csrf_token(client.get("/fr/visits/new").get_data(as_text=True))
    response = client.post(
        "/fr/visits/new",
        data={
            "school_id": setting["school"].id,
            "starts_on": "2026-10-06",
            "workers": [w.id for w in setting["workers"]],
            "police_officer_id": "0",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    visit = db.exec(select(Visit)).one()
    path = f"/fr/visits/{visit.id}/sessions/new"
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
    data = {
        "class_group_id": setting["groups"][0].id,
        "module_id": setting["modules"][0].id,
        "on_date": "2026-10-06",
        "first_period": 1,
        "period_count": 1,
        "presenters": [setting["workers"][0].id],
        "csrf_token": token,
    }
    assert client.post(path, data=data).status_code == 302
    clash = client.post(
        path,
        data={
            **data,
            "class_group_id": setting["groups"][1].id,
            "module_id": setting["modules"][1].id,
        },
    )
    assert clash.status_code == 409
    assert "Une personne qui anime est à deux endroits en même temps." in clash.get_data(
        as_text=True
    )
    grid = client.get(f"/fr/visits/{visit.id}/").get_data(as_text=True)
    assert "201" in grid and "conflit" not in grid


def test_planner_fills_the_visit_without_conflict(client, db, setting):
    visit = _visit(db, setting)
    _login(client, setting["workers"][0])
    page = client.get(f"/en/visits/{visit.id}/plan")
    assert page.status_code == 200 and db.exec(select(ClassSession)).all() == [], "GET asks first"
    html = page.get_data(as_text=True)
    fingerprint = html.split('name="fingerprint" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        f"/en/visits/{visit.id}/plan",
        data={"csrf_token": extract_csrf_token(html), "fingerprint": fingerprint},
    )
    assert response.status_code == 302
    sessions = db.exec(select(ClassSession)).all()
    # 201 (sec2) gets the one module for Secondary 2, 301 (sec3) both.
    assert len(sessions) == 3
    assert services.visit_conflicts(db, visit=db.get(Visit, visit.id), travel_minutes=TRAVEL) == []


def test_youth_workers_do_not_see_visits(client, create_user):
    _login(client, create_user(Role.YOUTH_WORKER))
    assert client.get("/fr/visits/").status_code == 403


def test_a_class_group_with_sessions_cannot_be_deleted(client, db, setting):
    visit = _visit(db, setting)
    _add(db, visit, setting)
    _login(client, setting["workers"][0])
    group = setting["groups"][0]
    path = f"/en/schools/{setting['school'].id}/groups/{group.id}/delete"
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
    response = client.post(path, data={"csrf_token": token}, follow_redirects=True)
    assert "This class group has sessions" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(type(group), group.id) is not None
