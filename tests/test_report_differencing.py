"""The attack the reports must withstand: take everything they publish (the
API for every period and filter, the page, the CSV, the XLSX and the PDF
that show the same), subtract published figures from each other in every
way (tests/report_attack.py), and recover no hidden figure.

The data: small schools beside big ones in two regions, activity in the
autumn and the winter of school year 2026–2027 and a little the year
before; reports of the school year, its quarters, its months, a fiscal and
two calendar years (they overlap every way the calendar allows), by
region, centre, school, grade, module and topic, for a provincial reader
and for readers limited to regions. And a school padded with the
attacker's own questions.
"""

import re
from collections import OrderedDict
from datetime import date
from html import unescape

from app.regions import services as regions
from app.reports import cube, tokens
from app.security import Role
from tests import report_attack, report_reading
from tests.conftest import AuthActions
from tests.report_factory import deliver  # noqa: F401  (a fixture)
from tests.report_world import (
    _question,
    world_fixture,  # noqa: F401  (the fixture "world")
)

PERIODS = [
    {"period": "school_year", "year": "2026"},
    *(
        {"period": "quarter", "year": y, "quarter": q}
        for y, q in ((2026, 3), (2026, 4), (2027, 1), (2027, 2))
    ),
    *(
        {"period": "month", "year": y, "month": m}
        for y, m in ((2026, 9), (2026, 10), (2026, 11), (2026, 12), (2027, 1), (2027, 2), (2027, 3))
    ),
]


def _filters(world):
    places = world.places
    found = [{}, {"region": "16"}, {"region": "13"}]
    found += [{"service_centre_id": c.id} for c in places["centres"].values()]
    found += [{"school_id": s.id} for s in places["schools"].values()]
    found += [{"grade": "sec1"}, {"grade": "sec2"}]
    found += [{"module_id": m} for m in world.rows["module"]]
    found += [{"topic": "online"}, {"topic": "pressure"}]
    found += [
        {"region": "16", "grade": "sec2"},
        {"service_centre_id": places["centres"]["A"].id, "module_id": world.rows["module"][1]},
    ]
    return found


def _reader(app, db, create_user, codes=()):
    user = create_user(Role.COORDINATOR)
    if codes:
        regions.set_user_regions(db, user=user, codes=list(codes))
    _row, value = tokens.create_token(db, user=user, name="attack")
    db.commit()
    return {"Authorization": f"Bearer {value}"}


def _crawl(app, world, headers, filters, periods=PERIODS):
    """Every API answer for these periods and filters, in English."""
    client = app.test_client()
    found = []
    for period in periods:
        for chosen in filters:
            response = client.get(
                "/api/v1/reports/reach",
                query_string={**period, **chosen, "lang": "en"},
                headers=headers,
            )
            assert response.status_code == 200, (period, chosen, response.get_data(as_text=True))
            body = response.get_json()
            found += report_reading.equations(world, body)
    return found


def _check_the_model(world, published):
    """Every shown figure is the sum of its atoms' true values: the test's
    reading of what a figure means is the reports' own."""
    for figure, cells, value in published:
        if isinstance(value, int):
            assert report_attack.value_of(world, cells) == value, figure


def test_the_attack_recovers_no_hidden_figure(app, db, world, create_user):
    published = _crawl(app, world, _reader(app, db, create_user), _filters(world))
    for codes in (("16",), ("13", "16")):
        published += _crawl(
            app, world, _reader(app, db, create_user, codes), [{}, {"grade": "sec1"}]
        )
    _check_the_model(world, published)
    hidden, recovered = report_attack.attack(world, published)
    assert not recovered, list(recovered.values())[:10]
    # And there was something to find: small schools' figures, months, a region.
    kinds = set(hidden.values())
    assert {
        "sessions_delivered",
        "students_reached",
        "questions_received",
        "groups_reached",
    } <= kinds
    assert len(hidden) > 100


def test_the_same_attack_wins_against_small_counts_hidden_alone(
    app, db, world, create_user, monkeypatch
):
    """The solver is real: with only the small counts hidden (the reports
    before this rule), it recovers them, exactly."""

    def primary_only(cells, _axes, threshold):
        return (cells > 0) & (cells < threshold)

    monkeypatch.setattr(cube, "protect", primary_only)
    monkeypatch.setattr(cube, "_BUILT", OrderedDict())  # none built the other way
    published = _crawl(app, world, _reader(app, db, create_user), _filters(world)[:6])
    _check_the_model(world, published)
    _hidden, recovered = report_attack.attack(world, published)
    assert recovered
    for cells, (figure, value) in recovered.items():  # and its answers are right
        assert value == report_attack.value_of(world, cells), figure
    # Among them, a small school's figure (a total minus its shown parts).
    places = [{atom[3] for atom in cells} for cells in recovered if len(next(iter(cells))) == 5]
    assert any(len(p) == 1 and next(iter(p))[0] == "s" for p in places)


QUESTION_FIGURES = ("questions_received", "questions_answered", "questions_urgent", "escalations")


def test_padding_a_small_school_with_ones_own_questions_gives_nothing(app, db, world, create_user):
    """École A2 had two questions in October (hidden). The attacker asks four
    more naming it, that month, and reads every report: questions are counted
    by region, never by school, so A2's count is nowhere to be read; and with
    their own four known, no hidden figure comes out."""
    headers = _reader(app, db, create_user)
    school = world.places["schools"]["A2"]
    where = (school.region_code, school.service_centre_id, school.id)
    for _n in range(4):
        _question(db, world, where, date(2026, 10, 22), "pressure", None, False, 0, own=True)
    db.commit()
    client = app.test_client()
    for chosen in ({"school_id": school.id}, {"service_centre_id": school.service_centre_id}):
        body = client.get(
            "/api/v1/reports/reach",
            query_string={"period": "month", "year": 2026, "month": 10, **chosen},
            headers=headers,
        ).get_json()
        summary = {item["figure"]: item["value"] for item in body["summary"]}
        assert {summary[figure] for figure in QUESTION_FIGURES} == {None}
        assert summary["median_reply_hours"] is None
        assert not [t for t in body["tables"] if t["key"].startswith("questions")]
    published = _crawl(app, world, headers, [{}, {"region": "16"}, {"topic": "pressure"}])
    _check_the_model(world, published)
    known = {(*atom, "own") for f in QUESTION_FIGURES for atom in report_attack.own_atoms(world, f)}
    hidden, recovered = report_attack.attack(world, published, known)
    assert "questions_received" in hidden.values()
    assert not recovered, list(recovered.values())[:10]


FORMATS_SEEN = [
    ({"period": "school_year", "year": "2026"}, {}),
    ({"period": "quarter", "year": "2026", "quarter": "4"}, {"region": "16"}),
    ({"period": "month", "year": "2026", "month": "10"}, {"grade": "sec2"}),
]


def _page_rows(html):
    """The rows of the page's tables: a label and its cells, as the exports' text."""
    found = []
    for label, cells in re.findall(r'<tr><th scope="row">(.*?)</th>((?:<td>.*?</td>)+)</tr>', html):
        values = [unescape(v) for v in re.findall(r"<td>(.*?)</td>", cells)]
        found.append([unescape(label), *("" if v == "—" else v.replace(",", "") for v in values)])
    return found


def test_every_format_shows_what_the_api_shows(app, db, world, create_user):
    """So the API's answers are what the page, the CSV, the XLSX and the PDF
    show too: what the attack above reads stands for all of them."""
    from tests import test_report_exports as exports

    user = create_user(Role.COORDINATOR)
    _row, value = tokens.create_token(db, user=user, name="formats")
    db.commit()
    client = app.test_client()
    AuthActions(client).login(user.email, lang="en")
    first_rows = None
    for period, chosen in FORMATS_SEEN:
        params = {**period, **chosen}
        data = client.get(
            "/api/v1/reports/reach",
            query_string={**params, "lang": "en"},
            headers={"Authorization": f"Bearer {value}"},
        ).get_json()
        tagged = exports._expected_rows(data, "Total")
        expected = [row for _kind, row in tagged]
        rows = [row for kind, row in tagged if kind == "figures"]
        first_rows = first_rows or rows
        assert any("x" in row for row in rows) and any("<5" in row for row in rows)
        page = client.get("/en/reports/", query_string=params).get_data(as_text=True)
        assert _page_rows(page) == rows
        csv_rows = exports._csv_rows(
            client.get("/en/reports/reach.csv", query_string=params).data, "en"
        )
        assert exports._body_rows(csv_rows, "Figure") == expected
        _book, xlsx_rows = exports._xlsx_rows(
            client.get("/en/reports/reach.xlsx", query_string=params).data
        )
        # A whole median (5.0) comes back from the sheet as the number 5.
        whole = [[re.sub(r"^(\d+)\.0$", r"\1", c) for c in exports._trimmed(r)] for r in expected]
        assert exports._body_rows(xlsx_rows, "Figure") == whole
    # The PDF of the first: every row's text, marks included (pypdf reads it).
    period, chosen = FORMATS_SEEN[0]
    pdf = client.get("/en/reports/reach.pdf", query_string={**period, **chosen})
    text = exports._pdf_text(pdf.data)
    missing = [row for row in first_rows if exports._pdf_row(row, "en") not in text]
    assert not missing, missing
