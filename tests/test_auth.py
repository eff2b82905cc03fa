"""Sign-in, sign-out, lock-out and sessions, through HTTP."""

from app.accounts.models import User
from app.security import Role
from tests.conftest import PASSWORD, AuthActions, extract_csrf_token, fresh_code


def test_login_page_has_the_contract_fields(client):
    html = client.get("/fr/login").get_data(as_text=True)
    for name in ('name="email"', 'name="password"', 'name="csrf_token"'):
        assert name in html


def test_sign_in_and_out(client, auth, create_user):
    user = create_user(Role.COORDINATOR, email="camille@example.org", name="Camille")
    response = auth.login("Camille@Example.org ")
    assert response.status_code == 302
    assert response.location == "/fr/coordination/"  # a coordinator's work
    page = client.get("/fr/account/").get_data(as_text=True)
    assert "Camille" in page and user.email in page
    response = auth.logout()
    assert response.status_code == 302 and response.location == "/fr/"
    assert client.get("/fr/account/").status_code == 302


def test_sign_in_keeps_the_language(auth, create_user):
    user = create_user()
    assert auth.login(user.email, lang="en").location == "/en/agenda/"


def test_wrong_password_is_refused_with_a_message(client, auth, create_user, db):
    user = create_user()
    response = auth.login(user.email, "not the password")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert client.get("/fr/account/").status_code == 302
    db.refresh(user)
    assert user.last_login_at is None


def test_unknown_email_gets_the_same_answer(client, auth, create_user):
    user = create_user()
    wrong_password = auth.login(user.email, "not the password").get_data(as_text=True)
    unknown = auth.login("nobody@example.org").get_data(as_text=True)
    assert _alert(wrong_password) == _alert(unknown)


def _alert(html):
    start = html.index('role="alert"')
    return html[start : html.index("</p>", start)]


def test_too_many_sign_in_attempts_get_429(make_app, create_user):
    app = make_app(LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    from tests.conftest import AuthActions

    auth = AuthActions(client)
    statuses = [auth.login("someone@example.org", "x").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = auth.login("someone@example.org", "x", lang="en")
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)


def test_missing_csrf_token_is_400_and_signs_nobody_in(client, create_user):
    user = create_user()
    response = client.post("/fr/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/fr/account/").status_code == 302


def test_logout_needs_post_and_csrf(client, auth, create_user):
    user = create_user()
    auth.login(user.email)
    assert client.get("/fr/logout").status_code == 405
    assert client.post("/fr/logout").status_code == 400
    assert client.get("/fr/account/").status_code == 200


# `next=` values as they appear in a link (percent-encoded as sent). Browsers
# drop tabs and line breaks and read "\\" as "/", so each of these would lead
# to another site, or break the response, if it were followed.
NASTY_NEXT = [
    "/%09/evil.example",
    "/%0A/x",
    "/%0D/evil.example",
    "/%0D%0A/evil.example",
    "/%00/evil.example",
    "/%7F/evil.example",
    "/%C2%85/evil.example",  # NEL, a C1 control
    "/%E2%80%A8/evil.example",  # LINE SEPARATOR
    "%09//evil.example",
    "%20//evil.example",
    "//evil.example/",
    "///evil.example",
    "/%2F/evil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C/evil.example",
    "%5C%5Cevil.example",
    "/%09%5C/evil.example",
    "https://evil.example/",
    "https:evil.example",
    "HtTpS%3A%2F%2Fevil.example",
    "javascript:alert(1)",
    "data:text/html,hello",
    # Encoded once more: harmless here, but not after a proxy decodes again.
    "/%2509/evil.example",
    "/%250A/x",
    "/%252F/evil.example",
    "%252F%252Fevil.example",
    "/%255Cevil.example",
    "/%25252F/evil.example",
    "/%2525252509/evil.example",
    "/" + "a" * 2100,
]
GOOD_NEXT = [
    ("/fr/admin/users/", "/fr/admin/users/"),
    ("/fr/schools/%3Fpage%3D2", "/fr/schools/?page=2"),
    (
        "/fr/reports/%3Fperiod%3D2026-01%26region%3Dmonteregie",
        "/fr/reports/?period=2026-01&region=monteregie",
    ),
]


def _post_password(client, email, next_value):
    token = extract_csrf_token(client.get("/fr/login").get_data(as_text=True))
    return client.post(
        f"/fr/login?next={next_value}",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
    )


def _browser_target(location):
    """Where a browser would go: it drops tabs and line breaks, reads \\ as /."""
    return "".join(c for c in location if c not in "\t\r\n").replace("\\", "/")


def test_next_after_the_password_is_only_a_page_of_this_site(make_app, create_user):
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute")
    user = create_user(Role.COORDINATOR)
    for raw in NASTY_NEXT:
        client = app.test_client()
        response = _post_password(client, user.email, raw)
        assert response.status_code == 302, raw
        assert response.location == "/fr/coordination/", raw
    for raw, expected in GOOD_NEXT:
        client = app.test_client()
        response = _post_password(client, user.email, raw)
        assert response.location == expected, raw


def test_next_after_the_second_factor_is_only_a_page_of_this_site(make_app, create_user):
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute")
    engine = app.extensions["mobilis_engine"]
    user = create_user(Role.ADMIN)
    client = app.test_client()
    assert client.get("/fr/admin/users/").location == "/fr/login?next=/fr/admin/users/"
    for raw in NASTY_NEXT + [raw for raw, _expected in GOOD_NEXT]:
        client = app.test_client()
        response = _post_password(client, user.email, raw)
        # An admin gives a code next; `next` is kept through that step.
        assert response.location == "/fr/login/code", raw
        response = AuthActions(client).send_code(fresh_code(engine, user.email))
        assert response.status_code == 302, raw
        expected = dict(GOOD_NEXT).get(raw, "/fr/admin/users/")
        assert response.location == expected, raw
        assert _browser_target(response.location).startswith("/fr/"), raw


def test_session_ends_after_the_absolute_limit(client, auth, create_user):
    user = create_user()
    auth.login(user.email)
    with client.session_transaction() as session:
        session["signed_in_at"] -= 13 * 3600
    response = client.get("/fr/account/")
    assert response.status_code == 302 and "/fr/login" in response.location
    assert client.get("/fr/account/").status_code == 302


def test_session_cookie_is_httponly_samesite_and_expires(client, auth, create_user):
    user = create_user()
    response = auth.login(user.email)
    cookie = _session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app, create_user):
    client = app.test_client()
    user = create_user()
    from tests.conftest import extract_csrf_token

    html = client.get("/fr/login", base_url="https://localhost").get_data(as_text=True)
    response = client.post(
        "/fr/login",
        base_url="https://localhost",
        data={"email": user.email, "password": PASSWORD, "csrf_token": extract_csrf_token(html)},
    )
    assert "Secure" in _session_cookie(response)


def _session_cookie(response):
    """The session's Set-Cookie (a sign-in sets the device cookie too)."""
    [cookie] = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("mobilis_session=")
    ]
    return cookie


def test_deactivated_user_is_signed_out_and_cannot_sign_in(client, auth, create_user, db):
    user = create_user()
    auth.login(user.email)
    from app.accounts import services

    services.deactivate_user(db, user=user)
    db.commit()
    assert client.get("/fr/account/").status_code == 302
    auth.login(user.email)
    assert client.get("/fr/account/").status_code == 302


def test_must_change_password_first(client, auth, create_user, db):
    user = create_user(must_change_password=True)
    auth.login(user.email)
    response = client.get("/fr/account/")
    assert response.location == "/fr/account/password"
    from tests.conftest import extract_csrf_token

    token = extract_csrf_token(client.get("/fr/account/password").get_data(as_text=True))
    response = client.post(
        "/fr/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
            "csrf_token": token,
        },
    )
    assert response.location == "/fr/account/"
    assert client.get("/fr/account/").status_code == 200
    db.expire_all()
    refreshed = db.get(User, user.id)
    assert refreshed.must_change_password is False


def test_change_password_checks_the_current_one(client, auth, create_user, db):
    user = create_user()
    auth.login(user.email)
    from tests.conftest import extract_csrf_token

    token = extract_csrf_token(client.get("/en/account/password").get_data(as_text=True))
    old_hash = user.password_hash
    response = client.post(
        "/en/account/password",
        data={
            "current_password": "wrong",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
            "csrf_token": token,
        },
    )
    assert response.status_code == 200
    assert "This is not your current password." in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, user.id).password_hash == old_hash


def test_change_password_refuses_a_common_or_personal_one(client, auth, create_user, db):
    user = create_user(name="Mathis Bouchard")
    auth.login(user.email, lang="en")
    for new_password, message in [
        ("baseball12345", "most common ones found in data breaches"),
        ("mathis bouchard 1", "must not contain the name"),
    ]:
        token = extract_csrf_token(client.get("/en/account/password").get_data(as_text=True))
        response = client.post(
            "/en/account/password",
            data={
                "current_password": PASSWORD,
                "new_password": new_password,
                "confirm_password": new_password,
                "csrf_token": token,
            },
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    db.refresh(user)
    from app.accounts import services

    assert services.verify_password(user, PASSWORD)
