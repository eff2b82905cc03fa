"""/api/v1/reports/reach: a personal bearer token and nothing else opens it;
tokens are made, shown once, stored as digests and revoked by their owner;
the OpenAPI document describes what the API reads and answers."""

import hashlib

import pytest
import yaml
from sqlmodel import select

from app.accounts import services as accounts
from app.reports import tokens
from app.reports.models import ApiToken
from app.security import Role
from tests.conftest import AuthActions, extract_csrf_token

URL = "/api/v1/reports/reach"
PARAMS = {"period": "school_year", "year": "2026"}


def _bearer(value):
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def issued(app, db, create_user):
    """A coordinator and one of their tokens (the token itself)."""
    user = create_user(Role.COORDINATOR)
    _row, value = tokens.create_token(db, user=user, name="Tableau de bord")
    db.commit()
    return user, value


def _assert_unauthorized(response):
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    assert response.get_json()["error"] == "invalid_token"


def test_without_a_token_or_with_a_wrong_one_it_is_401(client, issued):
    _user, value = issued
    _assert_unauthorized(client.get(URL))
    _assert_unauthorized(client.get(URL, headers=_bearer("not-a-token")))
    _assert_unauthorized(client.get(URL, headers=_bearer(value[:-1])))
    _assert_unauthorized(client.get(URL, headers={"Authorization": f"Basic {value}"}))
    _assert_unauthorized(client.get(URL, headers=_bearer("a" * 5000)))


def test_a_valid_token_reads_the_report_and_is_marked_used(client, db, issued):
    user, value = issued
    response = client.get(URL, query_string={**PARAMS, "lang": "en"}, headers=_bearer(value))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Language"] == "en"
    body = response.get_json()
    assert body["period"] == {
        "kind": "school_year",
        "start": "2026-07-01",
        "end": "2027-06-30",
        "label": "School year 2026–2027",
    }
    assert body["previous"]["label"] == "School year 2025–2026"
    assert body["threshold"] == 5
    assert body["filters"] == dict.fromkeys(
        ("service_centre_id", "school_id", "grade", "module_id", "topic", "region", "within")
    )
    summary = {s["figure"]: s for s in body["summary"]}
    assert summary["schools_visited"] == {
        "figure": "schools_visited",
        "label": "Schools visited",
        "value": 0,
        "previous": 0,
    }
    assert summary["median_reply_hours"]["value"] is None
    (token,) = db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    db.refresh(token)
    assert token.last_used_at is not None


def test_labels_follow_lang_and_french_comes_first(client, issued):
    _user, value = issued
    french = client.get(URL, query_string=PARAMS, headers=_bearer(value)).get_json()
    assert french["period"]["label"] == "Année scolaire 2026-2027"
    assert french["summary"][0]["label"] == "Écoles visitées"
    english = client.get(URL, query_string={**PARAMS, "lang": "en"}, headers=_bearer(value))
    assert english.get_json()["summary"][0]["label"] == "Schools visited"
    wrong = client.get(URL, query_string={"lang": "de"}, headers=_bearer(value))
    assert wrong.status_code == 400 and wrong.get_json()["status"] == 400


@pytest.mark.parametrize(
    "params",
    [{"period": "month", "year": "2026", "month": "13"}, {"school_id": "abc"}, {"topic": "x"}],
)
def test_bad_parameters_are_400_in_json(client, issued, params):
    _user, value = issued
    response = client.get(URL, query_string=params, headers=_bearer(value))
    assert response.status_code == 400 and response.is_json


def test_dates_of_ones_choice_are_a_400_that_says_why(client, issued):
    _user, value = issued
    params = {"period": "range", "start": "2026-10-01", "end": "2026-10-30"}
    english = client.get(URL, query_string={**params, "lang": "en"}, headers=_bearer(value))
    assert english.status_code == 400 and english.is_json
    assert english.get_json()["status"] == 400
    assert "not dates of your choice" in english.get_json()["error"]
    both = {"grade": "sec2", "module_id": "1", "lang": "en"}
    refused = client.get(URL, query_string=both, headers=_bearer(value))
    assert refused.status_code == 400 and "not both" in refused.get_json()["error"]


def test_a_revoked_token_is_401(client, db, issued):
    _user, value = issued
    token = tokens.find_by_token(db, value)
    tokens.revoke(db, token=token)
    db.commit()
    _assert_unauthorized(client.get(URL, headers=_bearer(value)))


def test_a_deactivated_or_demoted_owner_gets_403(app, client, db, issued, create_user):
    user, value = issued
    accounts.update_user(
        db, user=user, email=user.email, name=user.name, role=Role.PREVENTION_WORKER, partner=None
    )
    db.commit()
    demoted = client.get(URL, headers=_bearer(value))
    assert demoted.status_code == 403 and demoted.get_json()["error"] == "insufficient_scope"

    admin = create_user(Role.ADMIN)
    _row, admins = tokens.create_token(db, user=admin, name="admin")
    db.commit()
    assert client.get(URL, headers=_bearer(admins)).status_code == 200
    create_user(Role.ADMIN)  # the last admin cannot be deactivated
    accounts.deactivate_user(db, user=admin)
    db.commit()
    assert client.get(URL, headers=_bearer(admins)).status_code == 403


def test_the_session_cookie_does_not_open_the_api(app, create_user):
    client = app.test_client()
    AuthActions(client).login(create_user(Role.COORDINATOR).email)
    assert client.get("/fr/reports/").status_code == 200  # signed in
    _assert_unauthorized(client.get(URL))


# Tokens: made, shown once, stored as a digest, revoked ---------------------------------


def _signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def test_a_coordinator_makes_a_token_shown_once_and_stored_as_a_digest(app, db, create_user):
    user = create_user(Role.COORDINATOR)
    client = _signed_in(app, user)
    page = client.get("/fr/reports/tokens")
    assert page.status_code == 200
    csrf = extract_csrf_token(page.get_data(as_text=True))
    made = client.post("/fr/reports/tokens", data={"name": "Chiffrier", "csrf_token": csrf})
    assert made.status_code == 200
    html = made.get_data(as_text=True)
    start = html.index('<p class="secret" id="new-token">') + len(
        '<p class="secret" id="new-token">'
    )
    value = html[start : html.index("</p>", start)]
    assert len(value) == 43

    (row,) = db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    assert row.name == "Chiffrier"
    assert row.digest == hashlib.sha256(value.encode()).hexdigest()
    # The token is nowhere in the table, in any column.
    with db.connection() as connection:
        stored = connection.exec_driver_sql("SELECT * FROM api_token").all()
    assert not any(value in str(cell) for line in stored for cell in line)
    # Shown once: the list shows its name only.
    listing = client.get("/fr/reports/tokens").get_data(as_text=True)
    assert "Chiffrier" in listing and value not in listing
    assert client.get(URL, headers=_bearer(value)).status_code == 200


def test_a_name_is_required(app, create_user):
    client = _signed_in(app, create_user(Role.COORDINATOR))
    csrf = extract_csrf_token(client.get("/en/reports/tokens").get_data(as_text=True))
    response = client.post("/en/reports/tokens", data={"name": " ", "csrf_token": csrf})
    assert response.status_code == 200 and 'class="secret"' not in response.get_data(as_text=True)
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_the_owner_revokes_after_confirming(app, db, issued):
    user, value = issued
    token = tokens.find_by_token(db, value)
    client = _signed_in(app, user)
    confirm = client.get(f"/en/reports/tokens/{token.id}/revoke")
    assert confirm.status_code == 200 and "Tableau de bord" in confirm.get_data(as_text=True)
    assert app.test_client().get(URL, headers=_bearer(value)).status_code == 200  # not yet
    csrf = extract_csrf_token(confirm.get_data(as_text=True))
    done = client.post(f"/en/reports/tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert done.status_code == 302 and done.location.endswith("/en/reports/tokens")
    _assert_unauthorized(app.test_client().get(URL, headers=_bearer(value)))
    assert "Revoked on" in client.get("/en/reports/tokens").get_data(as_text=True)


def test_someone_elses_token_is_404(app, db, issued, create_user):
    _owner, value = issued
    token = tokens.find_by_token(db, value)
    other = _signed_in(app, create_user(Role.COORDINATOR))
    assert other.get(f"/en/reports/tokens/{token.id}/revoke").status_code == 404
    csrf = extract_csrf_token(other.get("/en/reports/tokens").get_data(as_text=True))
    response = other.post(f"/en/reports/tokens/{token.id}/revoke", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert "Tableau de bord" not in other.get("/en/reports/tokens").get_data(as_text=True)
    assert app.test_client().get(URL, headers=_bearer(value)).status_code == 200


@pytest.mark.parametrize("role", [Role.PREVENTION_WORKER, Role.POLICE_OFFICER, Role.YOUTH_WORKER])
def test_other_roles_cannot_manage_tokens(app, db, issued, create_user, role):
    _owner, value = issued
    token = tokens.find_by_token(db, value)
    client = _signed_in(app, create_user(role))
    assert client.get("/fr/reports/tokens").status_code == 403
    assert client.get(f"/fr/reports/tokens/{token.id}/revoke").status_code == 403


def test_visitors_are_sent_to_sign_in(client, db, issued):
    token = tokens.find_by_token(db, issued[1])
    for path in ("/en/reports/tokens", f"/en/reports/tokens/{token.id}/revoke"):
        response = client.get(path)
        assert response.status_code == 302 and "/en/login" in response.location


# The OpenAPI document ------------------------------------------------------------------


def test_the_openapi_document_is_served_and_describes_the_api(client, issued):
    response = client.get("/api/v1/openapi.yaml")
    assert response.status_code == 200 and response.mimetype == "application/yaml"
    document = yaml.safe_load(response.data)
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]["personalToken"] == {
        **document["components"]["securitySchemes"]["personalToken"],
        "type": "http",
        "scheme": "bearer",
    }
    operation = document["paths"]["/reports/reach"]["get"]
    parameters = {p["$ref"].rsplit("/", 1)[1] for p in operation["parameters"]}
    assert parameters == {
        "period",
        "year",
        "quarter",
        "month",
        "service_centre_id",
        "school_id",
        "grade",
        "module_id",
        "topic",
        "region",
        "lang",
    }
    schema = document["components"]["schemas"]["ReachReport"]
    _user, value = issued
    body = client.get(URL, headers=_bearer(value)).get_json()
    assert set(body) == set(schema["properties"]) == set(schema["required"])
    figures = document["components"]["schemas"]["Figure"]["enum"]
    assert [s["figure"] for s in body["summary"]] == figures
    period = document["components"]["parameters"]["period"]["schema"]["enum"]
    assert "range" not in period
    table = schema["properties"]["tables"]["items"]["properties"]["key"]["enum"]
    assert "questions_by_school" not in table
