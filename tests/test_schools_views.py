"""Schools, class groups, service centres, years and days off through HTTP."""

import io
from datetime import date

import pytest
from sqlmodel import select

from app.schools.models import BellPeriod, ClassGroup, DayOff, School, SchoolYear
from app.security import Role
from tests.conftest import extract_csrf_token


@pytest.fixture
def worker(client, auth, create_user):
    user = create_user(Role.PREVENTION_WORKER)
    auth.login(user.email)
    return user


def _token(client, path):
    return extract_csrf_token(client.get(path).get_data(as_text=True))


def test_create_a_school_with_its_bell_schedule(client, worker, create_centre, db):
    centre = create_centre()
    data = {
        "name": "École secondaire des Rives",
        "service_centre_id": str(centre.id),
        "city": "Longueuil",
        "region_code": "",  # the centre's
        "bell_schedule": "08:15-09:30 09:40-10:55\n11:05-12:20",
        "csrf_token": _token(client, "/fr/schools/new"),
    }
    response = client.post("/fr/schools/new", data=data)
    assert response.status_code == 302
    school = db.exec(select(School).where(School.name == "École secondaire des Rives")).one()
    assert school.region_code == centre.region_code == "16"
    periods = db.exec(select(BellPeriod).where(BellPeriod.school_id == school.id)).all()
    assert [(p.number, f"{p.starts_at:%H:%M}") for p in periods] == [
        (1, "08:15"),
        (2, "09:40"),
        (3, "11:05"),
    ]
    page = client.get(response.location).get_data(as_text=True)
    assert "École secondaire des Rives" in page and "de 8\u00a0h\u00a015 à 9\u00a0h\u00a030" in page


@pytest.mark.parametrize(
    ("schedule", "lang", "message"),
    [
        ("08:15-07:30", "en", "“08:15-07:30” is not a period"),
        ("08:15-09:30 09:00-10:00", "en", "“09:00-10:00” is not a period"),
        ("8h15 à 9h30", "fr", "«\u00a08h15\u00a0» n’est pas une période"),
    ],
)
def test_a_bad_bell_schedule_saves_nothing(
    client, worker, create_centre, db, schedule, lang, message
):
    centre = create_centre()
    data = {
        "name": "Nouvelle école",
        "service_centre_id": str(centre.id),
        "city": "Longueuil",
        "region_code": "16",
        "bell_schedule": schedule,
        "csrf_token": _token(client, f"/{lang}/schools/new"),
    }
    response = client.post(f"/{lang}/schools/new", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.exec(select(School)).all() == []


def test_school_names_are_unique_within_a_centre(client, worker, create_school, db):
    existing = create_school(name="École Jacques")
    data = {
        "name": "École Jacques",
        "service_centre_id": str(existing.service_centre_id),
        "city": "Longueuil",
        "region_code": "16",
        "csrf_token": _token(client, "/en/schools/new"),
    }
    response = client.post("/en/schools/new", data=data)
    assert "“École Jacques” already exists." in response.get_data(as_text=True)
    assert len(db.exec(select(School)).all()) == 1


def test_schools_list_search_and_pages(make_app, create_user, create_school):
    app = make_app(USERS_PER_PAGE=2)
    client = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(client).login(create_user(Role.POLICE_OFFICER).email)
    for name, city in [("Alpha", "Longueuil"), ("Bravo", "Brossard"), ("Charlie", "Longueuil")]:
        create_school(name=f"École {name}", city=city)
    first = client.get("/en/schools/").get_data(as_text=True)
    assert "École Alpha" in first and "École Charlie" not in first and 'rel="next"' in first
    found = client.get("/en/schools/?q=brossard").get_data(as_text=True)
    assert "École Bravo" in found and "École Alpha" not in found
    assert "New school" not in first, "police officers read, they do not edit"


def test_class_groups(client, worker, create_school, school_year, db):
    school = create_school()
    path = f"/fr/schools/{school.id}/groups/new?year={school_year.id}"
    data = {"grade": "sec2", "name": "201", "teacher_name": "M. Côté", "size": "29"}
    response = client.post(path, data={**data, "csrf_token": _token(client, path)})
    assert response.status_code == 302
    again = client.post(path, data={**data, "csrf_token": _token(client, path)})
    assert "«\u00a0201\u00a0» existe déjà." in again.get_data(as_text=True)
    group = db.exec(select(ClassGroup)).one()
    page = client.get(f"/fr/schools/{school.id}/").get_data(as_text=True)
    assert "M. Côté" in page and "2e secondaire" in page
    delete = f"/fr/schools/{school.id}/groups/{group.id}/delete"
    assert client.get(delete).status_code == 200
    assert db.exec(select(ClassGroup)).all() != [], "GET asks, it does not delete"
    client.post(delete, data={"csrf_token": _token(client, delete)})
    db.expire_all()
    assert db.exec(select(ClassGroup)).all() == []


def test_a_group_of_another_school_is_404(client, worker, create_school, create_group):
    school, other = create_school(), create_school()
    group = create_group(other)
    assert client.get(f"/fr/schools/{school.id}/groups/{group.id}/edit").status_code == 404


def test_school_year_gets_the_statutory_holidays(client, worker, db):
    path = "/en/schools/years/new"
    data = {"starts_on": "2026-08-27", "ends_on": "2027-06-22"}
    response = client.post(path, data={**data, "csrf_token": _token(client, path)})
    assert response.status_code == 302
    year = db.exec(select(SchoolYear)).one()
    days = db.exec(select(DayOff).where(DayOff.school_year_id == year.id)).all()
    assert date(2026, 9, 7) in {d.starts_on for d in days}  # Labour Day
    page = client.get(response.location).get_data(as_text=True)
    assert "Labour Day" in page and "Thanksgiving" in page


def test_school_year_dates_must_make_sense(client, worker, db):
    path = "/en/schools/years/new"
    data = {"starts_on": "2027-06-22", "ends_on": "2026-08-27"}
    response = client.post(path, data={**data, "csrf_token": _token(client, path)})
    assert "These dates are not valid" in response.get_data(as_text=True)
    assert db.exec(select(SchoolYear)).all() == []


def test_days_off_for_a_centre(client, worker, create_school, school_year, db):
    school = create_school()
    path = f"/fr/schools/years/{school_year.id}/days-off/new"
    data = {
        "starts_on": "2026-12-21",
        "ends_on": "2027-01-05",
        "kind": "break",
        "reason": "Vacances des fêtes",
        "scope": f"centre-{school.service_centre_id}",
    }
    response = client.post(path, data={**data, "csrf_token": _token(client, path)})
    assert response.status_code == 302
    day_off = db.exec(select(DayOff)).one()
    assert day_off.service_centre_id == school.service_centre_id and day_off.school_id is None
    outside = {**data, "starts_on": "2027-07-01", "ends_on": "2027-07-02"}
    response = client.post(path, data={**outside, "csrf_token": _token(client, path)})
    assert "Ces dates ne sont pas valides" in response.get_data(as_text=True)
    assert len(db.exec(select(DayOff)).all()) == 1


def _upload(client, path, content, **fields):
    return client.post(
        path,
        data={
            **fields,
            "file": (io.BytesIO(content.encode("utf-8")), "schools.csv"),
            "csrf_token": _token(client, path),
        },
        content_type="multipart/form-data",
    )


def test_import_schools_reports_lines_and_imports_nothing(client, worker, create_centre, db):
    create_centre(name="CSS Marie-Victorin")
    content = (
        "name,service_centre,city,region\n"
        "École A,CSS Marie-Victorin,Longueuil,Montérégie\n"
        "École B,CSS Inconnu,Longueuil,Montérégie\n"
    )
    response = _upload(client, "/en/schools/import", content)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Line 3, column service_centre: no school service centre named “CSS Inconnu”." in html
    assert db.exec(select(School)).all() == []
    fixed = content.replace("CSS Inconnu", "CSS Marie-Victorin")
    response = _upload(client, "/en/schools/import", fixed)
    assert response.status_code == 302
    assert len(db.exec(select(School)).all()) == 2


def test_import_class_groups(client, worker, create_school, school_year, db):
    school = create_school()
    path = f"/fr/schools/{school.id}/groups/import"
    content = "grade,name,teacher_name,size\nsec2,201,Mme Roy,28\n3,301,,\n"
    response = _upload(client, path, content, school_year_id=str(school_year.id))
    assert response.status_code == 302
    groups = db.exec(select(ClassGroup).order_by(ClassGroup.name)).all()
    assert [(g.grade, g.name) for g in groups] == [("sec2", "201"), ("sec3", "301")]


def test_templates_download_with_a_bom(client, worker):
    response = client.get("/fr/schools/import/template.csv")
    assert response.data.startswith("\ufeff".encode())
    assert response.mimetype == "text/csv"
    assert client.get("/fr/schools/groups-template.csv").data.startswith("\ufeffgrade".encode())


def test_every_import_problem_has_a_message_in_both_languages(app):
    from app.schools import imports
    from app.schools.import_views import PROBLEM_MESSAGES

    assert set(PROBLEM_MESSAGES) == set(imports.problem_codes())
