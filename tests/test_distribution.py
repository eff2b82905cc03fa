"""Awareness campaigns on the staff side: distribution records (rules, who
records and deletes), their lines in the reach report and its exports, and
the campaigns' periods in the joint calendar and in a person's feed."""

import csv
import io
from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import func, select

from app.campaigns import services
from app.campaigns.loader import get_campaigns
from app.campaigns.models import DistributionRecord
from app.devdata import demo
from app.reports import events, periods, reach
from app.reports.report import build_report
from app.schools.services import local_today
from app.security import Role
from app.visits import sharing
from tests.campaigns_factory import write_campaign
from tests.conftest import AuthActions, extract_csrf_token

SPRING = "spring-week"  # 03-01 to 03-07, "Test campaign 1"
AUTUMN = "autumn-days"  # 10-20 to 10-24, "Test campaign 2"
TODAY = date(2026, 11, 30)
SCHOOL_YEAR = periods.make("school_year", 2026)


@pytest.fixture
def app(make_app, curriculum_dir, tmp_path):
    write_campaign(curriculum_dir, SPRING, n=1, start="03-01", end="03-07")
    write_campaign(curriculum_dir, AUTUMN, n=2, start="10-20", end="10-24")
    return make_app(
        CURRICULUM_PATH=str(curriculum_dir),
        CURRICULUM_RELOAD_SECONDS=0,
        PDF_CACHE_DIR=str(tmp_path / "pdfs"),
    )


@pytest.fixture
def catalogue(app):
    with app.app_context():
        found = get_campaigns()
    assert [c.slug for c in found.campaigns] == [SPRING, AUTUMN]
    return found


def _values(school, **changes):
    return {
        "campaign_slug": AUTUMN,
        "school_id": school.id,
        "on_date": date(2026, 10, 21),
        "posters": 0,
        "flyers": 0,
        "campaign_day": False,
        "kiosk_students": 0,
        "note": "",
        **changes,
    }


def _record(db, catalogue, school, by, **changes):
    record = services.record_distribution(
        db, campaigns=catalogue, values=_values(school, **changes), by=by, today=TODAY
    )
    db.commit()
    return record


def _count(db):
    return db.exec(select(func.count()).select_from(DistributionRecord)).one()


def _client(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


# The rules ---------------------------------------------------------------------------------


def test_a_record_keeps_what_was_handed_out_and_who_recorded_it(
    db, catalogue, create_school, create_user
):
    worker = create_user(Role.PREVENTION_WORKER)
    record = _record(
        db, catalogue, create_school(), worker, posters=12, flyers=150, note="  Au 2e étage. "
    )
    saved = db.get(DistributionRecord, record.id)
    assert (saved.posters, saved.flyers, saved.campaign_day, saved.kiosk_students) == (
        12,
        150,
        False,
        0,
    )
    assert saved.recorded_by_id == worker.id and saved.note == "Au 2e étage."
    assert saved.recorded_at is not None


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        (
            {"campaign_slug": "no-such-campaign", "posters": 3},
            {"campaign_slug": "unknown_campaign"},
        ),
        ({"campaign_slug": None, "posters": 3}, {"campaign_slug": "unknown_campaign"}),
        ({"school_id": 999_999, "posters": 3}, {"school_id": "unknown_school"}),
        # Past the databases' 64-bit ids (SQLite raised OverflowError: a 500).
        ({"school_id": 2**63, "posters": 3}, {"school_id": "unknown_school"}),
        ({"on_date": TODAY + timedelta(days=1), "posters": 3}, {"on_date": "future"}),
        ({"on_date": None, "posters": 3}, {"on_date": "required"}),
        ({"posters": -1, "flyers": 5}, {"posters": "count"}),
        ({"flyers": 2.5}, {"flyers": "count"}),
        ({"kiosk_students": True}, {"kiosk_students": "count"}),
        ({"kiosk_students": None, "posters": 1}, {"kiosk_students": "count"}),
        ({}, {"nothing": "nothing"}),
        ({"posters": 3, "note": "x" * 501}, {"note": "too_long"}),
        (
            {"campaign_slug": "nope", "school_id": 0, "posters": -2},
            {
                "campaign_slug": "unknown_campaign",
                "school_id": "unknown_school",
                "posters": "count",
            },
        ),
    ],
)
def test_a_record_breaking_a_rule_is_refused_whole(
    db, catalogue, create_school, create_user, changes, problems
):
    school = create_school()
    with pytest.raises(services.DistributionError) as refused:
        services.record_distribution(
            db,
            campaigns=catalogue,
            values=_values(school, **changes),
            by=create_user(),
            today=TODAY,
        )
    assert refused.value.problems == problems
    db.rollback()
    assert _count(db) == 0


def test_a_campaign_day_or_a_zero_count_is_enough_and_today_is_not_the_future(
    db, catalogue, create_school, create_user
):
    school, worker = create_school(), create_user()
    _record(db, catalogue, school, worker, campaign_day=True, on_date=TODAY)
    _record(db, catalogue, school, worker, kiosk_students=40, on_date=TODAY)
    assert _count(db) == 2


def test_a_campaign_day_counts_once_per_campaign_school_and_day(
    db, catalogue, create_school, create_user
):
    school, other_school = create_school(), create_school()
    worker, colleague = create_user(), create_user()
    _record(db, catalogue, school, worker, campaign_day=True, posters=10)
    with pytest.raises(services.DistributionError) as refused:
        _record(db, catalogue, school, colleague, campaign_day=True, kiosk_students=30)
    assert refused.value.problems == {"campaign_day": "day_recorded"}
    db.rollback()
    # The kiosk of that day without the day again; another school; another campaign.
    _record(db, catalogue, school, colleague, kiosk_students=30)
    _record(db, catalogue, other_school, colleague, campaign_day=True)
    _record(db, catalogue, school, colleague, campaign_day=True, campaign_slug=SPRING)
    assert _count(db) == 4


# The pages: who records, what they see --------------------------------------------------


@pytest.mark.parametrize("role", [Role.PREVENTION_WORKER, Role.YOUTH_WORKER, Role.COORDINATOR])
def test_workers_and_coordinators_record_from_the_form(app, db, create_school, create_user, role):
    school = create_school(name="École secondaire du Boisé")
    user = create_user(role)
    client = _client(app, user)
    form = client.get(f"/en/campaigns/records/new?campaign={AUTUMN}")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert f'<option selected value="{AUTUMN}">Test campaign 2</option>' in page
    assert "École secondaire du Boisé" in page
    response = client.post(
        "/en/campaigns/records/new",
        data={
            "csrf_token": extract_csrf_token(page),
            "campaign_slug": AUTUMN,
            "school_id": str(school.id),
            "on_date": "2026-10-21",
            "posters": "12",
            "flyers": "",  # empty: none
            "kiosk_students": "46",
            "campaign_day": "y",
            "note": "Kiosque à la cafétéria.",
        },
    )
    assert response.status_code == 302
    assert response.location == f"/en/campaigns/records/?campaign={AUTUMN}"
    (saved,) = db.exec(select(DistributionRecord)).all()
    assert (saved.posters, saved.flyers, saved.campaign_day, saved.kiosk_students) == (
        12,
        0,
        True,
        46,
    )
    assert saved.recorded_by_id == user.id
    listed = client.get(response.location).get_data(as_text=True)
    assert "Recorded: it counts in the reach report." in listed
    assert "Kiosque à la cafétéria." in listed and user.name in listed


def test_the_form_lists_every_problem_at_once_and_saves_nothing(app, db, create_user):
    client = _client(app, create_user(Role.PREVENTION_WORKER))
    token = extract_csrf_token(client.get("/en/campaigns/records/new").get_data(as_text=True))
    future = (local_today() + timedelta(days=1)).isoformat()
    response = client.post(
        "/en/campaigns/records/new",
        data={
            "csrf_token": token,
            "campaign_slug": "not-a-campaign",
            "school_id": "0",
            "on_date": future,
            "posters": "abc",
            "flyers": "-3",
            "kiosk_students": "1.5",
        },
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Please correct the fields marked below." in page
    assert "Choose one of the campaigns." in page
    assert "Choose one of the schools." in page
    assert "Record what was done: the date cannot be in the future." in page
    # Each count in the wrong shape says so once.
    assert page.count("Give a whole number, 0 or more.") == 3
    assert _count(db) == 0


def test_nothing_recorded_is_refused_in_french_too(app, db, create_school, create_user):
    school = create_school()
    client = _client(app, create_user(Role.YOUTH_WORKER))
    token = extract_csrf_token(client.get("/fr/campaigns/records/new").get_data(as_text=True))
    response = client.post(
        "/fr/campaigns/records/new",
        data={
            "csrf_token": token,
            "campaign_slug": SPRING,
            "school_id": str(school.id),
            "on_date": "2026-03-02",
            "posters": "0",
            "flyers": "0",
            "kiosk_students": "0",
        },
    )
    assert response.status_code == 200
    assert 'lang="fr"' in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert _count(db) == 0


@pytest.mark.parametrize("path", ["/fr/campaigns/records/", "/fr/campaigns/records/new"])
def test_police_officers_may_not_record_or_list(app, create_user, path):
    assert _client(app, create_user(Role.POLICE_OFFICER)).get(path).status_code == 403
    visitor = app.test_client().get(path)
    assert visitor.status_code == 302 and "/fr/login" in visitor.location


def test_the_list_is_newest_first_paginated_and_filtered_by_campaign(
    app, db, catalogue, create_school, create_user
):
    school, worker = create_school(), create_user()
    for day in range(1, 22):  # 21 autumn records, the 1st to the 21st of October
        _record(db, catalogue, school, worker, posters=day, on_date=date(2026, 10, day))
    _record(db, catalogue, school, worker, flyers=7, on_date=date(2026, 3, 2), campaign_slug=SPRING)
    client = _client(app, create_user(Role.COORDINATOR))
    first = client.get("/en/campaigns/records/").get_data(as_text=True)
    assert first.index("October 21, 2026") < first.index("October 20, 2026")
    assert "Page 1 of 2" in first and "October 2, 2026" in first and "October 1, 2026" not in first
    second = client.get("/en/campaigns/records/?page=2").get_data(as_text=True)
    assert (
        "October 2, 2026" not in second
        and "October 1, 2026" in second
        and "March 2, 2026" in second
    )
    spring = client.get(f"/en/campaigns/records/?campaign={SPRING}").get_data(as_text=True)
    assert (
        "March 2, 2026" in spring and "October 21, 2026" not in spring and "Page 1 of" not in spring
    )
    assert client.get("/en/campaigns/records/?page=3").status_code == 404


# Deleting: the author or a coordinator ----------------------------------------------------


def _delete(client, record):
    url = f"/en/campaigns/records/{record.id}/delete"
    confirm = client.get(url)
    if confirm.status_code != 200:
        return confirm.status_code
    assert "Delete this distribution record?" in confirm.get_data(as_text=True)
    return client.post(url, data={"csrf_token": extract_csrf_token(confirm.get_data(as_text=True))})


def test_the_author_deletes_their_record_after_confirming(
    app, db, catalogue, create_school, create_user
):
    worker = create_user(Role.PREVENTION_WORKER)
    record = _record(db, catalogue, create_school(), worker, posters=5)
    client = _client(app, worker)
    assert "Delete" in client.get("/en/campaigns/records/").get_data(as_text=True)
    response = _delete(client, record)
    assert response.status_code == 302 and response.location.startswith("/en/campaigns/records/")
    assert _count(db) == 0


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_a_coordinator_deletes_anyones_record(app, db, catalogue, create_school, create_user, role):
    record = _record(db, catalogue, create_school(), create_user(Role.YOUTH_WORKER), posters=5)
    assert _delete(_client(app, create_user(role)), record).status_code == 302
    assert _count(db) == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.PREVENTION_WORKER, 404), (Role.YOUTH_WORKER, 404), (Role.POLICE_OFFICER, 403)],
)
def test_nobody_else_deletes_a_record(app, db, catalogue, create_school, create_user, role, status):
    record = _record(db, catalogue, create_school(), create_user(Role.PREVENTION_WORKER), posters=5)
    client = _client(app, create_user(role))
    url = f"/en/campaigns/records/{record.id}/delete"
    assert client.get(url).status_code == status
    token = extract_csrf_token(client.get("/en/account/password").get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == status
    if status == 404:  # not even offered
        assert "/delete" not in client.get("/en/campaigns/records/").get_data(as_text=True)
    assert _count(db) == 1


def test_an_unknown_record_is_not_found(app, create_user):
    client = _client(app, create_user(Role.COORDINATOR))
    assert client.get("/en/campaigns/records/12345/delete").status_code == 404


# The reach report -------------------------------------------------------------------------


@pytest.fixture
def distributed(db, catalogue, create_school, create_centre, create_user):
    """Two schools in two centres. In school year 2026–2027: autumn at the
    first school (12 posters, 150 flyers; then a campaign day with 40
    students at a kiosk), spring at the second (20 posters, a campaign day,
    85 students); and, outside it, 100 posters on 2026-06-30 and 200 flyers
    on 2027-07-01."""
    first = create_school(name="École A", centre=create_centre(name="CSS Un"))
    second = create_school(name="École B", centre=create_centre(name="CSS Deux"))
    worker = create_user()
    _record(db, catalogue, first, worker, posters=12, flyers=150, on_date=date(2026, 10, 20))
    _record(
        db,
        catalogue,
        first,
        worker,
        campaign_day=True,
        kiosk_students=40,
        on_date=date(2026, 10, 22),
    )
    # Days after the real today are recorded with "today" moved past them.
    services.record_distribution(
        db,
        campaigns=catalogue,
        values=_values(
            second,
            campaign_slug=SPRING,
            on_date=date(2027, 3, 3),
            posters=20,
            campaign_day=True,
            kiosk_students=85,
        ),
        by=worker,
        today=date(2027, 3, 3),
    )
    _record(db, catalogue, second, worker, posters=100, on_date=date(2026, 6, 30))
    services.record_distribution(
        db,
        campaigns=catalogue,
        values=_values(second, flyers=200, on_date=date(2027, 7, 1)),
        by=worker,
        today=date(2027, 7, 1),
    )
    db.commit()
    return {"first": first, "second": second}


def test_records_are_counted_in_the_reach_figures(db, distributed):
    figures = reach.figures(db, SCHOOL_YEAR, reach.Filters())
    assert {key: figures[key] for key in reach.CAMPAIGN_FIGURES} == {
        "campaign_posters": 32,  # 12 + 20 (the 100 of 2026-06-30 are the year before)
        "campaign_flyers": 150,  # not the 200 of 2027-07-01: the year after
        "campaign_days": 2,
        "kiosk_students": 125,  # 40 + 85
    }
    before = reach.figures(db, SCHOOL_YEAR.previous(), reach.Filters())
    assert (before["campaign_posters"], before["campaign_days"]) == (100, 0)


def test_campaign_figures_follow_the_school_and_centre_filters_only(db, distributed):
    first, second = distributed["first"], distributed["second"]
    school = reach.figures(db, SCHOOL_YEAR, reach.Filters(school_id=first.id))
    assert [school[k] for k in reach.CAMPAIGN_FIGURES] == [12, 150, 1, 40]
    centre = reach.figures(
        db, SCHOOL_YEAR, reach.Filters(service_centre_id=second.service_centre_id)
    )
    assert [centre[k] for k in reach.CAMPAIGN_FIGURES] == [20, 0, 1, 85]
    for filters in (reach.Filters(grade="sec2"), reach.Filters(topic="online")):
        figures = reach.figures(db, SCHOOL_YEAR, filters)
        assert all(figures[k] is None for k in reach.CAMPAIGN_FIGURES)
        assert events.campaigns_by_campaign(db, SCHOOL_YEAR, filters) == []


def test_period_boundaries_are_inclusive_for_records(db, distributed):
    def posters(start, end):
        period = periods.Period("range", start, end)
        return reach.figures(db, period, reach.Filters())["campaign_posters"]

    assert posters(date(2026, 10, 20), date(2026, 10, 20)) == 12
    assert posters(date(2026, 10, 21), date(2027, 3, 2)) == 0
    assert posters(date(2027, 3, 3), date(2027, 3, 3)) == 20
    assert posters(date(2026, 6, 30), date(2026, 10, 19)) == 100
    assert posters(date(2026, 7, 1), date(2026, 10, 19)) == 0


def test_the_report_has_a_table_by_campaign(app, db, distributed):
    with app.test_request_context("/en/reports/"):
        report = build_report(db, SCHOOL_YEAR, reach.Filters())
    (table,) = [t for t in report.tables if t.key == "campaigns_by_campaign"]
    assert table.column_labels == (
        "Campaign posters handed out",
        "Campaign flyers handed out",
        "Campaign days held",
        "Students reached at a campaign kiosk",
    )
    assert table.rows == (
        (AUTUMN, "Test campaign 2", (12, 150, 1, 40)),
        (SPRING, "Test campaign 1", (20, 0, 1, 85)),
    )
    assert table.totals == (32, 150, 2, 125)
    summary = {key: (value, before) for key, _label, value, before in report.summary}
    assert summary["kiosk_students"] == (125, 0) and summary["campaign_posters"] == (32, 100)


def test_a_campaign_no_longer_published_keeps_its_line(app, db, distributed, curriculum_dir):
    import shutil

    shutil.rmtree(curriculum_dir / "campaigns" / AUTUMN)
    with app.test_request_context("/en/reports/"):
        report = build_report(db, SCHOOL_YEAR, reach.Filters())
    (table,) = [t for t in report.tables if t.key == "campaigns_by_campaign"]
    assert [label for _key, label, _values in table.rows] == [AUTUMN, "Test campaign 1"]


def test_the_csv_export_has_the_campaign_lines_suppressed(app, db, distributed, create_user):
    client = _client(app, create_user(Role.COORDINATOR))
    response = client.get("/en/reports/reach.csv?period=school_year&year=2026")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    by_label = {row[0]: row[1:] for row in rows if row}
    assert by_label["Campaign posters handed out"] == ["32", "100"]
    assert by_label["Campaign flyers handed out"] == ["150", "0"]
    assert by_label["Campaign days held"] == ["<5", "0"]
    assert by_label["Students reached at a campaign kiosk"] == ["125", "0"]
    assert ["Campaign materials by campaign"] in rows
    header = rows.index(["Campaign materials by campaign"]) + 1
    assert rows[header][0] == "Campaign"
    # One campaign day each: both hidden; no other cell needs hiding.
    assert rows[header + 1] == ["Test campaign 2", "12", "150", "<5", "40"]
    assert rows[header + 2] == ["Test campaign 1", "20", "0", "<5", "85"]
    assert rows[header + 3] == ["Total", "32", "150", "<5", "125"]


def test_the_xlsx_defines_the_campaign_figures(app, db, distributed, create_user):
    import openpyxl

    client = _client(app, create_user(Role.COORDINATOR))
    response = client.get("/en/reports/reach.xlsx?period=school_year&year=2026")
    definitions = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[1]
    rows = {r[0]: r[1] for r in definitions.iter_rows(values_only=True)}
    for label in (
        "Campaign posters handed out",
        "Campaign flyers handed out",
        "Campaign days held",
        "Students reached at a campaign kiosk",
    ):
        assert rows[label], label


# Calendars ---------------------------------------------------------------------------------


def _grid(page):
    return page[page.index('<table class="month"') :].split("</table>")[0]


@pytest.mark.parametrize("role", [Role.POLICE_OFFICER, Role.PREVENTION_WORKER])
def test_the_joint_calendar_shows_a_campaign_on_each_day_it_runs(app, create_user, role):
    client = _client(app, create_user(role))
    page = client.get("/en/calendar/?month=2027-03").get_data(as_text=True)
    link = f'<a href="/en/campaigns/{SPRING}/">Campaign · Test campaign 1</a>'
    # The month's grid (a phone's list names the campaign once, above its days).
    assert _grid(page).count(link) == 7  # March 1 to 7
    assert f"/en/campaigns/{AUTUMN}/" not in page
    october = client.get("/en/calendar/?month=2026-10").get_data(as_text=True)
    assert _grid(october).count(f'<a href="/en/campaigns/{AUTUMN}/">') == 5
    may_record = role != Role.POLICE_OFFICER
    assert ('href="/en/campaigns/records/"' in page) is may_record


def test_a_persons_feed_has_each_campaign_run_as_an_all_day_event(app, db, create_user):
    worker = create_user(Role.PREVENTION_WORKER)
    token = sharing.issue_token(db, user=worker, lang="en")
    db.commit()
    response = app.test_client().get(f"/ical/{token.token}.ics")
    assert response.status_code == 200
    today = local_today()
    year = today.year if today <= date(today.year, 3, 7) else today.year + 1
    uid = f"campaign-{SPRING}-{year}@mobilis-prevention"
    assert f"DTSTART;VALUE=DATE:{year}0301" in response.data.decode()
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    event = events[uid]
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTSTART") == date(year, 3, 1)
    assert event.decoded("DTEND") == date(year, 3, 8)  # the day after the last
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["SUMMARY"]) == "Campaign: Test campaign 1"
    assert "Key message 1." in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/en/campaigns/{SPRING}/")
    # No run ended more than the feed's 90 days back; none starts past a year ahead.
    for found in events.values():
        if str(found["UID"]).startswith("campaign-"):
            assert found.decoded("DTEND") > today - timedelta(days=90)
            assert found.decoded("DTSTART") <= today + timedelta(days=366)


def test_a_schools_feed_has_no_campaign(app, db, create_school):
    token = sharing.issue_token(db, school=create_school(), lang="fr")
    db.commit()
    body = app.test_client().get(f"/ical/{token.token}.ics").data.decode()
    assert "campaign-" not in body


# Demo data ---------------------------------------------------------------------------------


def test_demo_records_are_added_once(app, db):
    with app.app_context():
        demo.seed_schools(db)
        demo.seed_distribution(db)
        db.commit()
        first = db.exec(select(DistributionRecord.campaign_slug)).all()
        demo.seed_distribution(db)
        db.commit()
    assert first and _count(db) == len(first)
    # Each record goes to the campaign running that day (the test campaigns
    # run in March and October).
    assert set(first) == {SPRING, AUTUMN}


def test_demo_skips_records_without_a_campaign(make_app, curriculum_dir, tmp_path):
    bare = make_app(CURRICULUM_PATH=str(curriculum_dir))
    from sqlmodel import Session

    with bare.app_context(), Session(bare.extensions["mobilis_engine"]) as session:
        demo.seed_schools(session)
        demo.seed_distribution(session)
        session.commit()
        assert session.exec(select(func.count()).select_from(DistributionRecord)).one() == 0
