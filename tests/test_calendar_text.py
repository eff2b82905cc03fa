"""What people write (a school's or a person's name, a room, a group, a
presentation's organisation and place) stays one TEXT value in every calendar
feed: no line break of theirs starts a property of its own, and the feed reads
back, with the icalendar library, to what they wrote."""

from datetime import date, time

import icalendar
import pytest
from icalendar.parser import unescape_backslash

from app.presentations import services as presentations
from app.scheduling.ical import calendar_text
from app.schools import services as schools
from app.security import Role
from app.visits import sharing
from tests.visits_factory import TRAVEL, add_session, make_visit

INJECTIONS = [
    "X\r\nX-WR-CALNAME:pwned",
    "X\rX-WR-CALNAME:pwned",
    "X\nX-WR-CALNAME:pwned",
    "X\u2028X-WR-CALNAME:pwned",
    "a;b,c\\d",
]
LONG = " ".join(["École secondaire de la Magdeleine-de-Verchères, pavillon «Jacques-Cartier»"] * 2)


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(schools, "local_today", lambda: date(2026, 10, 1))


def read_back(written):
    """What a calendar shows for `written`: each line break is one line break."""
    return "\n".join(written.splitlines())


def raw_lines(body):
    """The feed's content lines, unfolded, after checking that CRLF is the
    only line break in the file and no folded line passes 75 octets."""
    assert b"\r" not in body.replace(b"\r\n", b"") and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    return body.replace(b"\r\n ", b"").decode().split("\r\n")


def calendar_name(calendar):
    """X-WR-CALNAME read as TEXT: icalendar leaves a property it does not type
    raw, so its own TEXT unescaping is applied here."""
    return unescape_backslash(str(calendar["x-wr-calname"]))


def escaped(text):
    """RFC 5545's TEXT escapes (section 3.3.11), written out by hand."""
    for plain, written in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        text = text.replace(plain, written)
    return text


def assert_not_injected(body, name):
    """One calendar name, written as TEXT, and no line made of a name's text."""
    lines = raw_lines(body)
    assert [line for line in lines if line.startswith("X-WR-CALNAME")] == [
        "X-WR-CALNAME:" + escaped(name)
    ]
    assert not any(line.startswith(("X-WR-CALNAME:pwned", "b,c")) for line in lines)


@pytest.mark.parametrize("written", INJECTIONS)
def test_a_school_feed_keeps_names_and_rooms_as_text(client, db, setting, written):
    school = setting["school"]
    school.name = written
    setting["groups"][0].name = written[:20]
    db.add_all([school, setting["groups"][0]])
    visit = make_visit(db, setting)
    session = add_session(db, visit, setting)
    session.room = written[:40]
    db.add(session)
    db.commit()
    link = sharing.issue_token(db, school=school, lang="fr")
    db.commit()

    body = client.get(f"/ical/{link.token}.ics").data
    name = f"Visites MOBILIS\u00a0: {read_back(written)}"
    assert_not_injected(body, name)
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar_name(calendar) == name
    (event,) = calendar.walk("VEVENT")
    assert f"groupe {read_back(written[:20])}" in str(event["summary"])
    assert str(event["location"]).startswith(f"Local {read_back(written[:40])}, ")
    assert read_back(written) in str(event["location"])


@pytest.mark.parametrize("written", INJECTIONS)
def test_a_person_feed_keeps_their_name_and_presentations_as_text(
    client, db, setting, create_user, written
):
    worker = setting["workers"][0]
    worker.name = written
    db.add(worker)
    setting["school"].name = written
    db.add(setting["school"])
    add_session(db, make_visit(db, setting), setting)
    presentations.save_presentation(
        db,
        values={
            "audience": "board",
            "organisation": written,
            "on_date": date(2026, 10, 8),
            "starts_at": time(19),
            "ends_at": time(20),
            "place": written + " " + LONG,
        },
        presenters=[create_user(Role.POLICE_OFFICER), worker],
        travel_minutes=TRAVEL,
    )
    link = sharing.issue_token(db, user=worker, lang="en")
    db.commit()

    body = client.get(f"/ical/{link.token}.ics").data
    name = f"MOBILIS: my sessions ({read_back(written)})"
    assert_not_injected(body, name)
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar_name(calendar) == name
    events = {str(e["uid"]).split("-")[0]: e for e in calendar.walk("VEVENT")}
    session, presentation = events["class"], events["presentation"]
    assert str(session["summary"]).endswith(f" · {read_back(written)}")
    assert f"Presenters: {read_back(written)}" in str(session["description"])
    assert (
        str(presentation["summary"])
        == f"Presentation: {read_back(written)} (School service centre board)"
    )
    assert str(presentation["location"]) == read_back(written + " " + LONG)
    assert read_back(written) in str(presentation["description"])


def test_control_characters_are_left_out_and_tabs_kept():
    assert calendar_text("a\x00b\x07c\td\x1be\x7ff\x9bg").to_ical() == b"abc\tdefg"
    assert calendar_text("un\r\ndeux\x85trois;").to_ical() == b"un\\ndeux\\ntrois\\;"
