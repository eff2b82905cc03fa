"""One formatter for dates and times per language (app/formats.py), and the
French spacing the modules get when rendered.

Quebec's French: « 1er mars », « 9 h », « 10 h 30 », « de 9 h à 10 h 30 »,
non-breaking spaces inside a date or a time. English: "March 1, 2026",
"9 a.m.", "10:30 a.m.". Checked on the functions, on pages and in an e-mail,
and by reading the code: nothing else formats a date for people.
"""

import ast
import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from app.formats import (
    NBSP,
    NNBSP,
    clause_list,
    date_text,
    datetime_text,
    french_spacing,
    time_range_text,
    time_text,
)
from app.security import Role

ROOT = Path(__file__).resolve().parent.parent
N, F = NBSP, NNBSP


@pytest.fixture
def in_french(app):
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        yield


@pytest.fixture
def in_english(app):
    with app.test_request_context("/en/"):
        app.preprocess_request()
        yield


@pytest.mark.parametrize(
    ("style", "first", "twelfth"),
    [
        ("date", f"1er{N}mars{N}2026", f"12{N}mars{N}2026"),
        ("weekday", f"dimanche{N}1er{N}mars{N}2026", f"jeudi{N}12{N}mars{N}2026"),
        ("day", f"1er{N}mars", f"12{N}mars"),
        ("weekday_day", f"dimanche{N}1er{N}mars", f"jeudi{N}12{N}mars"),
        ("month", f"mars{N}2026", f"mars{N}2026"),
    ],
)
def test_french_dates_are_quebecs(in_french, style, first, twelfth):
    assert date_text(date(2026, 3, 1), style) == first
    assert date_text(date(2026, 3, 12), style) == twelfth


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("date", "March 1, 2026"),
        ("weekday", "Sunday, March 1, 2026"),
        ("day", "March 1"),
        ("weekday_day", "Sunday, March 1"),
        ("month", "March 2026"),
        ("weekday_name", "Sunday"),
    ],
)
def test_english_dates_have_one_style(in_english, style, expected):
    assert date_text(date(2026, 3, 1), style) == expected


def test_french_times_have_no_leading_zero_and_no_h_00(in_french):
    assert time_text(time(9, 0)) == f"9{N}h"
    assert time_text(time(10, 30)) == f"10{N}h{N}30"
    assert time_text(time(13, 5)) == f"13{N}h{N}05"
    assert time_range_text(time(9, 0), time(10, 30)) == f"de 9{N}h à 10{N}h{N}30"


def test_english_times_drop_00_on_the_hour(in_english):
    assert time_text(time(9, 0)) == f"9{F}a.m."
    assert time_text(time(10, 30)) == f"10:30{F}a.m."
    assert time_text(time(17, 0)) == f"5{F}p.m."
    assert time_range_text(time(9, 0), time(10, 30)) == f"from 9{F}a.m. to 10:30{F}a.m."


def test_a_moment_is_written_in_montreal_time(app):
    moment = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)  # 9:05 in Montreal (EST)
    late = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # still March 1 in Montreal
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        assert datetime_text(moment) == f"1er{N}mars{N}2026 à 9{N}h{N}05"
        assert date_text(late) == f"1er{N}mars{N}2026"
    with app.test_request_context("/en/"):
        app.preprocess_request()
        assert datetime_text(moment) == f"March 1, 2026 at 9:05{F}a.m."
        assert time_text(late) == f"10{F}p.m."


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Attention : ça va? Oui! Non ; fini", f"Attention{N}: ça va{F}? Oui{F}! Non{F}; fini"),
        ("Il dit « non » et «oui»", f"Il dit «{N}non{N}» et «{N}oui{N}»"),
        ("« ça va? »", f"«{N}ça va{F}?{N}»"),
        ("Période 1: de", f"Période 1{N}: de"),
        # Left as they are: addresses, times, tables, what has its spaces already.
        ("https://www.teljeunes.com?x=1", "https://www.teljeunes.com?x=1"),
        ("de 08:15 à 09:30", "de 08:15 à 09:30"),
        ("| Gauche |:---|---:|", "| Gauche |:---|---:|"),
        (f"Déjà{N}: fait{F}!", f"Déjà{N}: fait{F}!"),
    ],
)
def test_french_spacing(typed, written):
    assert french_spacing(typed) == written


def test_clauses_are_joined_as_each_language_writes_them(in_french):
    assert clause_list(["Région : Laval", "Module : Gangs"]) == f"Région : Laval{F}; Module : Gangs"


# From the user's side -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", f"Période 1{N}: de 9{N}h à 10{N}h{N}30"),
        ("en", f"Period 1: 9{F}a.m. to 10:30{F}a.m."),
    ],
)
def test_a_schools_bell_schedule_reads_as_its_language_writes_it(
    client, auth, create_user, create_school, lang, expected
):
    school = create_school(periods=((9, 0, 10, 30), (10, 40, 12, 0)))
    auth.login(create_user(Role.COORDINATOR).email, lang=lang)
    html = client.get(f"/{lang}/schools/{school.id}/").get_data(as_text=True)
    assert expected in html
    assert "09 h" not in html and "h 00" not in html and "9:00" not in html


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", f"du 1er{N}septembre{N}2026 au 22{N}juin{N}2027"),
        ("en", "September 1, 2026 to June 22, 2027"),
    ],
)
def test_a_school_year_starting_on_the_first_reads_1er(
    client, auth, create_user, db, lang, expected
):
    from app.schools.models import SchoolYear

    year = SchoolYear(label="2026-2027", starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 22))
    db.add(year)
    db.commit()
    auth.login(create_user(Role.COORDINATOR).email, lang=lang)
    html = client.get(f"/{lang}/schools/years/{year.id}/").get_data(as_text=True)
    assert expected in html


# By reading the code ---------------------------------------------------------------

BABEL_FORMATTERS = {"format_date", "format_time", "format_datetime", "format_skeleton"}


# Times written with strftime's codes, not for reading: a bell schedule goes
# back into its form field the way people type it (08:15-09:30); the JSON
# logs' time is ISO 8601, for machines (formatted once per second).
TYPED_BACK = {"app/schools/services.py: an f-string time", "app/jsonlog.py: strftime"}


def _python_files():
    return [p for p in (ROOT / "app").rglob("*.py") if p.name != "formats.py"]


def test_no_module_formats_a_date_itself():
    """Only app/formats.py calls Babel's date functions; no strftime for people."""
    found = set()
    for path in _python_files():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask_babel", "babel.dates"):
                found |= {f"{where}: {a.name}" for a in node.names if a.name in BABEL_FORMATTERS}
            if isinstance(node, ast.Attribute) and node.attr == "strftime":
                found.add(f"{where}: strftime")
            spec = (
                getattr(node, "format_spec", None) if isinstance(node, ast.FormattedValue) else None
            )
            if spec is not None and "%H" in ast.unparse(spec):
                found.add(f"{where}: an f-string time")
    assert found == TYPED_BACK


def test_no_template_formats_a_date_itself():
    templates = [*(ROOT / "app").rglob("*.html"), *(ROOT / "app").rglob("*.txt")]
    pattern = re.compile(r"format_(?:date|time|datetime)\(|strftime\(")
    found = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in templates
        for match in pattern.findall(path.read_text(encoding="utf-8"))
    ]
    assert found == []
