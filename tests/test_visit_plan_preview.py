"""A planner that explains itself, through the pages: the visit starts on the
day the worker chose, or on another day they choose; the planner shows its
proposal, says why each moved session moved, and applies it only when the
worker confirms the proposal they saw."""

import re
from datetime import date

import pytest
from sqlmodel import select

from app.schools.models import DayOff, DayOffKind
from app.visits.models import ClassSession, Visit
from tests.conftest import AuthActions, extract_csrf_token
from tests.visits_factory import add_session, make_visit

BREAK = "Semaine de relâche d’automne"  # a reason as the centre entered it
THANKSGIVING = {"fr": "Action de grâce", "en": "Thanksgiving"}


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture
def fall_break(db, setting, school_year):
    """Tuesday 13 to Friday 16 October 2026 off at the school's centre: with
    Thanksgiving (Monday 12), the visit's second week."""
    db.add(
        DayOff(
            school_year_id=school_year.id,
            starts_on=date(2026, 10, 13),
            ends_on=date(2026, 10, 16),
            kind=DayOffKind.BREAK,
            reason=BREAK,
            service_centre_id=setting["school"].service_centre_id,
        )
    )
    db.commit()


def _login(client, setting, lang):
    AuthActions(client).login(setting["workers"][0].email, lang=lang)


def _preview(client, visit, lang):
    page = client.get(f"/{lang}/visits/{visit.id}/plan").get_data(as_text=True)
    rows = re.findall(r'<li class="plan-session( plan-moved)?">(.*?)</li>', page, re.S)
    return page, rows


def _fingerprint(page):
    return page.split('name="fingerprint" value="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_start_day_is_never_moved_without_the_worker(client, db, setting, lang):
    _login(client, setting, lang)
    form = f"/{lang}/visits/new"
    values = {
        "school_id": setting["school"].id,
        "starts_on": "2026-10-12",  # Thanksgiving
        "workers": [setting["workers"][0].id],
        "police_officer_id": "0",
        "csrf_token": extract_csrf_token(client.get(form).get_data(as_text=True)),
    }
    refused = client.post(form, data=values)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and THANKSGIVING[lang] in page
    assert 'name="choose_start" value="2026-10-13"' in page, "the next school day, offered"
    assert db.exec(select(Visit)).all() == []

    weekend = client.post(form, data={**values, "starts_on": "2026-10-10"})  # a Saturday
    assert 'name="choose_start" value="2026-10-13"' in weekend.get_data(as_text=True)
    assert db.exec(select(Visit)).all() == []

    chosen = client.post(form, data={**values, "choose_start": "2026-10-13"})
    assert chosen.status_code == 302
    assert db.exec(select(Visit)).one().starts_on == date(2026, 10, 13)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_preview_says_why_each_moved_session_moved(client, db, setting, fall_break, lang):
    visit = make_visit(db, setting, start=date(2026, 10, 5))  # Monday
    _login(client, setting, lang)
    _page, rows = _preview(client, visit, lang)
    assert db.exec(select(ClassSession)).all() == [], "a preview saves nothing"
    assert len(rows) == 3  # 201 (Secondary 2) one module, 301 (Secondary 3) two
    # "13 octobre : …, déplacée au 20 octobre", "October 13: …, moved to October 20"
    moved_from, moved_to = {
        "fr": (r"1[2-6]\s+octobre", r"(19|2[0-3])\s+octobre"),
        "en": (r"October 1[2-6]", r"October (19|2[0-3])"),
    }[lang]
    moved = [text for flag, text in rows if flag]
    assert moved, "the second week is off: some sessions move to the third"
    for text in moved:
        why = re.search(r'<span class="plan-why">(.*?)</span>', text, re.S).group(1)
        assert re.fullmatch(
            rf"{moved_from}\s?: ({BREAK}|{THANKSGIVING[lang]}), [\w ]+ {moved_to}",
            why.strip(),
        ), why
    for flag, text in rows:
        if not flag:
            assert "plan-why" not in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_plan_is_applied_only_as_previewed(client, db, setting, lang):
    visit = make_visit(db, setting)
    old = add_session(db, visit, setting, group=0, module=0, day=date(2026, 10, 20), period=4)
    _login(client, setting, lang)
    page, rows = _preview(client, visit, lang)
    token = extract_csrf_token(page)
    path = f"/{lang}/visits/{visit.id}/plan"

    stale = client.post(path, data={"csrf_token": token, "fingerprint": "an-older-proposal"})
    assert stale.status_code == 200 and 'role="alert"' in stale.get_data(as_text=True)
    db.expire_all()
    assert [s.id for s in db.exec(select(ClassSession)).all()] == [old.id], "nothing saved"

    applied = client.post(path, data={"csrf_token": token, "fingerprint": _fingerprint(page)})
    assert applied.status_code == 302
    db.expire_all()
    sessions = db.exec(select(ClassSession)).all()
    # The planner takes a day's earliest free period: the old one is gone.
    assert (date(2026, 10, 20), 4) not in {(s.on_date, s.first_period) for s in sessions}
    assert len(sessions) == len(rows) == 3
