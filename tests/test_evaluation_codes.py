"""Each class group of a visit gets a short code that nobody confuses, that
the database does not hold, and that shows on the visit page and on the first
and last slide of the class's sessions, with a QR code."""

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.evaluation import codes
from app.security import Role
from tests.conftest import AuthActions
from tests.evaluation_factory import TODAY, code_of
from tests.visits_factory import add_session, make_visit

CODE = re.compile(r"^[ACDEFHJKMNPRTUVWXY34679]{4}-[ACDEFHJKMNPRTUVWXY34679]{4}$")


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def visit(db, setting, today):
    """Group 201: two sessions; group 301: one, cancelled later in one test."""
    made = make_visit(db, setting, start=TODAY)
    add_session(db, made, setting, group=0, module=0, day=TODAY)
    add_session(db, made, setting, group=0, module=1, day=TODAY + timedelta(days=8), period=2)
    add_session(db, made, setting, group=1, module=1, day=TODAY + timedelta(days=1))
    db.commit()
    return made


def test_codes_are_unambiguous_and_the_database_holds_none(app, db, setting, visit):
    shown = {code_of(app, db, visit, group) for group in setting["groups"]}
    assert len(shown) == 2 and all(CODE.match(code) for code in shown)
    assert {code_of(app, db, visit, group) for group in setting["groups"]} == shown, "stable"
    engine = app.extensions["mobilis_engine"]
    with engine.connect() as connection:
        dump = repr(list(connection.execute(sa.text("SELECT * FROM evaluation_code"))))
    for code in shown:
        assert code not in dump and code.replace("-", "") not in dump
    key = app.config["EVALUATION_CODE_KEY"]
    code = sorted(shown)[0]
    assert codes.find(db, key, code.lower().replace("-", " ")) is not None
    assert codes.find(db, "another key", code) is None, "without the key, no code opens"
    assert codes.normalise("KCM0-TPXA") is None and codes.normalise("KCM4-TPX") is None


def test_the_visit_page_shows_each_class_code_and_its_qr_code(
    app,
    db,
    create_user,
    setting,
    visit,
):
    officer = create_user(Role.POLICE_OFFICER)
    client = app.test_client()
    AuthActions(client).login(officer.email, lang="en")
    page = client.get(f"/en/visits/{visit.id}/").get_data(as_text=True)
    section = page[page.index('id="questionnaires"') :]
    for group in setting["groups"]:
        assert code_of(app, db, visit, group) in section
    assert section.count('src="data:image/svg+xml') == 2
    assert "First session's slides (PDF)" in section and "Last session's slides (PDF)" in section
    assert section.count("0 answers") == 4
    code = code_of(app, db, visit, setting["groups"][0])
    assert 'name="q1"' in app.test_client().get(f"/en/q/{code}/").get_data(as_text=True)


def _pages(response):
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages]


def test_the_first_and_last_slide_of_a_class_carry_its_code(
    app,
    db,
    create_user,
    setting,
    visit,
):
    worker = create_user(Role.PREVENTION_WORKER)
    client = app.test_client()
    AuthActions(client).login(worker.email, lang="en")
    code = code_of(app, db, visit, setting["groups"][0])
    first, last = sorted(
        (s for s in visit.sessions if s.class_group_id == setting["groups"][0].id),
        key=lambda s: s.on_date,
    )
    pages = _pages(client.get(f"/en/visits/{visit.id}/sessions/{first.id}/deck.pdf"))
    assert "Before we start: your questionnaire" in pages[0] and code in pages[0]
    assert "Where young people can get help" in pages[-1] and code not in pages[-1]
    pages = _pages(client.get(f"/en/visits/{visit.id}/sessions/{last.id}/deck.pdf"))
    assert code not in pages[0]
    assert "Before you leave: the same questionnaire" in pages[-1] and code in pages[-1]
    once = next(s for s in visit.sessions if s.class_group_id == setting["groups"][1].id)
    pages = _pages(client.get(f"/fr/visits/{visit.id}/sessions/{once.id}/deck.pdf"))
    other = code_of(app, db, visit, setting["groups"][1])
    assert other in pages[0] and other in pages[-1] and len(pages) == 4
    assert client.get(f"/en/visits/{visit.id}/sessions/999/deck.pdf").status_code == 404


def test_a_class_whose_sessions_are_all_cancelled_has_no_code_shown(
    app,
    db,
    create_user,
    setting,
    visit,
):
    code = code_of(app, db, visit, setting["groups"][1])
    once = next(s for s in visit.sessions if s.class_group_id == setting["groups"][1].id)
    once.status = "cancelled"
    db.add(once)
    db.commit()
    coordinator = create_user(Role.COORDINATOR)
    client = app.test_client()
    AuthActions(client).login(coordinator.email, lang="en")
    page = client.get(f"/en/visits/{visit.id}/").get_data(as_text=True)
    assert code not in page and code_of(app, db, visit, setting["groups"][0]) in page
    assert app.test_client().get(f"/en/q/{code}/").status_code == 404
