"""Two-factor sign-in (TOTP) for youth workers and admins, through HTTP."""

import threading

from sqlmodel import select

from app.accounts import services, two_factor
from app.accounts.models import AccountEvent, AccountEventKind
from app.security import Role
from tests.conftest import TOTP_SECRET, AuthActions, extract_csrf_token, fresh_code


def _signed_in(client):
    return client.get("/en/account/").status_code == 200


def _code(step_offset=0):
    return two_factor.code_at(TOTP_SECRET, two_factor.current_step() + step_offset)


def _events(db, user):
    db.expire_all()
    rows = db.exec(select(AccountEvent).where(AccountEvent.user_id == user.id)).all()
    return [event.kind for event in sorted(rows, key=lambda e: e.id)]


def test_the_password_alone_does_not_sign_in_who_reads_questions(app, create_user):
    for role in (Role.YOUTH_WORKER, Role.ADMIN):
        user = create_user(role)
        client = app.test_client()
        response = AuthActions(client).password_step(user.email, lang="en")
        assert response.location == "/en/login/code"
        assert not _signed_in(client)
        html = client.get("/en/login/code").get_data(as_text=True)
        assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
        assert '<label for="code">' in html


def test_other_roles_sign_in_with_the_password(client, auth, create_user):
    user = create_user(Role.COORDINATOR)
    assert auth.password_step(user.email).location == "/fr/coordination/"
    assert _signed_in(client)


def test_right_code_signs_in_and_is_logged(client, auth, create_user, db):
    user = create_user(Role.YOUTH_WORKER)
    auth.password_step(user.email, lang="en")
    response = auth.send_code(_code(), lang="en")
    assert response.location == "/en/inbox/"
    assert _signed_in(client)
    assert _events(db, user) == [AccountEventKind.SIGNED_IN]
    db.refresh(user)
    assert user.totp_last_step is not None and user.last_login_at is not None


def test_code_with_spaces_is_accepted(client, auth, create_user):
    user = create_user(Role.ADMIN)
    auth.password_step(user.email)
    code = _code()
    auth.send_code(f" {code[:3]} {code[3:]} ")
    assert _signed_in(client)


def test_wrong_code_is_refused_and_counted(client, auth, create_user, db):
    user = create_user(Role.YOUTH_WORKER)
    auth.password_step(user.email, lang="en")
    wrong = "000000" if _code() != "000000" else "111111"
    for code in (wrong, "12345", "abcdef"):
        response = auth.send_code(code, lang="en")
        assert response.status_code == 200
        assert "This code is not right" in response.get_data(as_text=True)
    assert not _signed_in(client)
    assert _events(db, user) == [AccountEventKind.WRONG_CODE] * 3


def test_a_code_cannot_be_used_twice(make_app, create_user, db):
    user = create_user(Role.YOUTH_WORKER)
    app = make_app()
    first, second = app.test_client(), app.test_client()
    code = _code()
    AuthActions(first).password_step(user.email, lang="en")
    assert AuthActions(first).send_code(code, lang="en").status_code == 302
    # Someone who saw the code (and knows the password) tries it at once.
    AuthActions(second).password_step(user.email, lang="en")
    response = AuthActions(second).send_code(code, lang="en")
    assert response.status_code == 200
    assert "already used" in response.get_data(as_text=True)
    assert not _signed_in(second)
    # An older code is refused too, even within the clock drift allowed.
    assert AuthActions(second).send_code(_code(-1), lang="en").status_code == 200
    assert not _signed_in(second)


RACERS = 6
ROUNDS = 3


def _race_with_one_code(app, user):
    """Six browsers that all know the password send the same code at the same
    moment, each on its own thread and database connection; returns their
    responses and clients."""
    clients = [app.test_client() for _ in range(RACERS)]
    tokens = []
    for client in clients:
        AuthActions(client).password_step(user.email, lang="en")
        tokens.append(extract_csrf_token(client.get("/en/login/code").get_data(as_text=True)))
    code = fresh_code(app.extensions["mobilis_engine"], user.email)
    start = threading.Barrier(RACERS)
    responses = [None] * RACERS

    def send(n):
        start.wait()
        responses[n] = clients[n].post(
            "/en/login/code", data={"code": code, "csrf_token": tokens[n]}
        )

    threads = [threading.Thread(target=send, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses, clients


def test_a_code_is_accepted_once_when_six_requests_race_with_it(make_app, create_user, db):
    # The losers' refusals count as failures: room for them, so that only
    # the race is tested here.
    app = make_app(LOGIN_RATE_LIMIT="1000 per minute", LOGIN_MAX_FAILURES=1000)
    user = create_user(Role.YOUTH_WORKER)
    # A few rounds, as one round may by chance not overlap.
    for _round in range(ROUNDS):
        responses, clients = _race_with_one_code(app, user)
        outcomes = sorted((r.status_code, r.location or "") for r in responses)
        assert outcomes == [(200, "")] * (RACERS - 1) + [(302, "/en/inbox/")], outcomes
        assert sum(_signed_in(client) for client in clients) == 1
    assert _events(db, user).count(AccountEventKind.SIGNED_IN) == ROUNDS


def test_codes_far_from_now_are_refused(client, auth, create_user):
    user = create_user(Role.ADMIN)
    auth.password_step(user.email)
    for offset in (-3, 3, 60):
        assert auth.send_code(_code(offset)).status_code == 200
    assert not _signed_in(client)


def test_the_second_step_expires(client, auth, create_user, db):
    user = create_user(Role.YOUTH_WORKER)
    auth.password_step(user.email, lang="en")
    with client.session_transaction() as session:
        pending = session["two_factor_pending"]
        pending["at"] -= 5 * 60 + 1
        session["two_factor_pending"] = pending
    token = extract_csrf_token(client.get("/en/login").get_data(as_text=True))
    response = client.post("/en/login/code", data={"code": _code(), "csrf_token": token})
    assert response.location == "/en/login"
    assert not _signed_in(client)
    db.refresh(user)
    assert user.totp_last_step is None


def test_the_second_step_needs_the_first(client, create_user):
    create_user(Role.YOUTH_WORKER)
    token = extract_csrf_token(client.get("/en/login").get_data(as_text=True))
    response = client.post("/en/login/code", data={"code": _code(), "csrf_token": token})
    assert response.location == "/en/login"
    assert client.get("/en/login/set-up-code").location == "/en/login"
    assert not _signed_in(client)


def test_wrong_codes_and_passwords_count_together(make_app, create_user, db):
    app = make_app(LOGIN_MAX_FAILURES=3)
    client = app.test_client()
    auth = AuthActions(client)
    user = create_user(Role.YOUTH_WORKER)
    auth.password_step(user.email, lang="en")
    auth.send_code("000000" if _code() != "000000" else "111111", lang="en")
    # A wrong password in between does not clear the count, nor does a right one.
    auth.password_step(user.email, "not the password", lang="en")
    auth.password_step(user.email, lang="en")
    response = auth.send_code("999999" if _code() != "999999" else "888888", lang="en")
    assert response.location == "/en/login"
    assert not _signed_in(client)
    assert _events(db, user) == [
        AccountEventKind.WRONG_CODE,
        AccountEventKind.WRONG_PASSWORD,
        AccountEventKind.WRONG_CODE,
        AccountEventKind.LOCKED,
    ]
    # Paused: even the right password and code no longer sign in, for now.
    html = auth.password_step(user.email, lang="en").get_data(as_text=True)
    assert "Too many failed attempts" in html
    assert not _signed_in(client)


def test_enrolment_then_sign_in_with_the_new_secret(client, auth, create_user, db):
    user = create_user(Role.YOUTH_WORKER, totp_secret=None)
    assert auth.password_step(user.email, lang="en").location == "/en/login/set-up-code"
    html = client.get("/en/login/set-up-code").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html  # the QR code, made here
    assert not _signed_in(client)
    token = extract_csrf_token(html)
    # A wrong first code sets up nothing.
    client.post("/en/login/set-up-code", data={"code": "12345x", "csrf_token": token})
    db.refresh(user)
    assert user.totp_secret is None

    response, secret = auth.enrol(lang="en")
    assert response.location == "/en/inbox/"
    assert _signed_in(client)
    db.refresh(user)
    assert user.totp_secret == secret and user.totp_enrolled_at is not None
    assert _events(db, user) == [
        AccountEventKind.WRONG_CODE,
        AccountEventKind.TWO_FACTOR_ENROLLED,
        AccountEventKind.SIGNED_IN,
    ]
    # The secret is never shown again: the page now asks for a code.
    auth.logout(lang="en")
    auth.password_step(user.email, lang="en")
    assert client.get("/en/login/set-up-code").location == "/en/login/code"
    assert secret not in client.get("/en/login/code").get_data(as_text=True)
    code = fresh_code(client.application.extensions["mobilis_engine"], user.email)
    assert auth.send_code(code, lang="en").location == "/en/inbox/"


def test_admin_resets_two_factor_with_confirmation(client, auth, create_user, db):
    admin = create_user(Role.ADMIN, name="Ada Admin")
    worker = create_user(Role.YOUTH_WORKER, name="Lost Phone")
    auth.login(admin.email)
    path = f"/en/admin/users/{worker.id}/reset-two-factor"
    assert f'href="{path}"' in client.get(f"/en/admin/users/{worker.id}/edit").get_data(
        as_text=True
    )
    page = client.get(path)
    assert page.status_code == 200
    db.refresh(worker)
    assert worker.totp_secret == TOTP_SECRET  # the GET changed nothing
    response = client.post(path, data={"csrf_token": extract_csrf_token(page.get_data(True))})
    assert response.status_code == 302
    db.refresh(worker)
    assert worker.totp_secret is None and worker.totp_last_step is None
    event = db.exec(
        select(AccountEvent).where(AccountEvent.kind == AccountEventKind.TWO_FACTOR_RESET)
    ).one()
    assert (event.user_id, event.by_id) == (worker.id, admin.id)

    auth.logout()
    assert auth.password_step(worker.email).location == "/fr/login/set-up-code"


def test_a_session_without_the_code_ends_when_the_role_needs_one(
    app, client, auth, create_user, db
):
    user = create_user(Role.COORDINATOR)
    auth.login(user.email)
    assert _signed_in(client)
    with app.app_context():
        services.update_user(
            db, user=user, email=user.email, name=user.name, role=Role.YOUTH_WORKER, partner=None
        )
    db.commit()
    response = client.get("/en/account/")
    assert response.status_code == 302 and response.location.startswith("/en/login")
    assert auth.password_step(user.email).location == "/fr/login/set-up-code"


def test_code_at_matches_rfc_6238():
    # RFC 6238, appendix B: SHA-1 secret "12345678901234567890", T = 59 s.
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert two_factor.code_at(secret, 59 // 30) == "287082"  # last 6 of 94287082
    assert two_factor.matching_step(secret, "287082", now=59) == 1
    assert two_factor.matching_step(secret, "287082", now=59, last_step=1) is None


def test_demo_sign_ins_carry_a_working_two_factor_key(app, client, auth, runner):
    from app.devdata.demo import DEMO_DOMAIN

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with open(app.instance_path + "/demo-sign-ins.txt") as f:
        lines = f.read().splitlines()
    at = next(i for i, line in enumerate(lines) if f"intervention@{DEMO_DOMAIN}" in line)
    password = lines[at].split()[-1]
    key = lines[at + 1].split("two-factor key:")[1].split()[0]
    assert auth.password_step(f"intervention@{DEMO_DOMAIN}", password).location == (
        "/fr/login/code"
    )
    code = two_factor.code_at(key, two_factor.current_step())
    assert auth.send_code(code).location == "/fr/inbox/"
    # Roles that do not read questions get no key.
    coordination = next(line for line in lines if f"coordination@{DEMO_DOMAIN}" in line)
    assert "two-factor" not in lines[lines.index(coordination) + 1]
