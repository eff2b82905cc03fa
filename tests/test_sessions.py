"""Sessions end on the server: sign-out, a password change or a second-factor
reset end every session of the account, copies of the cookie included."""

from app.security import Role
from tests.conftest import PASSWORD, AuthActions, extract_csrf_token

COOKIE = "mobilis_session"


def _signed_in(client):
    return client.get("/fr/account/").status_code == 200


def _copy_of(client, app):
    """Another browser holding a copy of `client`'s session cookie (stolen, or
    left behind in a shared computer's profile)."""
    copy = app.test_client()
    copy.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return copy


def test_a_copied_cookie_is_dead_after_sign_out(app, create_user):
    user = create_user(Role.COORDINATOR)
    client = app.test_client()
    AuthActions(client).login(user.email)
    copy = _copy_of(client, app)
    assert _signed_in(copy)
    AuthActions(client).logout()
    assert not _signed_in(client)
    response = copy.get("/fr/account/")
    assert response.status_code == 302 and response.location.startswith("/fr/login")


def test_sign_out_ends_the_other_sign_ins_of_the_account(app, create_user):
    user = create_user(Role.YOUTH_WORKER)
    office, phone = app.test_client(), app.test_client()
    AuthActions(office).login(user.email)
    AuthActions(phone).login(user.email)
    assert _signed_in(office) and _signed_in(phone)
    AuthActions(phone).logout()
    assert not _signed_in(office)
    # Signing in again works, and starts a session of its own.
    AuthActions(office).login(user.email)
    assert _signed_in(office) and not _signed_in(phone)


def test_sign_out_of_one_account_leaves_the_others_signed_in(app, create_user):
    first, second = create_user(Role.COORDINATOR), create_user(Role.COORDINATOR)
    one, two = app.test_client(), app.test_client()
    AuthActions(one).login(first.email)
    AuthActions(two).login(second.email)
    AuthActions(one).logout()
    assert _signed_in(two)


def test_a_password_change_ends_every_other_session(app, create_user):
    user = create_user(Role.PREVENTION_WORKER)
    here, elsewhere = app.test_client(), app.test_client()
    AuthActions(here).login(user.email)
    AuthActions(elsewhere).login(user.email)
    copy = _copy_of(here, app)
    token = extract_csrf_token(here.get("/en/account/password").get_data(as_text=True))
    new_password = "a quiet heron by the river"
    response = here.post(
        "/en/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    # The browser that changed it stays signed in, with a new session.
    assert _signed_in(here)
    assert not _signed_in(elsewhere)
    assert not _signed_in(copy)


def test_a_second_factor_reset_ends_every_session(app, create_user):
    admin = create_user(Role.ADMIN)
    worker = create_user(Role.YOUTH_WORKER)
    phone = app.test_client()
    AuthActions(phone).login(worker.email)
    assert _signed_in(phone)
    admin_client = app.test_client()
    AuthActions(admin_client).login(admin.email)
    path = f"/en/admin/users/{worker.id}/reset-two-factor"
    token = extract_csrf_token(admin_client.get(path).get_data(as_text=True))
    assert admin_client.post(path, data={"csrf_token": token}).status_code == 302
    assert not _signed_in(phone)
