"""Administrators create, edit, deactivate and reset accounts."""

from sqlmodel import select

from app.accounts.models import User
from app.security import Role
from tests.conftest import extract_csrf_token


def _admin_client(client, auth, create_user):
    admin = create_user(Role.ADMIN, name="Ada Admin")
    auth.login(admin.email)
    return admin


def _token(client, path):
    return extract_csrf_token(client.get(path).get_data(as_text=True))


def test_create_user(client, auth, create_user, create_partner, db):
    _admin_client(client, auth, create_user)
    partner = create_partner()
    data = {
        "name": "Nora Police",
        "email": "nora@example.org",
        "role": "police_officer",
        "partner": str(partner.id),
        "password": "temporary password 1",
        "csrf_token": _token(client, "/fr/admin/users/new"),
    }
    response = client.post("/fr/admin/users/new", data=data)
    assert response.status_code == 302
    user = db.exec(select(User).where(User.email == "nora@example.org")).one()
    assert user.role == Role.POLICE_OFFICER and user.partner_id == partner.id
    assert user.must_change_password
    assert "Nora Police" in client.get("/fr/admin/users/").get_data(as_text=True)


def test_create_user_bad_input_saves_nothing(client, auth, create_user, db):
    _admin_client(client, auth, create_user)
    token = _token(client, "/en/admin/users/new")
    base = {"name": "X", "role": "admin", "partner": "", "csrf_token": token}
    cases = [
        ({"email": "not-an-email", "password": "long enough password"}, "Invalid email"),
        ({"email": "x@example.org", "password": "short"}, "at least 12"),
        (
            {"email": "x@example.org", "password": "long enough password", "role": "boss"},
            "Not a valid choice",
        ),
        (
            {"email": "x@example.org", "password": "long enough password", "partner": "999"},
            "Not a valid choice",
        ),
    ]
    for extra, message in cases:
        response = client.post("/en/admin/users/new", data={**base, **extra})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    assert db.exec(select(User).where(User.email == "x@example.org")).first() is None


def test_duplicate_email_is_refused(client, auth, create_user, db):
    _admin_client(client, auth, create_user)
    other = create_user(email="taken@example.org")
    data = {
        "name": "Copy",
        "email": "TAKEN@example.org",
        "role": "youth_worker",
        "partner": "",
        "password": "long enough password",
        "csrf_token": _token(client, "/en/admin/users/new"),
    }
    response = client.post("/en/admin/users/new", data=data)
    assert "Another account already uses this e-mail." in response.get_data(as_text=True)
    assert len(db.exec(select(User).where(User.email == other.email)).all()) == 1


def test_edit_user(client, auth, create_user, db):
    _admin_client(client, auth, create_user)
    user = create_user(Role.YOUTH_WORKER, name="Old Name")
    page = client.get(f"/fr/admin/users/{user.id}/edit").get_data(as_text=True)
    assert 'value="Old Name"' in page
    data = {
        "name": "New Name",
        "email": user.email,
        "role": "coordinator",
        "partner": "",
        "csrf_token": extract_csrf_token(page),
    }
    assert client.post(f"/fr/admin/users/{user.id}/edit", data=data).status_code == 302
    db.expire_all()
    changed = db.get(User, user.id)
    assert (changed.name, changed.role) == ("New Name", Role.COORDINATOR)


def test_unknown_user_is_404(client, auth, create_user):
    _admin_client(client, auth, create_user)
    assert client.get("/fr/admin/users/9999/edit").status_code == 404


def test_deactivate_asks_first_then_ends_sessions(client, auth, create_user, db, app):
    _admin_client(client, auth, create_user)
    user = create_user(name="Leaving Worker")
    other = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other).login(user.email)
    assert other.get("/fr/account/").status_code == 200
    page = client.get(f"/fr/admin/users/{user.id}/deactivate")
    assert page.status_code == 200
    db.expire_all()
    assert db.get(User, user.id).active, "GET must not change anything"
    token = extract_csrf_token(page.get_data(as_text=True))
    client.post(f"/fr/admin/users/{user.id}/deactivate", data={"csrf_token": token})
    db.expire_all()
    assert not db.get(User, user.id).active
    assert other.get("/fr/account/").status_code == 302
    client.post(f"/fr/admin/users/{user.id}/reactivate", data={"csrf_token": token})
    db.expire_all()
    assert db.get(User, user.id).active


def test_last_admin_cannot_be_deactivated_or_demoted(client, auth, create_user, db):
    admin = _admin_client(client, auth, create_user)
    token = _token(client, f"/en/admin/users/{admin.id}/deactivate")
    response = client.post(
        f"/en/admin/users/{admin.id}/deactivate", data={"csrf_token": token}, follow_redirects=True
    )
    assert "last active administrator" in response.get_data(as_text=True)
    data = {"name": "A", "email": admin.email, "role": "coordinator", "partner": ""}
    response = client.post(f"/en/admin/users/{admin.id}/edit", data={**data, "csrf_token": token})
    assert "last active administrator" in response.get_data(as_text=True)
    db.expire_all()
    still = db.get(User, admin.id)
    assert still.active and still.role == Role.ADMIN


def test_user_list_is_paginated(make_app, create_user):
    app = make_app(USERS_PER_PAGE=3)
    client = app.test_client()
    from tests.conftest import AuthActions

    admin = create_user(Role.ADMIN, name="Aaa Admin")
    for n in range(5):
        create_user(name=f"Worker {n}")
    AuthActions(client).login(admin.email)
    first = client.get("/en/admin/users/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Worker 1" in first and "Worker 2" not in first
    second = client.get("/en/admin/users/?page=2").get_data(as_text=True)
    assert "Worker 4" in second and 'rel="prev"' in second
    assert client.get("/en/admin/users/?page=9").status_code == 404


def test_new_account_password_follows_the_policy(client, auth, create_user, db):
    _admin_client(client, auth, create_user)
    token = _token(client, "/en/admin/users/new")
    base = {"role": "coordinator", "partner": "", "csrf_token": token}
    cases = [
        ({"name": "Pat", "email": "p@example.org", "password": "football1234"}, "most common"),
        (
            {"name": "Élodie Roy", "email": "e@example.org", "password": "elodie-roy-2025"},
            "must not contain the name",
        ),
    ]
    for extra, message in cases:
        response = client.post("/en/admin/users/new", data={**base, **extra})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    assert db.exec(select(User).where(User.role == Role.COORDINATOR)).first() is None


def test_user_page_shows_two_factor_and_links_its_events(client, auth, create_user):
    _admin_client(client, auth, create_user)
    worker = create_user(Role.YOUTH_WORKER, totp_secret=None)
    html = client.get(f"/en/admin/users/{worker.id}/edit").get_data(as_text=True)
    assert "Not set up yet" in html
    assert "reset-two-factor" not in html  # nothing to reset
    assert f'href="/en/admin/sign-in-events?user={worker.id}"' in html
