"""Sign-in events: what is written, what never is, and the admins' page."""

import sqlalchemy as sa
from sqlmodel import select

from app.accounts.models import AccountEvent, AccountEventKind
from app.security import Role
from tests.conftest import AuthActions, extract_csrf_token

ADDRESS = "203.0.113.77"
USER_AGENT = "Mozilla/5.0 (Test; Distinctive-Agent-4711)"


def _kinds(db, user_id):
    db.expire_all()
    rows = db.exec(
        select(AccountEvent).where(AccountEvent.user_id == user_id).order_by(AccountEvent.id)
    ).all()
    return [event.kind for event in rows]


def _post_login(client, email, password, lang="en"):
    token = extract_csrf_token(client.get(f"/{lang}/login").get_data(as_text=True))
    return client.post(
        f"/{lang}/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": USER_AGENT},
    )


def test_events_of_a_password_sign_in(client, auth, create_user, db):
    user = create_user(Role.COORDINATOR)
    _post_login(client, user.email, "not the password")
    auth.login(user.email)
    auth.logout()
    assert _kinds(db, user.id) == [
        AccountEventKind.WRONG_PASSWORD,
        AccountEventKind.SIGNED_IN,
        AccountEventKind.SIGNED_OUT,
    ]


def test_an_unknown_email_is_logged_without_it(client, db, database_url):
    _post_login(client, "Stranger.Typed@Example.org", "whatever they typed")
    events = db.exec(select(AccountEvent)).all()
    assert [(e.user_id, e.kind) for e in events] == [(None, AccountEventKind.WRONG_PASSWORD)]
    # No column of any table holds the e-mail typed, the address or the agent.
    engine = sa.create_engine(database_url)
    tables = sa.MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        dump = " ".join(
            str(row)
            for table in tables.sorted_tables
            for row in connection.execute(sa.select(table))
        ).lower()
    engine.dispose()
    for secret in ("stranger", "typed@example", ADDRESS, "distinctive-agent", "whatever"):
        assert secret not in dump, secret


def test_a_lock_is_logged(make_app, create_user, db):
    client = make_app(LOGIN_MAX_FAILURES=2).test_client()
    user = create_user(Role.COORDINATOR)
    _post_login(client, user.email, "wrong one")
    _post_login(client, user.email, "wrong two")
    assert _kinds(db, user.id) == [
        AccountEventKind.WRONG_PASSWORD,
        AccountEventKind.WRONG_PASSWORD,
        AccountEventKind.LOCKED,
    ]


def test_password_change_and_reset_are_logged(client, auth, create_user, db):
    admin = create_user(Role.ADMIN, name="Ada Admin")
    worker = create_user(Role.PREVENTION_WORKER, name="Forgetful Worker")
    auth.login(worker.email)
    path = "/en/account/password"
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
    new_password = "a quiet heron by the river"
    response = client.post(
        path,
        data={
            "current_password": "correct horse battery staple",
            "new_password": new_password,
            "confirm_password": new_password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    auth.logout()
    auth.login(admin.email)
    path = f"/en/admin/users/{worker.id}/reset-password"
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert _kinds(db, worker.id) == [
        AccountEventKind.SIGNED_IN,
        AccountEventKind.PASSWORD_CHANGED,
        AccountEventKind.SIGNED_OUT,
        AccountEventKind.PASSWORD_RESET,
    ]
    reset = db.exec(
        select(AccountEvent).where(AccountEvent.kind == AccountEventKind.PASSWORD_RESET)
    ).one()
    assert reset.by_id == admin.id


def test_admins_read_the_events_newest_first_filtered_and_paged(make_app, create_user, db):
    client = make_app(USERS_PER_PAGE=3).test_client()
    auth = AuthActions(client)
    admin = create_user(Role.ADMIN, name="Ada Admin")
    worker = create_user(Role.PREVENTION_WORKER, name="Wanda Worker")
    for _ in range(2):
        _post_login(client, worker.email, "not the password")
    _post_login(client, "nobody@example.org", "x")
    auth.login(admin.email)

    users_page = client.get("/en/admin/users/").get_data(as_text=True)
    assert 'href="/en/admin/sign-in-events"' in users_page
    html = client.get("/en/admin/sign-in-events").get_data(as_text=True)
    assert "4 events" in html
    # Newest first: the admin's sign-in, then the unknown account.
    table = html.split("<tbody>", 1)[1]
    assert table.index("Signed in") < table.index("Unknown account") < table.index("Wrong")
    assert 'href="/en/admin/sign-in-events?page=2"' in html
    assert client.get("/en/admin/sign-in-events?page=2").status_code == 200
    assert client.get("/en/admin/sign-in-events?page=3").status_code == 404

    filtered = client.get(f"/en/admin/sign-in-events?user={worker.id}").get_data(as_text=True)
    assert "2 events" in filtered and "Ada Admin</td>" not in filtered
    assert f'<option value="{worker.id}" selected>' in filtered
    assert client.get("/en/admin/sign-in-events?user=99999").status_code == 404


def test_only_admins_read_the_events(client, auth, create_user):
    auth.login(create_user(Role.COORDINATOR).email)
    assert client.get("/en/admin/sign-in-events").status_code == 403
