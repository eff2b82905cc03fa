"""Regions: the 17 regions as data, the migration from free text, the forms,
the admin page, and coordinators limited to regions (figures, exports, API,
school list and pages)."""

import csv
import io
from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from app.campaigns.models import DistributionRecord
from app.migrations.commands import alembic_config
from app.presentations.models import Presentation
from app.regions import data, services
from app.regions.models import UserRegion
from app.reports import events, periods, questions, reach, tokens
from app.reports.outcome_report import outcome_report
from app.schools.models import School, ServiceCentre
from app.security import Role
from app.visits.models import Visit
from tests.conftest import AuthActions, extract_csrf_token
from tests.help_factory import make_conversation
from tests.visits_factory import add_session, deliver, make_visit

SCHOOL_YEAR = periods.make("school_year", 2026)
YEAR = "period=school_year&year=2026"

# The data ----------------------------------------------------------------------------


def test_the_17_regions_with_their_official_codes_and_names():
    regions = data.regions()
    assert list(regions) == [f"{n:02d}" for n in range(1, 18)]
    assert regions["16"].label("fr") == "Montérégie (16)"
    assert regions["06"].label("en") == "Montréal (06)"
    assert regions["13"].name("fr") == "Laval"
    assert regions["03"].name("fr") == "Capitale-Nationale"
    assert regions["02"].name("fr") == "Saguenay–Lac-Saint-Jean"
    assert regions["11"].name("fr") == "Gaspésie–Îles-de-la-Madeleine"
    assert len({r.name("fr") for r in regions.values()}) == 17


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Montérégie", "16"),
        ("MONTEREGIE", "16"),
        (" montérégie ", "16"),
        ("16", "16"),
        ("6", "06"),
        ("Montréal (06)", "06"),
        ("Saguenay-Lac-Saint-Jean", "02"),
        ("gaspesie iles de la madeleine", "11"),
        ("Laval (16)", None),  # name and code disagree
        ("18", None),
        ("Rive-Sud", None),
        ("", None),
    ],
)
def test_free_text_is_matched_to_a_code(text, code):
    assert data.match(text) == code


# The migration -------------------------------------------------------------------------


def _insert_old_rows(engine, regions_of_schools):
    """Service centres and schools as 0011 stored them (free-text regions)."""
    now = datetime(2026, 9, 1, tzinfo=UTC)
    with engine.begin() as connection:
        for number, region in enumerate(regions_of_schools, start=1):
            connection.execute(
                sa.text(
                    "INSERT INTO service_centre (id, name, region, created_at) "
                    "VALUES (:id, :name, :region, :now)"
                ),
                {"id": number, "name": f"Centre {number}", "region": region, "now": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO school (id, name, service_centre_id, address, city, region, "
                    "contact_name, contact_email, contact_phone, created_at, updated_at) VALUES "
                    "(:id, :name, :id, '', 'Ville', :region, '', '', '', :now, :now)"
                ),
                {"id": number, "name": f"École {number}", "region": region, "now": now},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO bell_period (school_id, number, starts_at, ends_at) "
                    "VALUES (:id, 1, '08:15:00', '09:30:00')"
                ),
                {"id": number},
            )


def test_the_migration_turns_names_into_codes_and_refuses_unknown_ones(database_url):
    config = alembic_config(database_url)
    engine = sa.create_engine(database_url)
    try:
        command.downgrade(config, "0011")
        _insert_old_rows(engine, ["Montérégie", "MONTREAL", "laval", "Rive-Sud", "Nowhere"])
        with pytest.raises(RuntimeError) as refused:
            command.upgrade(config, "0012")
        message = str(refused.value)
        assert "service_centre: 'Rive-Sud'" in message and "school: 'Nowhere'" in message
        assert "'Montérégie'" not in message and "'laval'" not in message
        with engine.connect() as connection:  # nothing changed: still free text
            texts = connection.execute(sa.text("SELECT region FROM school ORDER BY id")).scalars()
            assert list(texts) == ["Montérégie", "MONTREAL", "laval", "Rive-Sud", "Nowhere"]
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "UPDATE service_centre SET region = 'Capitale-Nationale (03)' WHERE id >= 4"
                )
            )
            connection.execute(sa.text("UPDATE school SET region = '3' WHERE id >= 4"))
        command.upgrade(config, "0012")
        with engine.connect() as connection:
            centres = connection.execute(
                sa.text("SELECT region_code FROM service_centre ORDER BY id")
            ).scalars()
            schools = connection.execute(
                sa.text("SELECT region_code FROM school ORDER BY id")
            ).scalars()
            assert list(centres) == ["16", "06", "13", "03", "03"]
            assert list(schools) == ["16", "06", "13", "03", "03"]
            # Rebuilding the tables kept what refers to them (no cascade).
            periods = connection.execute(sa.text("SELECT count(*) FROM bell_period")).scalar()
            assert periods == 5
        command.downgrade(config, "0011")
        with engine.connect() as connection:  # back to the official names
            texts = connection.execute(sa.text("SELECT region FROM school ORDER BY id")).scalars()
            assert list(texts) == [
                "Montérégie",
                "Montréal",
                "Laval",
                "Capitale-Nationale",
                "Capitale-Nationale",
            ]
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM bell_period"))
            connection.execute(sa.text("DELETE FROM school"))
            connection.execute(sa.text("DELETE FROM service_centre"))
    finally:
        command.upgrade(config, "head")
        engine.dispose()


def test_the_database_refuses_a_code_that_is_no_region(db):
    db.add(ServiceCentre(name="Centre nulle part", region_code="18"))
    with pytest.raises(sa.exc.IntegrityError):
        db.commit()
    db.rollback()


# Forms ---------------------------------------------------------------------------------


def _signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def test_the_centre_form_offers_the_17_regions_in_the_pages_language(app, db, create_user):
    client = _signed_in(app, create_user(Role.PREVENTION_WORKER))
    page = client.get("/en/schools/centres/new").get_data(as_text=True)
    assert page.count('<option value="') == 18  # "Choose a region" and the 17
    assert '<option value="16">Montérégie (16)</option>' in page
    token = extract_csrf_token(page)
    refused = client.post(
        "/en/schools/centres/new",
        data={"name": "Centre X", "region_code": "18", "csrf_token": token},
    )
    assert refused.status_code == 200 and db.exec(select(ServiceCentre)).all() == []
    saved = client.post(
        "/en/schools/centres/new",
        data={
            "name": "Centre de services scolaire de Laval",
            "region_code": "13",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 302
    assert db.exec(select(ServiceCentre.region_code)).all() == ["13"]


def test_a_school_takes_its_centres_region_unless_one_is_chosen(
    app, db, create_user, create_centre
):
    centre = create_centre(region_code="13")
    client = _signed_in(app, create_user(Role.PREVENTION_WORKER))
    page = client.get("/fr/schools/new").get_data(as_text=True)
    assert "La région de son centre de services scolaire" in page or "region of its" in page
    token = extract_csrf_token(page)
    base = {"service_centre_id": str(centre.id), "city": "Laval", "csrf_token": token}
    client.post("/fr/schools/new", data={**base, "name": "École A", "region_code": ""})
    client.post("/fr/schools/new", data={**base, "name": "École B", "region_code": "15"})
    found = dict(db.exec(select(School.name, School.region_code)).all())
    assert found == {"École A": "13", "École B": "15"}


# The admin page -----------------------------------------------------------------------------


def test_an_admin_sets_and_clears_a_users_regions(app, db, create_user):
    coordinator = create_user(Role.COORDINATOR, name="Coordonnatrice Laval")
    client = _signed_in(app, create_user(Role.ADMIN))
    users = client.get("/en/admin/users/").get_data(as_text=True)
    assert f'href="/en/admin/users/{coordinator.id}/regions"' in users
    path = f"/en/admin/users/{coordinator.id}/regions"
    page = client.get(path).get_data(as_text=True)
    assert page.count('type="checkbox"') == 17 and "every region (provincial)" in page
    token = extract_csrf_token(page)
    response = client.post(path, data={"regions": ["13", "15"], "csrf_token": token})
    assert response.status_code == 302
    done = client.get(response.location).get_data(as_text=True)
    assert "Coordonnatrice Laval now works in: Laval (13), Laurentides (15)." in done
    assert services.user_regions(db, coordinator.id) == ["13", "15"]
    unknown = client.post(path, data={"regions": ["13", "99"], "csrf_token": token})
    assert unknown.status_code == 422
    assert services.user_regions(db, coordinator.id) == ["13", "15"]
    no_token = client.post(path, data={"regions": ["01"]})
    assert no_token.status_code == 400
    cleared = client.post(path, data={"csrf_token": token}, follow_redirects=True)
    assert "now sees every region (provincial)" in cleared.get_data(as_text=True)
    assert db.exec(select(UserRegion)).all() == []


def test_only_admins_open_the_regions_page(app, create_user):
    coordinator = create_user(Role.COORDINATOR)
    client = _signed_in(app, coordinator)
    assert client.get(f"/en/admin/users/{coordinator.id}/regions").status_code == 403


# Two regions of activity --------------------------------------------------------------


@pytest.fixture
def two_regions(db, setting, create_centre, create_school, create_group, create_user):
    """Montérégie (16): the setting's school, two sessions delivered (25 and
    20 students), a presentation held there (40 people), two questions.
    Laval (13): one school, one session (18 students), a presentation to its
    service centre (30 people), one question, 10 posters. And one question
    naming no school (no region)."""
    laval_centre = create_centre(region_code="13")
    laval = create_school(name="École secondaire de Laval", centre=laval_centre)
    laval_setting = {**setting, "school": laval, "groups": [create_group(laval, "101", "sec1")]}
    here = make_visit(db, setting)
    there = make_visit(db, laval_setting, start=date(2026, 10, 20))
    for visit, where, group, day, period, present in (
        (here, setting, 0, date(2026, 10, 6), 1, 25),
        (here, setting, 1, date(2026, 10, 6), 2, 20),
        (there, laval_setting, 0, date(2026, 10, 20), 1, 18),
    ):
        done = add_session(db, visit, where, group=group, day=day, period=period)
        deliver(db, done, attendance=present, module=setting["modules"][0])
        db.commit()
    for school_id, centre_id, people in (
        (setting["school"].id, None, 40),
        (None, laval_centre.id, 30),
    ):
        db.add(
            Presentation(
                audience="parents" if school_id else "board",
                organisation="Comité de parents des Rives" if school_id else "CSS de Laval",
                school_id=school_id,
                service_centre_id=centre_id,
                on_date=date(2026, 11, 3),
                starts_at=time(19),
                ends_at=time(20),
                status="held",
                actual_audience=people,
            )
        )
    db.add(
        DistributionRecord(
            campaign_slug="test", school_id=laval.id, on_date=date(2026, 11, 4), posters=10
        )
    )
    asked = datetime(2026, 10, 7, 10, tzinfo=UTC)
    for school_id in (setting["school"].id, setting["school"].id, laval.id, None):
        db.add(make_conversation(asked=asked, topic="online", school_id=school_id))
    db.commit()
    return {"montérégie": setting["school"], "laval": laval, "laval_centre": laval_centre}


def _some(figures):
    keys = (
        "schools_visited",
        "sessions_delivered",
        "students_reached",
        "presentations_held",
        "presentation_audience",
        "campaign_posters",
        "questions_received",
    )
    return {key: figures[key] for key in keys}


def test_a_limited_view_is_the_hand_computed_sum_over_its_regions(db, two_regions):
    provincial = _some(reach.figures(db, SCHOOL_YEAR, reach.Filters()))
    laval = _some(reach.figures(db, SCHOOL_YEAR, reach.Filters(within=("13",))))
    monteregie = _some(reach.figures(db, SCHOOL_YEAR, reach.Filters(within=("16",))))
    both = _some(reach.figures(db, SCHOOL_YEAR, reach.Filters(within=("13", "16"))))
    assert provincial == {
        "schools_visited": 2,
        "sessions_delivered": 3,
        "students_reached": 63,
        "presentations_held": 2,
        "presentation_audience": 70,
        "campaign_posters": 10,
        "questions_received": 4,  # one names no school
    }
    assert laval == {
        "schools_visited": 1,
        "sessions_delivered": 1,
        "students_reached": 18,
        "presentations_held": 1,  # to its service centre
        "presentation_audience": 30,
        "campaign_posters": 10,
        "questions_received": 1,
    }
    assert both == {key: laval[key] + monteregie[key] for key in laval}
    assert both["questions_received"] == provincial["questions_received"] - 1
    assert laval != provincial
    # A chosen region inside the limit is that region's figures.
    chosen = reach.Filters(region="16", within=("13", "16"))
    assert _some(reach.figures(db, SCHOOL_YEAR, chosen)) == monteregie
    # Regions empty of activity give zeros, not someone else's figures.
    assert reach.figures(db, SCHOOL_YEAR, reach.Filters(within=("01",)))["sessions_delivered"] == 0


def test_the_by_region_breakdowns(db, two_regions):
    everyone = reach.Filters()
    assert reach.sessions_by(db, SCHOOL_YEAR, everyone, "region") == [
        ("13", 1, 1, 18),
        ("16", 2, 2, 45),
    ]
    assert events.presentations_by_region(db, SCHOOL_YEAR, everyone) == [
        ("13", 1, 30),
        ("16", 1, 40),
    ]
    assert questions.questions_by(db, SCHOOL_YEAR, everyone, "region") == [
        ("13", 1, 0, 0, 0),
        ("16", 2, 0, 0, 0),
        (None, 1, 0, 0, 0),
    ]
    limited = reach.Filters(within=("13",))
    assert reach.sessions_by(db, SCHOOL_YEAR, limited, "region") == [("13", 1, 1, 18)]
    assert questions.questions_by(db, SCHOOL_YEAR, limited, "region") == [("13", 1, 0, 0, 0)]


def _limited_coordinator(db, create_user, codes):
    coordinator = create_user(Role.COORDINATOR)
    services.set_user_regions(db, user=coordinator, codes=codes)
    db.commit()
    return coordinator


def _summary(page, label):
    start = page.index(f'<th scope="row">{label}</th>')
    return page[start : page.index("</tr>", start)]


def test_the_report_page_of_a_limited_coordinator(app, db, two_regions, create_user):
    provincial = _signed_in(app, create_user(Role.COORDINATOR))
    everything = provincial.get(f"/en/reports/?{YEAR}").get_data(as_text=True)
    assert "<td>63</td>" in _summary(everything, "Students reached (sum of attendance)")
    assert "Delivered sessions by region" in everything and "Montérégie (16)" in everything
    assert 'id="regions-note"' not in everything

    client = _signed_in(app, _limited_coordinator(db, create_user, ["13"]))
    page = client.get(f"/en/reports/?{YEAR}").get_data(as_text=True)
    assert "<td>18</td>" in _summary(page, "Students reached (sum of attendance)")
    assert "These figures cover only: Laval (13)." in page
    assert '<option value="13"' in page and '<option value="16"' not in page
    assert two_regions["montérégie"].name not in page  # not even in the school filter
    refused = client.get(f"/en/reports/?{YEAR}&region=16")
    assert refused.status_code == 400 and "<td>45</td>" not in refused.get_data(as_text=True)
    assert client.get(f"/en/reports/reach.csv?{YEAR}&region=16").status_code == 400
    assert client.get(f"/en/reports/reach.csv?{YEAR}&region=13").status_code == 200
    # A provincial coordinator may choose any region.
    chosen = provincial.get(f"/en/reports/?{YEAR}&region=16").get_data(as_text=True)
    assert "<td>45</td>" in _summary(chosen, "Students reached (sum of attendance)")


def test_exports_and_the_api_are_limited_the_same_way(app, db, two_regions, create_user):
    coordinator = _limited_coordinator(db, create_user, ["13"])
    client = _signed_in(app, coordinator)
    response = client.get(f"/en/reports/reach.csv?{YEAR}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["Filters", "Limited to the regions: Laval (13)"] in rows
    figures = {row[0]: row[1] for row in rows if len(row) == 3}
    assert figures["Students reached (sum of attendance)"] == "18"
    assert figures["Presentation audience"] == "30"
    assert figures["Questions received"] == "<5"  # 1, suppressed like any small count
    _row, value = tokens.create_token(db, user=coordinator, name="Tableau")
    db.commit()
    api = app.test_client().get(
        f"/api/v1/reports/reach?{YEAR}&lang=en", headers={"Authorization": f"Bearer {value}"}
    )
    body = api.get_json()
    summary = {item["figure"]: item["value"] for item in body["summary"]}
    assert summary["students_reached"] == 18 and summary["presentation_audience"] == 30
    assert body["filters"]["within"] == ["13"]
    refused = app.test_client().get(
        f"/api/v1/reports/reach?{YEAR}&region=16", headers={"Authorization": f"Bearer {value}"}
    )
    assert refused.status_code == 400


def test_the_outcome_report_of_a_limited_coordinator(app, db, two_regions, create_user):
    limited = outcome_report(db, SCHOOL_YEAR, within=("13",))
    rows = {row.indicator.key: row for row in limited.rows()}
    assert rows["students_reached"].value == 18
    partner_rows = [row for row in limited.rows() if row.indicator.entered]
    assert partner_rows and all(row.value is None for row in partner_rows)
    everyone = {row.indicator.key: row.value for row in outcome_report(db, SCHOOL_YEAR).rows()}
    assert everyone["students_reached"] == 63
    client = _signed_in(app, _limited_coordinator(db, create_user, ["13"]))
    page = client.get(f"/en/reports/outcomes?{YEAR}").get_data(as_text=True)
    assert "Figures of these regions only: Laval (13)." in page


def test_the_school_list_and_pages_of_a_limited_user(app, db, two_regions, create_user):
    client = _signed_in(app, _limited_coordinator(db, create_user, ["13"]))
    listing = client.get("/en/schools/").get_data(as_text=True)
    laval, monteregie = two_regions["laval"], two_regions["montérégie"]
    assert laval.name in listing and monteregie.name not in listing
    assert client.get(f"/en/schools/{laval.id}/").status_code == 200
    assert client.get(f"/en/schools/{monteregie.id}/").status_code == 404
    assert client.get(f"/en/schools/{monteregie.id}/edit").status_code == 404
    provincial = _signed_in(app, create_user(Role.COORDINATOR))
    assert provincial.get(f"/en/schools/{monteregie.id}/").status_code == 200


def test_the_visits_and_presentations_lists_of_a_limited_user(app, db, two_regions, create_user):
    laval, monteregie = two_regions["laval"], two_regions["montérégie"]
    db.add(
        Presentation(
            audience="partners",
            organisation="Club des aînés",  # names no school and no centre: no region
            on_date=date(2026, 11, 5),
            starts_at=time(19),
            ends_at=time(20),
        )
    )
    db.commit()
    client = _signed_in(app, _limited_coordinator(db, create_user, ["13"]))
    visits_page = client.get("/en/visits/").get_data(as_text=True)
    assert laval.name in visits_page and monteregie.name not in visits_page
    listed = client.get("/en/presentations/?past=1").get_data(as_text=True)
    assert "CSS de Laval" in listed and "Club des aînés" in listed
    assert "Comité de parents des Rives" not in listed
    provincial = _signed_in(app, create_user(Role.COORDINATOR))
    everything = provincial.get("/en/presentations/?past=1").get_data(as_text=True)
    assert "Comité de parents des Rives" in everything
    assert monteregie.name in provincial.get("/en/visits/").get_data(as_text=True)


def test_the_provincial_view_suppresses_small_counts_by_region(app, db, two_regions, create_user):
    coordinator = create_user(Role.COORDINATOR)
    _row, value = tokens.create_token(db, user=coordinator, name="Province")
    db.commit()
    body = (
        app.test_client()
        .get(f"/api/v1/reports/reach?{YEAR}&lang=en", headers={"Authorization": f"Bearer {value}"})
        .get_json()
    )
    tables = {table["key"]: table for table in body["tables"]}
    by_region = {row["label"]: row["values"] for row in tables["sessions_by_region"]["rows"]}
    # groups reached, sessions delivered, students reached: 1 and 2 are hidden
    assert by_region == {"Laval (13)": ["<5", "<5", 18], "Montérégie (16)": ["<5", "<5", 45]}
    questions = {row["key"]: row["values"][0] for row in tables["questions_by_region"]["rows"]}
    assert questions == {"13": "<5", "16": "<5", "none": "<5"}
    assert body["filters"]["within"] is None


def test_a_limited_user_opens_no_visit_or_presentation_of_another_region(
    app, db, two_regions, create_user
):
    laval, monteregie = two_regions["laval"], two_regions["montérégie"]
    visit_of = {
        school.id: db.exec(select(Visit).where(Visit.school_id == school.id)).one()
        for school in (laval, monteregie)
    }
    presentations = {p.organisation: p for p in db.exec(select(Presentation)).all()}
    inside, outside = visit_of[laval.id], visit_of[monteregie.id]
    client = _signed_in(app, _limited_coordinator(db, create_user, ["13"]))
    for path in ("/", "/schedule.pdf", "/sessions/new", "/share/revoke"):
        assert client.get(f"/en/visits/{outside.id}{path}").status_code == 404, path
    assert client.get(f"/en/visits/{inside.id}/").status_code == 200
    laval_presentation = presentations["CSS de Laval"].id
    monteregie_presentation = presentations["Comité de parents des Rives"].id
    assert client.get(f"/en/presentations/{laval_presentation}/").status_code == 200
    for path in ("/", "/edit", "/outcome", "/cancel"):
        response = client.get(f"/en/presentations/{monteregie_presentation}{path}")
        assert response.status_code == 404, path
    provincial = _signed_in(app, create_user(Role.COORDINATOR))
    assert provincial.get(f"/en/visits/{outside.id}/").status_code == 200
    assert provincial.get(f"/en/presentations/{monteregie_presentation}/").status_code == 200


def test_a_limited_user_records_and_lists_distributions_of_their_regions_only(
    app, db, two_regions, create_user
):
    laval, monteregie = two_regions["laval"], two_regions["montérégie"]
    worker = create_user(Role.PREVENTION_WORKER)
    services.set_user_regions(db, user=worker, codes=["16"])
    db.commit()
    client = _signed_in(app, worker)
    listing = client.get("/en/campaigns/records/").get_data(as_text=True)
    assert laval.name not in listing  # Laval's 10 posters are not Montérégie's
    form = client.get("/en/campaigns/records/new").get_data(as_text=True)
    assert monteregie.name in form and laval.name not in form
    values = {
        "csrf_token": extract_csrf_token(form),
        "campaign_slug": "test",
        "school_id": str(laval.id),
        "on_date": "2026-11-04",
        "posters": "3",
    }
    before = len(db.exec(select(DistributionRecord)).all())
    refused = client.post("/en/campaigns/records/new", data=values)
    assert refused.status_code == 200
    assert "Choose one of the schools." in refused.get_data(as_text=True)
    assert len(db.exec(select(DistributionRecord)).all()) == before
    laval_record = db.exec(
        select(DistributionRecord).where(DistributionRecord.school_id == laval.id)
    ).one()
    coordinator = _signed_in(app, _limited_coordinator(db, create_user, ["16"]))
    assert coordinator.get(f"/en/campaigns/records/{laval_record.id}/delete").status_code == 404
    provincial = _signed_in(app, create_user(Role.COORDINATOR))
    assert laval.name in provincial.get("/en/campaigns/records/").get_data(as_text=True)
    assert provincial.get(f"/en/campaigns/records/{laval_record.id}/delete").status_code == 200


def test_a_limited_coordinator_sees_their_regions_requests_and_calendar(
    app, db, two_regions, create_user
):
    from app.presentations.models import RequestKind, SchoolRequest

    laval, monteregie = two_regions["laval"], two_regions["montérégie"]
    made = {}
    asking = (
        (laval, "École de Laval"),
        (monteregie, "École des Rives"),
        (None, "École pas encore listée"),
    )
    for school, organisation in asking:
        found = SchoolRequest(
            kind=RequestKind.PRESENTATION, audience="parents", organisation=organisation,
            school_id=school.id if school else None, contact_name="Marie", lang="fr",
            contact_email="marie@example.org", preferred_periods="Novembre",
        )  # fmt: skip
        db.add(found)
        db.commit()
        made[organisation] = found.id
    client = _signed_in(app, _limited_coordinator(db, create_user, ["13"]))
    queue = client.get("/en/requests/").get_data(as_text=True)
    assert "École de Laval" in queue and "École pas encore listée" in queue
    assert "École des Rives" not in queue
    assert client.get(f"/en/requests/{made['École des Rives']}/").status_code == 404
    assert client.get(f"/en/requests/{made['École de Laval']}/").status_code == 200
    refused = f"/en/presentations/new?request={made['École des Rives']}"
    assert client.get(refused).status_code == 404
    month = client.get("/en/calendar/?month=2026-11").get_data(as_text=True)
    assert "CSS de Laval" in month and "Comité de parents des Rives" not in month
    provincial = _signed_in(app, create_user(Role.COORDINATOR))
    assert "École des Rives" in provincial.get("/en/requests/").get_data(as_text=True)
    everything = provincial.get("/en/calendar/?month=2026-11").get_data(as_text=True)
    assert "Comité de parents des Rives" in everything


def test_one_rule_says_which_rows_a_user_may_load(db, two_regions, create_user, school_year):
    from app.reports.models import PartnerFigure
    from app.schools.models import DayOff
    from app.visits.models import ClassSession

    laval, monteregie = two_regions["laval"], two_regions["montérégie"]
    limited = _limited_coordinator(db, create_user, ["13"])
    everyone = [create_user(Role.COORDINATOR), create_user(Role.ADMIN)]
    visit_of = {
        s.id: db.exec(select(Visit).where(Visit.school_id == s.id)).one()
        for s in (laval, monteregie)
    }
    talks = {p.organisation: p.id for p in db.exec(select(Presentation)).all()}
    pairs = {  # model: (Laval's row, Montérégie's row)
        School: (laval.id, monteregie.id),
        ServiceCentre: (laval.service_centre_id, monteregie.service_centre_id),
        Visit: (visit_of[laval.id].id, visit_of[monteregie.id].id),
        ClassSession: tuple(visit_of[s.id].sessions[0].id for s in (laval, monteregie)),
        Presentation: (talks["CSS de Laval"], talks["Comité de parents des Rives"]),
    }
    for model, (inside, outside) in pairs.items():
        assert services.load_in_regions(db, limited, model, inside).id == inside, model
        assert services.load_in_regions(db, limited, model, outside) is None, model
        for user in everyone:
            assert services.load_in_regions(db, user, model, outside).id == outside, model
        listed = db.exec(services.only_in_regions(select(model.id), model, ("13",))).all()
        assert inside in listed and outside not in listed, model
    # A province-wide day off: everyone's to read, no limited user's to change.
    everywhere = DayOff(school_year_id=school_year.id, starts_on=date(2027, 3, 1),
                        ends_on=date(2027, 3, 1), kind="break", reason="Relâche")  # fmt: skip
    figure = PartnerFigure(indicator="arrests", period_start=date(2026, 7, 1),
                           period_end=date(2027, 6, 30), value=3, source="SPAL")  # fmt: skip
    db.add_all([everywhere, figure])
    db.commit()
    assert services.load_in_regions(db, limited, DayOff, everywhere.id) is not None
    assert services.load_in_regions(db, limited, DayOff, everywhere.id, shared=False) is None
    assert services.load_in_regions(db, everyone[0], DayOff, everywhere.id, shared=False)
    # Partner figures are the whole partnership's: in no limited view.
    assert services.load_in_regions(db, limited, PartnerFigure, figure.id) is None
    assert services.load_in_regions(db, everyone[0], PartnerFigure, figure.id) is not None
    # An id no database holds is nothing, not an error.
    assert services.load_in_regions(db, limited, School, 2**70) is None
