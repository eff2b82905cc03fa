"""The reach figures: periods, hand-computed figures on a small fixture,
distinct versus total counts, filters, purged questions, suppression."""

from datetime import UTC, date, datetime, time
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from app.help import retention
from app.help.models import Conversation, Escalation
from app.presentations import services as presentations
from app.presentations.models import SchoolRequest
from app.reports import events, periods, questions, reach
from app.reports.suppression import SECONDARY, suppress_value
from app.security import Role
from tests.help_factory import make_conversation
from tests.visits_factory import TRAVEL, add_session, deliver, make_visit

# Periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "start", "end"),
    [
        ({}, date(2026, 7, 1), date(2027, 6, 30)),  # today's school year
        ({"period": "school_year", "year": "2025"}, date(2025, 7, 1), date(2026, 6, 30)),
        ({"period": "school_year"}, date(2026, 7, 1), date(2027, 6, 30)),
        (
            {"period": "quarter", "year": "2028", "quarter": "1"},
            date(2028, 1, 1),
            date(2028, 3, 31),
        ),
        ({"period": "month", "year": "2028", "month": "2"}, date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_periods(args, start, end):
    period = periods.period_from(args, today=date(2026, 11, 30))
    assert (period.start, period.end) == (start, end)
    assert periods.period_from(period.params(), today=date(2000, 1, 1)) == period


@pytest.mark.parametrize(
    ("args", "start", "end"),
    [
        ({"period": "school_year", "year": "2026"}, date(2025, 7, 1), date(2026, 6, 30)),
        (
            {"period": "quarter", "year": "2026", "quarter": "1"},
            date(2025, 10, 1),
            date(2025, 12, 31),
        ),
        ({"period": "month", "year": "2026", "month": "1"}, date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_the_previous_period(args, start, end):
    previous = periods.period_from(args, today=date(2026, 11, 30)).previous()
    assert (previous.start, previous.end) == (start, end)


@pytest.mark.parametrize(
    "args",
    [
        {"period": "decade"},
        {"period": "month", "year": "2026", "month": "13"},
        {"period": "quarter", "year": "abc", "quarter": "1"},
        {"period": "quarter", "year": "2026", "quarter": "5"},
        {"period": "fiscal_year", "year": "2026"},  # straddles two school years
        {"period": "calendar_year", "year": "2026"},
    ],
)
def test_bad_periods_are_refused(args):
    with pytest.raises(periods.PeriodError):
        periods.period_from(args, today=date(2026, 11, 30))


@pytest.mark.parametrize(
    "args",
    [
        {"period": "range", "start": "2026-10-06", "end": "2026-10-20"},
        {"period": "range", "start": "2026-10-20", "end": "2026-10-06"},
        {"start": "2026-10-06", "end": "2026-10-20", "period": "weeks"},
    ],
)
def test_dates_of_ones_choice_are_refused(args):
    # Two ranges a day apart would give away that day's counts.
    with pytest.raises(periods.PeriodError, match="range"):
        periods.period_from(args, today=date(2026, 11, 30))


def test_quarters_make_the_years_and_months_the_quarters():
    school = periods.make("school_year", 2026)
    assert [(q.year, q.number) for q in periods.quarters(school)] == [
        (2026, 3),
        (2026, 4),
        (2027, 1),
        (2027, 2),
    ]
    fiscal = periods.make("fiscal_year", 2026)
    assert [(q.year, q.number) for q in periods.quarters(fiscal)] == [
        (2026, 2),
        (2026, 3),
        (2026, 4),
        (2027, 1),
    ]
    months = periods.months(school)
    assert (months[0].start, months[-1].end) == (school.start, school.end) and len(months) == 12


# Suppression ---------------------------------------------------------------------


def test_small_counts_are_hidden_and_zeros_stay():
    assert [suppress_value(v, 5) for v in (0, 1, 4, 5, 12, None)] == [0, "<5", "<5", 5, 12, None]


MONTHS, SCHOOLS, GRADES = ("m1", "m2", "m3", "m4"), ("s1", "s2", "s3", "s4"), ("g1", "g2")


def _tiny_cube(counts, threshold=5):
    """A cube of 4 months in 2 quarters, 4 schools in 2 centres, 2 grades."""
    from app.reports.cube import build
    from app.reports.suppression import Axis

    def axes(_figure):
        time = Axis(list(MONTHS), {m: (m, f"q{(int(m[1]) + 1) // 2}", "year") for m in MONTHS})
        place = Axis(list(SCHOOLS), {s: (s, f"c{(int(s[1]) + 1) // 2}", "all") for s in SCHOOLS})
        other = Axis(list(GRADES), {g: ("any", g) for g in GRADES})
        return time, place, other

    shared = axes(None)
    leaves = [(m, s, g, "n", n) for (m, s, g), n in counts.items() if n]
    return build(leaves, lambda _figure: shared, threshold=threshold), shared


def _cells(axes):
    """Every cell of the tiny cube, with the leaves it adds up."""
    time, place, other = axes
    nodes = [{n for leaf in axis.leaves for n in axis.containing[leaf]} for axis in axes]
    for t, g, o in product(*(sorted(n) for n in nodes)):
        yield (
            ("n", t, g, o),
            {
                (m, s, k)
                for m in MONTHS
                for s in SCHOOLS
                for k in GRADES
                if t in time.containing[m] and g in place.containing[s] and o in other.containing[k]
            },
        )


def test_a_small_count_hides_its_box():
    # One small school in one month: it, a partner month in its quarter, a
    # partner school in its centre, every grade node holding its grade.
    counts = {(m, s, g): 10 for m in MONTHS for s in SCHOOLS for g in GRADES}
    counts["m1", "s1", "g1"] = 2
    found, _axes = _tiny_cube(counts)
    assert found.hidden_cells() == {
        ("n", t, g, o) for t in ("m1", "m2") for g in ("s1", "s2") for o in ("g1", "g2")
    }
    assert found.value(("n", "year", "all", "any")) == 10 * 31 + 2  # totals stay shown


@given(st.lists(st.integers(min_value=0, max_value=7), min_size=32, max_size=32))
def test_no_sum_of_shown_cells_gives_a_hidden_one(numbers):
    from tests.report_attack import Solver

    keys = list(product(MONTHS, SCHOOLS, GRADES))
    counts = dict(zip(keys, numbers, strict=True))
    found, axes = _tiny_cube(counts)
    solver, hidden = Solver(), []
    for cell, leaves in _cells(axes):
        if found.hides(cell):
            hidden.append(leaves)
        else:
            solver.learn(leaves, found.value(cell))
        assert found.hides(cell) or not 0 < found.value(cell) < 5  # every small count hidden
    assert all(solver.solve(leaves) is None for leaves in hidden)


def test_the_hidden_cells_do_not_depend_on_the_order_of_the_records():
    counts = {
        (m, s, g): (i * 7) % 9 for i, (m, s, g) in enumerate(product(MONTHS, SCHOOLS, GRADES))
    }
    first, _axes = _tiny_cube(counts)
    again, _axes = _tiny_cube(dict(reversed(list(counts.items()))))
    assert first.hidden_cells() == again.hidden_cells()


# Figures, by hand -------------------------------------------------------------------


@pytest.fixture
def activity(db, setting, create_user):
    """One visit: group 201 reached in two modules (25 then 24 students),
    group 301 once (20), one session planned only; a presentation held to
    parents (40 people), one planned; two requests (one accepted); three
    questions (one urgent, answered after 5 hours, escalated once)."""
    visit = make_visit(db, setting)
    first = add_session(db, visit, setting, group=0, module=0, day=date(2026, 10, 6), period=1)
    second = add_session(db, visit, setting, group=0, module=1, day=date(2026, 10, 7), period=1)
    third = add_session(db, visit, setting, group=1, module=0, day=date(2026, 10, 6), period=2)
    add_session(db, visit, setting, group=1, module=1, day=date(2026, 10, 8), period=1)
    modules = setting["modules"]
    for s, present, module in ((first, 25, 0), (second, 24, 1), (third, 20, 0)):
        deliver(db, s, attendance=present, module=modules[module])
    db.commit()
    people = [setting["police"], setting["workers"][0]]
    for day, status_audience in ((date(2026, 10, 15), 40), (date(2027, 1, 12), None)):
        held = presentations.save_presentation(
            db,
            values={
                "audience": "parents",
                "organisation": "Comité de parents",
                "school_id": setting["school"].id,
                "on_date": day,
                "starts_at": time(19),
                "ends_at": time(20),
                "place": "Bibliothèque",
            },
            presenters=people,
            travel_minutes=TRAVEL,
        )
        if status_audience:
            presentations.record_outcome(
                db, presentation=held, actual_audience=40, follow_ups="", today=day
            )
    for status in ("accepted", "open"):
        db.add(
            SchoolRequest(
                kind="presentation",
                audience="staff",
                organisation="École",
                school_id=setting["school"].id,
                contact_name="X",
                contact_email="x@example.org",
                preferred_periods="Mardi",
                status=status,
                created_at=datetime(2026, 9, 10, 14, tzinfo=UTC),
            )
        )
    worker = create_user(Role.YOUTH_WORKER)
    asked = datetime(2026, 10, 7, 10, tzinfo=UTC)
    for topic, urgent, school_id in (
        ("pressure", True, setting["school"].id),
        ("online", False, setting["school"].id),
        ("online", False, None),
    ):
        db.add(
            make_conversation(
                asked=asked,
                replied=datetime(2026, 10, 7, 15, 30, tzinfo=UTC) if urgent else None,
                topic=topic,
                urgent=urgent,
                school_id=school_id,
                assigned_to_id=worker.id,
            )
        )
    db.commit()
    urgent = db.exec(select(Conversation).where(Conversation.urgent)).one()
    db.add(Escalation(conversation_id=urgent.id, kind="youth_protection"))
    db.commit()
    return setting


SCHOOL_YEAR = periods.make("school_year", 2026)


def test_the_figures_match_a_hand_count(db, activity):
    assert reach.figures(db, SCHOOL_YEAR, reach.Filters()) == {
        "schools_visited": 1,
        "visits_done": 0,  # the visit is not marked done
        "groups_reached": 2,  # 201 twice and 301 once: two groups, three sessions
        "sessions_delivered": 3,
        "students_reached": 69,
        "presentations_held": 1,
        "presentation_audience": 40,
        "requests_received": 2,
        "requests_accepted": 1,
        "campaign_posters": 0,  # no distribution recorded (tests/test_distribution.py)
        "campaign_flyers": 0,
        "campaign_days": 0,
        "kiosk_students": 0,
        "questions_received": 3,
        "questions_answered": 1,
        "questions_urgent": 1,
        "escalations": 1,
        "median_reply_hours": 5.0,
    }


def test_breakdowns_count_distinct_groups_and_reaches(db, activity):
    by_grade = reach.sessions_by(db, SCHOOL_YEAR, reach.Filters(), "grade")
    assert by_grade == [("sec2", 1, 2, 49), ("sec3", 1, 1, 20)]
    by_module = {
        k: rest for k, *rest in reach.sessions_by(db, SCHOOL_YEAR, reach.Filters(), "module")
    }
    first, second = activity["modules"][0].id, activity["modules"][1].id
    assert by_module == {first: [2, 2, 45], second: [1, 1, 24]}
    assert questions.questions_by(db, SCHOOL_YEAR, reach.Filters(), "topic") == [
        ("online", 2, 0, 0, 0),
        ("pressure", 1, 1, 1, 1),
    ]
    assert questions.questions_by(db, SCHOOL_YEAR, reach.Filters(), "school_id") == [
        (str(activity["school"].id), 2, 1, 1, 1),
        (None, 1, 0, 0, 0),
    ]
    assert events.presentations_by_audience(db, SCHOOL_YEAR, reach.Filters()) == [
        ("parents", 1, 40)
    ]


def test_period_boundaries_are_inclusive(db, activity):
    def sessions(start, end):
        period = periods.Period("range", start, end)
        return reach.figures(db, period, reach.Filters())["sessions_delivered"]

    assert sessions(date(2026, 10, 6), date(2026, 10, 6)) == 2
    assert sessions(date(2026, 10, 7), date(2026, 10, 7)) == 1
    assert sessions(date(2026, 10, 8), date(2026, 12, 31)) == 0
    assert sessions(date(2025, 7, 1), date(2026, 10, 5)) == 0
    previous = reach.figures(db, SCHOOL_YEAR.previous(), reach.Filters())
    assert previous["sessions_delivered"] == 0 and previous["questions_received"] == 0


def test_filters_apply_to_the_figures_they_concern(db, activity):
    grade = reach.figures(db, SCHOOL_YEAR, reach.Filters(grade="sec3"))
    assert (grade["sessions_delivered"], grade["students_reached"]) == (1, 20)
    assert grade["questions_received"] is None and grade["presentations_held"] is None
    topic = reach.figures(db, SCHOOL_YEAR, reach.Filters(topic="online"))
    assert topic["questions_received"] == 2 and topic["sessions_delivered"] is None
    school = reach.figures(db, SCHOOL_YEAR, reach.Filters(school_id=activity["school"].id))
    assert (school["questions_received"], school["presentations_held"]) == (2, 1)
    centre = activity["school"].service_centre_id
    assert (
        reach.figures(db, SCHOOL_YEAR, reach.Filters(service_centre_id=centre))["students_reached"]
        == 69
    )


def test_regions_apply_to_every_figure_through_the_school(db, activity):
    everything = reach.figures(db, SCHOOL_YEAR, reach.Filters())
    monteregie = reach.figures(db, SCHOOL_YEAR, reach.Filters(region="16"))  # the school's
    # Everything but the question that names no school, which has no region.
    assert monteregie == {**everything, "questions_received": 2}
    laval = reach.figures(db, SCHOOL_YEAR, reach.Filters(within=("13",)))
    assert {v for k, v in laval.items() if k != "median_reply_hours"} == {0}
    assert laval["median_reply_hours"] is None
    assert reach.sessions_by(db, SCHOOL_YEAR, reach.Filters(), "region") == [("16", 2, 3, 69)]


def test_purged_questions_are_still_counted(db, activity):
    for conversation in db.exec(select(Conversation)):
        conversation.status = "closed"
        conversation.closed_at = datetime(2026, 10, 8, tzinfo=UTC)
    db.commit()
    before = reach.figures(db, SCHOOL_YEAR, reach.Filters())
    assert retention.purge(db, now=datetime(2027, 6, 1, tzinfo=UTC), retention_days=90) == 3
    db.commit()
    after = reach.figures(db, SCHOOL_YEAR, reach.Filters())
    for key in ("questions_received", "questions_answered", "questions_urgent", "escalations"):
        assert after[key] == before[key], key
    assert after["median_reply_hours"] is None  # delays are not kept after a purge
    assert questions.questions_by(db, SCHOOL_YEAR, reach.Filters(), "topic") == [
        ("online", 2, 0, 0, 0),
        ("pressure", 1, 1, 1, 1),
    ]


def test_the_report_counts_what_reach_counts(app, db, activity):
    """The report reads its figures from the cubes (app/reports/cube.py): with
    no threshold they are reach.figures, whatever the filters."""
    from app.reports.report import build_report

    school = activity["school"]
    cases = [
        reach.Filters(),
        reach.Filters(grade="sec3"),
        reach.Filters(module_id=activity["modules"][1].id),
        reach.Filters(topic="online"),
        reach.Filters(region="16"),
        reach.Filters(within=("13", "16")),
    ]
    for filters in cases:
        for period in (
            SCHOOL_YEAR,
            periods.make("quarter", 2026, 4),
            periods.make("month", 2026, 10),
        ):
            with app.test_request_context("/en/reports/"):
                report = build_report(db, period, filters)
            shown = {key: value for key, _label, value, _before in report.summary}
            assert shown == reach.figures(db, period, filters), (filters, period)
    # A school or a centre: what anyone can add to from outside (questions,
    # school requests) is not counted by school.
    for filters in (
        reach.Filters(school_id=school.id),
        reach.Filters(service_centre_id=school.service_centre_id),
    ):
        with app.test_request_context("/en/reports/"):
            report = build_report(db, SCHOOL_YEAR, filters)
        shown = {key: value for key, _label, value, _before in report.summary}
        expected = reach.figures(db, SCHOOL_YEAR, filters)
        outside = {*reach.QUESTION_FIGURES, *reach.REQUEST_FIGURES}
        assert {k: v for k, v in shown.items() if k not in outside} == {
            k: v for k, v in expected.items() if k not in outside
        }
        assert {shown[k] for k in outside} == {None}
        assert not [t for t in report.tables if t.key.startswith("questions")]


def test_the_report_hides_small_counts_and_questions_stop_at_the_region(
    app, db, activity, create_school
):
    from app.reports.report import build_report

    other = create_school(name="École secondaire du Grand-Pré")
    asked = datetime(2026, 11, 3, 9, tzinfo=UTC)
    for _n in range(10):
        db.add(make_conversation(asked=asked, topic="relationships", school_id=other.id))
    db.commit()
    with app.test_request_context("/en/reports/"):
        shown = build_report(db, SCHOOL_YEAR, reach.Filters(), threshold=5)
    keys = [t.key for t in shown.tables]
    assert "questions_by_school" not in keys and "questions_by_region" in keys
    (by_region,) = [t for t in shown.tables if t.key == "questions_by_region"]
    received = {label: values[0] for _key, label, values in by_region.rows}
    # 12 in Montérégie; 1 naming no school, so one more is hidden: the region.
    assert received == {"Montérégie (16)": SECONDARY, "No school given": "<5"}
    assert by_region.totals[0] == 13
    summary = {key: (value, before) for key, _label, value, before in shown.summary}
    assert summary["questions_received"] == (13, 0)
    assert summary["questions_urgent"] == ("<5", 0)  # zeros stay visible
    # One reply makes the median: hidden ("x", not "<5": it is hours).
    assert summary["median_reply_hours"] == (SECONDARY, None)
    # A school's figures are hidden: a count of schools would tell whether a row
    # shown with "x" had any.
    assert summary["schools_visited"] == ("<5", 0)


# The page --------------------------------------------------------------------------------


def test_the_page_shows_every_count_and_applies_the_filters(app, db, activity, create_user):
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login(create_user(Role.COORDINATOR).email)
    page = client.get("/en/reports/?period=school_year&year=2026").get_data(as_text=True)
    assert "School year 2026–2027" in page and "School year 2025–2026" in page
    assert '<th scope="row">Students reached (sum of attendance)</th><td>69</td><td>0</td>' in page
    assert 'id="chart-sessions_by_grade"' in page and 'role="img"' in page
    filtered = client.get("/en/reports/?period=school_year&year=2026&grade=sec3")
    assert '<th scope="row">Students reached (sum of attendance)</th><td>20</td>' in (
        filtered.get_data(as_text=True)
    )
    bad = client.get("/en/reports/?period=month&year=2026&month=13")
    assert bad.status_code == 400 and "not valid" in bad.get_data(as_text=True)
    page = client.get("/en/reports/").get_data(as_text=True)
    assert 'name="start"' not in page and 'value="range"' not in page  # no dates to choose


@pytest.mark.parametrize("path", ["/en/reports/", "/en/reports/reach.csv", "/en/reports/outcomes"])
def test_dates_of_ones_choice_are_a_400_that_says_why(app, create_user, path):
    from tests.conftest import AuthActions

    client = app.test_client()
    AuthActions(client).login(create_user(Role.COORDINATOR).email, lang="en")
    response = client.get(
        path, query_string={"period": "range", "start": "2026-10-01", "end": "2026-10-30"}
    )
    assert response.status_code == 400 and "text/html" in response.content_type
    assert "not dates of your choice" in response.get_data(as_text=True)
