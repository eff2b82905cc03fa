"""Delivery records that cannot lie, through the pages: recorded only from
the session's day, never more students than the class has, headed with the
session they are about, corrected or put back to planned with who and when
kept, and the reach report following. One rule for the module a session
taught, which the planner and the reports share."""

import re
from datetime import date

import pytest
from sqlmodel import select

from app.formats import date_text
from app.schools import services as schools
from app.security import Role
from app.visits.models import ClassSession, RecordChange, SessionStatus
from tests.conftest import AuthActions, extract_csrf_token, post_with_token
from tests.visits_factory import add_session, deliver, make_visit

STUDENTS_REACHED = {
    "en": '<th scope="row">Students reached (sum of attendance)</th><td>{}</td>',
    "fr": '<th scope="row">Élèves joints (somme des présences)</th><td>{}</td>',
}


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def today(monkeypatch):
    """Sets the local day the pages take as today."""

    def set_today(day):
        monkeypatch.setattr(schools, "local_today", lambda: day)

    set_today(date(2026, 10, 5))
    return set_today


def _reached(app, create_user, lang):
    """The reach report's page for the school year 2026-2027, as a coordinator sees it."""
    client = app.test_client()
    AuthActions(client).login(create_user(Role.COORDINATOR).email, lang=lang)
    return client.get(f"/{lang}/reports/?period=school_year&year=2026").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_session_is_recorded_only_from_its_day_and_within_its_class(
    app, client, db, setting, today, create_user, lang
):
    visit = make_visit(db, setting)  # from Tuesday 6 October 2026
    session = add_session(db, visit, setting, period=2)
    worker = setting["workers"][0]
    AuthActions(client).login(worker.email, lang=lang)
    deliver_path = f"/{lang}/visits/{visit.id}/sessions/{session.id}/deliver"

    # The day before: no button, and the server refuses all the same.
    assert deliver_path not in client.get(f"/{lang}/visits/{visit.id}/").get_data(as_text=True)
    early = post_with_token(
        client,
        deliver_path,
        {"attendance": "25", "delivered_module_id": setting["modules"][0].id},
        token_page=f"/{lang}/visits/{visit.id}/",
    )
    assert early.status_code == 200
    with app.test_request_context(f"/{lang}/"):
        day = date_text(date(2026, 10, 6), "weekday")
    assert day in early.get_data(as_text=True)
    db.expire_all()
    assert db.get(ClassSession, session.id).status == SessionStatus.PLANNED

    # On the day: the form heads with the session it records.
    today(date(2026, 10, 6))
    assert deliver_path in client.get(f"/{lang}/visits/{visit.id}/").get_data(as_text=True)
    form = client.get(deliver_path).get_data(as_text=True)
    head = form.split('<dl class="facts session-head">', 1)[1].split("</dl>", 1)[0]
    for shown in (setting["school"].name, "201", day, setting["modules"][0].title(lang)):
        assert shown in head
    # Period 2's bell time, as each language writes it: « 9 h 40 », "9:40 a.m."
    assert re.search(r"\b9\sh\s40\b" if lang == "fr" else r"\b9:40\b", head)

    # Class 201 has 28 students: 29 present is refused, nothing saved.
    too_many = post_with_token(
        client, deliver_path, {"attendance": "29", "delivered_module_id": setting["modules"][0].id}
    )
    assert too_many.status_code == 200 and 'aria-invalid="true"' in too_many.get_data(as_text=True)
    db.expire_all()
    assert db.get(ClassSession, session.id).attendance is None
    assert (
        post_with_token(
            client,
            deliver_path,
            {"attendance": "28", "delivered_module_id": setting["modules"][0].id},
        ).status_code
        == 302
    )
    db.expire_all()
    assert db.get(ClassSession, session.id).attendance == 28
    assert STUDENTS_REACHED[lang].format(28) in _reached(app, create_user, lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_record_is_corrected_then_withdrawn_with_who_and_when_kept(
    app, client, db, setting, today, create_user, lang
):
    visit = make_visit(db, setting)
    session = add_session(db, visit, setting)
    first, second = setting["workers"]
    deliver(db, session, attendance=28, module=setting["modules"][0], by=first)
    db.commit()
    today(date(2026, 10, 20))
    AuthActions(client).login(second.email, lang=lang)
    path = f"/{lang}/visits/{visit.id}/sessions/{session.id}/deliver"
    form = client.get(path).get_data(as_text=True)
    assert 'value="28"' in form, "the form holds the record to correct"

    corrected = post_with_token(
        client, path, {"attendance": "26", "delivered_module_id": setting["modules"][0].id}
    )
    assert corrected.status_code == 302
    change = db.exec(select(RecordChange).where(RecordChange.action == "corrected")).one()
    assert (change.user_id, change.changes) == (second.id, {"attendance": [28, 26]})
    page = client.get(f"/{lang}/visits/{visit.id}/").get_data(as_text=True)
    history = page.split('id="changes-heading"', 1)[1]
    assert second.name in history and "28 → 26" in history
    assert STUDENTS_REACHED[lang].format(26) in _reached(app, create_user, lang)

    # Back to planned: asked first, then the record leaves the report.
    withdraw = f"/{lang}/visits/{visit.id}/sessions/{session.id}/withdraw"
    assert client.get(withdraw).status_code == 200
    db.expire_all()
    assert db.get(ClassSession, session.id).status == SessionStatus.DELIVERED
    assert post_with_token(client, withdraw, {}).status_code == 302
    db.expire_all()
    back = db.get(ClassSession, session.id)
    assert (back.status, back.attendance, back.delivered_module_id) == ("planned", None, None)
    actions = [c.action for c in db.exec(select(RecordChange).order_by(RecordChange.id)).all()]
    assert actions == ["delivered", "corrected", "withdrawn"]
    assert STUDENTS_REACHED[lang].format(0) in _reached(app, create_user, lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_module_taught_is_the_one_recorded_for_the_planner_and_the_report(
    app, client, db, setting, today, create_user, lang
):
    """Group 301 (Secondary 3) follows both test modules. Its session planned
    for the first was given the second: the planner then proposes the
    first (before it, in the program's order), and the report counts the
    second."""
    first_module, second_module = setting["modules"]
    visit = make_visit(db, setting)
    session = add_session(db, visit, setting, group=1, module=0, day=date(2026, 10, 9))
    today(date(2026, 10, 9))
    AuthActions(client).login(setting["workers"][0].email, lang=lang)
    path = f"/{lang}/visits/{visit.id}/sessions/{session.id}/deliver"
    assert (
        post_with_token(
            client, path, {"attendance": "22", "delivered_module_id": second_module.id}
        ).status_code
        == 302
    )

    plan = f"/{lang}/visits/{visit.id}/plan"
    preview = client.get(plan).get_data(as_text=True)
    seen = re.search(r'name="fingerprint" value="([^"]*)"', preview)
    client.post(
        plan,
        data={"csrf_token": extract_csrf_token(preview), "fingerprint": seen and seen.group(1)},
    )
    db.expire_all()
    planned = db.exec(
        select(ClassSession).where(
            ClassSession.class_group_id == setting["groups"][1].id,
            ClassSession.status == SessionStatus.PLANNED,
        )
    ).all()
    assert [s.module_id for s in planned] == [first_module.id]

    coordinator = app.test_client()
    AuthActions(coordinator).login(create_user(Role.COORDINATOR).email, lang=lang)
    report = f"/{lang}/reports/?period=school_year&year=2026&module_id="
    taught = coordinator.get(report + str(second_module.id)).get_data(as_text=True)
    planned = coordinator.get(report + str(first_module.id)).get_data(as_text=True)
    assert STUDENTS_REACHED[lang].format(22) in taught
    assert STUDENTS_REACHED[lang].format(0) in planned
