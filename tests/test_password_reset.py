"""An administrator's reset sends the person a one-time link; the admin never
sets, sees or can use a password or link of theirs."""

import hashlib
import re
import socket
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.accounts import services
from app.accounts.models import AccountEvent, AccountEventKind, User
from app.security import Role
from tests.conftest import PASSWORD, AuthActions, extract_csrf_token

NEW_PASSWORD = "une tuque rouge sous la pluie"


def _outbox(app):
    return app.extensions.get("mail_outbox", [])


def _admin(app, create_user):
    admin = create_user(Role.ADMIN, name="Ada Admin")
    client = app.test_client()
    AuthActions(client).login(admin.email)
    return admin, client


def _reset(client, user, lang="fr"):
    """The admin confirms a reset; returns every page they were shown."""
    path = f"/{lang}/admin/users/{user.id}/reset-password"
    page = client.get(path)
    response = client.post(
        path, data={"csrf_token": extract_csrf_token(page.get_data(as_text=True))}
    )
    after = client.get(response.location)
    return response, [page.get_data(as_text=True), after.get_data(as_text=True)]


def _link(message, lang):
    return re.search(rf"http://localhost(/{lang}/password-reset/[\w-]+)", message.get_content())[1]


def _choose(client, password, confirm=None):
    token = extract_csrf_token(client.get("/fr/password-reset/").get_data(as_text=True))
    return client.post(
        "/fr/password-reset/",
        data={
            "new_password": password,
            "confirm_password": confirm or password,
            "csrf_token": token,
        },
    )


def _signed_in(client):
    return client.get("/fr/account/").status_code == 200


def test_a_reset_mails_the_person_a_link_and_shows_the_admin_nothing(app, create_user, db):
    worker = create_user(Role.YOUTH_WORKER, name="Wanda Worker")
    phone = app.test_client()
    AuthActions(phone).login(worker.email)
    admin, client = _admin(app, create_user)
    old_hash = worker.password_hash

    response, pages = _reset(client, worker)
    assert response.status_code == 302 and response.location == "/fr/admin/users/"
    [message] = _outbox(app)
    assert message["To"] == worker.email
    body = message.get_content()
    # French, then English (staff have no language on record).
    assert "Ada Admin" in body and body.count("Ada Admin") == 2
    assert "Choose a new password" in message["Subject"] and " / " in message["Subject"]
    link = _link(message, "fr")
    token = link.rsplit("/", 1)[1]
    assert _link(message, "en") == f"/en/password-reset/{token}"
    # Nothing the admin was shown holds the link or a password.
    assert worker.email in pages[1]
    for page in pages:
        assert token not in page and "temporary-password" not in page
    # Only the link's digest is stored; the old password and every session end.
    db.expire_all()
    stored = db.get(User, worker.id)
    assert stored.reset_digest == hashlib.sha256(token.encode()).hexdigest()
    assert stored.password_hash != old_hash
    assert not services.verify_password(stored, PASSWORD)
    assert not _signed_in(phone)
    assert AuthActions(app.test_client()).password_step(worker.email).status_code == 200
    event = db.exec(
        select(AccountEvent).where(AccountEvent.kind == AccountEventKind.PASSWORD_RESET)
    ).one()
    assert (event.user_id, event.by_id) == (worker.id, admin.id)


def test_the_person_chooses_the_password_through_the_link_once(app, create_user, db):
    worker = create_user(Role.YOUTH_WORKER, name="Wanda Worker")
    _admin_user, admin_client = _admin(app, create_user)
    _reset(admin_client, worker)
    link = _link(_outbox(app)[0], "fr")

    browser = app.test_client()
    opened = browser.get(link)
    # The token leaves the address bar at once.
    assert opened.status_code == 302 and opened.location == "/fr/password-reset/"
    page = browser.get("/fr/password-reset/").get_data(as_text=True)
    assert worker.email in page and 'autocomplete="new-password"' in page
    # A refused password leaves the link usable.
    refused = _choose(browser, "password12345")
    assert refused.status_code == 200
    assert 'id="new_password-error"' in refused.get_data(as_text=True)
    mismatch = _choose(browser, NEW_PASSWORD, confirm=NEW_PASSWORD + "!")
    assert mismatch.status_code == 200
    done = _choose(browser, NEW_PASSWORD)
    assert done.status_code == 302 and done.location == "/fr/login"

    db.expire_all()
    stored = db.get(User, worker.id)
    assert stored.reset_digest is None and not stored.must_change_password
    assert services.verify_password(stored, NEW_PASSWORD)
    assert AccountEventKind.PASSWORD_CHANGED in [
        e.kind for e in db.exec(select(AccountEvent).where(AccountEvent.user_id == worker.id))
    ]
    # Used: the link and the page behind it answer 404, saying what to do.
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "Demandez" in again.get_data(as_text=True) or "Ask" in again.get_data(as_text=True)
    assert browser.get("/fr/password-reset/").status_code == 404
    # The new password signs in (with the code, for a youth worker).
    client = app.test_client()
    AuthActions(client).login(worker.email, NEW_PASSWORD)
    assert _signed_in(client)


def test_a_link_opened_twice_sets_the_password_once(app, create_user, db):
    worker = create_user(Role.PREVENTION_WORKER)
    _admin_user, admin_client = _admin(app, create_user)
    _reset(admin_client, worker)
    link = _link(_outbox(app)[0], "fr")
    first, second = app.test_client(), app.test_client()
    first.get(link)
    second.get(link)
    token = extract_csrf_token(second.get("/fr/password-reset/").get_data(as_text=True))
    assert _choose(first, NEW_PASSWORD).status_code == 302
    late = second.post(
        "/fr/password-reset/",
        data={
            "new_password": "another long passphrase",
            "confirm_password": "another long passphrase",
            "csrf_token": token,
        },
    )
    assert late.status_code == 404
    db.expire_all()
    assert services.verify_password(db.get(User, worker.id), NEW_PASSWORD)


def test_an_expired_or_unknown_link_does_nothing(app, create_user, db):
    worker = create_user(Role.PREVENTION_WORKER)
    _admin_user, admin_client = _admin(app, create_user)
    _reset(admin_client, worker)
    link = _link(_outbox(app)[0], "en")
    db.expire_all()
    stored = db.get(User, worker.id)
    stored.reset_expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.commit()
    client = app.test_client()
    response = client.get(link)
    assert response.status_code == 404
    assert "Ask an administrator to send you a new one" in response.get_data(as_text=True)
    assert client.get("/en/password-reset/not-a-token").status_code == 404
    assert client.get("/en/password-reset/").status_code == 404


def test_a_deactivated_account_cannot_use_its_link(app, create_user, db):
    worker = create_user(Role.PREVENTION_WORKER)
    _admin_user, admin_client = _admin(app, create_user)
    _reset(admin_client, worker)
    link = _link(_outbox(app)[0], "fr")
    db.expire_all()
    services.deactivate_user(db, user=db.get(User, worker.id))
    db.commit()
    assert app.test_client().get(link).status_code == 404


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_reset_that_cannot_be_mailed_changes_nothing(make_app, create_user, db):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port())
    worker = create_user(Role.PREVENTION_WORKER)
    token_before = worker.auth_token
    _admin_user, client = _admin(app, create_user)
    response, pages = _reset(client, worker, lang="en")
    assert response.status_code == 302
    assert "The e-mail could not be sent, so nothing was changed." in pages[1]
    db.expire_all()
    stored = db.get(User, worker.id)
    assert stored.reset_digest is None and stored.auth_token == token_before
    assert services.verify_password(stored, PASSWORD)
    kinds = [e.kind for e in db.exec(select(AccountEvent).where(AccountEvent.user_id == worker.id))]
    assert AccountEventKind.PASSWORD_RESET not in kinds


def test_changing_an_email_tells_the_old_address(app, create_user, db):
    worker = create_user(Role.YOUTH_WORKER, email="wanda@example.org", name="Wanda Worker")
    _admin_user, client = _admin(app, create_user)
    path = f"/en/admin/users/{worker.id}/edit"
    data = {
        "name": worker.name,
        "email": "somebody.else@example.org",
        "role": "youth_worker",
        "partner": "",
        "csrf_token": extract_csrf_token(client.get(path).get_data(as_text=True)),
    }
    assert client.post(path, data=data).status_code == 302
    [message] = _outbox(app)
    assert message["To"] == "wanda@example.org"
    assert "somebody.else@example.org" in message.get_content()
    # Saving again without a change of address sends nothing.
    data["csrf_token"] = extract_csrf_token(client.get(path).get_data(as_text=True))
    client.post(path, data=data)
    assert len(_outbox(app)) == 1


def test_a_second_factor_reset_tells_the_person(app, create_user):
    worker = create_user(Role.YOUTH_WORKER, name="Lost Phone")
    _admin_user, client = _admin(app, create_user)
    path = f"/en/admin/users/{worker.id}/reset-two-factor"
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
    client.post(path, data={"csrf_token": token})
    [message] = _outbox(app)
    assert message["To"] == worker.email
    assert "two-factor" in message.get_content() and "Ada Admin" in message.get_content()


# An administrator who sets the address of someone else's account to one they
# read, then resets its password and second factor, would get the link and
# the account: its youth worker's conversations with students. For 14 days
# after such a change, neither reset can be made (password_reset.py).

ADMIN_MAILBOX = "admin-mailbox@example.org"
RESETS = ("reset-two-factor", "reset-password")


def _confirm(client, path):
    page = client.get(path)
    response = client.post(
        path, data={"csrf_token": extract_csrf_token(page.get_data(as_text=True))}
    )
    return page, response, client.get(response.location)


def _edit(client, user, *, email, lang="fr", role="youth_worker", name=None):
    path = f"/{lang}/admin/users/{user.id}/edit"
    data = {
        "name": name or user.name,
        "email": email,
        "role": role,
        "partner": "",
        "csrf_token": extract_csrf_token(client.get(path).get_data(as_text=True)),
    }
    response = client.post(path, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _reset_links(app):
    return [m for m in _outbox(app) if "/password-reset/" in m.get_content()]


def test_an_admin_cannot_take_over_an_account_through_an_address_they_set(
    app, create_user, db, student
):
    from app.help.models import Conversation

    app.config["RATELIMIT_ENABLED"] = False
    worker = create_user(Role.YOUTH_WORKER, email="wanda@example.org", name="Wanda Worker")
    student.ask("Mon chum veut que je garde de l'argent pour lui. SECRETCONTENT")
    conversation = db.exec(select(Conversation)).one()
    assert conversation.assigned_to_id == worker.id
    before = (worker.password_hash, worker.totp_secret, worker.auth_token)
    admin, client = _admin(app, create_user)

    # The whole path: the address, then both resets, then whatever link
    # reached the admin's mailbox, a sign-in with its password, enrolment.
    _edit(client, worker, email=ADMIN_MAILBOX)
    pages = [_confirm(client, f"/en/admin/users/{worker.id}/{what}") for what in RESETS]
    intruder = app.test_client()
    for message in _reset_links(app):
        if message["To"] == ADMIN_MAILBOX:
            intruder.get(_link(message, "fr"))
            _choose(intruder, NEW_PASSWORD)
    AuthActions(intruder).login(ADMIN_MAILBOX, NEW_PASSWORD)
    inbox = intruder.get(f"/fr/inbox/{conversation.id}/")
    assert "SECRETCONTENT" not in inbox.get_data(as_text=True)
    assert not _signed_in(intruder)

    # Nothing was sent to the new address, nothing changed on the account.
    assert _reset_links(app) == []
    [notice] = _outbox(app)
    # The person hears of the change at their address, and that resets wait.
    assert notice["To"] == "wanda@example.org"
    assert ADMIN_MAILBOX in notice.get_content()
    assert "no administrator can reset" in notice.get_content()
    db.expire_all()
    stored = db.get(User, worker.id)
    assert (stored.password_hash, stored.totp_secret, stored.auth_token) == before
    assert stored.reset_digest is None
    kinds = [e.kind for e in db.exec(select(AccountEvent).where(AccountEvent.user_id == worker.id))]
    assert AccountEventKind.PASSWORD_RESET not in kinds
    assert AccountEventKind.TWO_FACTOR_RESET not in kinds
    # Each reset page said why and until when, and offered no button.
    for page, response, after in pages:
        held = page.get_data(as_text=True)
        assert "e-mail address of this account was changed by an administrator" in held
        assert 'type="submit"' not in held.split("<main", 1)[1].split("</main>", 1)[0]
        assert response.status_code == 302
        assert "cannot be reset before" in after.get_data(as_text=True)
    # The change itself is in the sign-in events, with who made it.
    changed = db.exec(
        select(AccountEvent).where(AccountEvent.kind == AccountEventKind.EMAIL_CHANGED)
    ).one()
    assert (changed.user_id, changed.by_id) == (worker.id, admin.id)
    events = client.get(f"/en/admin/sign-in-events?user={worker.id}").get_data(as_text=True)
    assert "E-mail address changed" in events

    # The worker still signs in, with the new address, and reads the question.
    phone = app.test_client()
    AuthActions(phone).login(ADMIN_MAILBOX)
    page = phone.get(f"/fr/inbox/{conversation.id}/")
    assert page.status_code == 200 and "SECRETCONTENT" in page.get_data(as_text=True)


def test_the_hold_ends_fourteen_days_after_the_change(app, create_user, db):
    worker = create_user(Role.YOUTH_WORKER, email="wanda@example.org")
    _admin_user, client = _admin(app, create_user)
    _edit(client, worker, email="wanda@new-employer.example.org")
    changed = db.exec(
        select(AccountEvent).where(AccountEvent.kind == AccountEventKind.EMAIL_CHANGED)
    ).one()
    changed.at = datetime.now(UTC) - timedelta(days=13, hours=23)
    db.commit()
    _confirm(client, f"/en/admin/users/{worker.id}/reset-password")
    assert _reset_links(app) == []
    changed.at = datetime.now(UTC) - timedelta(days=14, minutes=1)
    db.commit()
    _confirm(client, f"/en/admin/users/{worker.id}/reset-password")
    [message] = _reset_links(app)
    assert message["To"] == "wanda@new-employer.example.org"


def test_an_admin_who_changes_their_own_address_can_still_be_reset(app, create_user, db):
    """The person changing their own address: no hold (they read the new one)."""
    ada, client = _admin(app, create_user)
    _edit(client, ada, email="ada@new-address.example.org", role="admin")
    assert [m["To"] for m in _outbox(app)] == [ada.email]  # the old address is told
    _other, colleague = _admin(app, create_user)
    _confirm(colleague, f"/en/admin/users/{ada.id}/reset-two-factor")
    _confirm(colleague, f"/en/admin/users/{ada.id}/reset-password")
    [link] = _reset_links(app)
    assert link["To"] == "ada@new-address.example.org"
    db.expire_all()
    assert db.get(User, ada.id).totp_secret is None


def test_an_edit_that_keeps_the_address_holds_no_reset(app, create_user, db):
    worker = create_user(Role.YOUTH_WORKER, email="wanda@example.org")
    _admin_user, client = _admin(app, create_user)
    _edit(client, worker, email="wanda@example.org", name="Wanda Renamed")
    _confirm(client, f"/en/admin/users/{worker.id}/reset-two-factor")
    _confirm(client, f"/en/admin/users/{worker.id}/reset-password")
    [link] = _reset_links(app)
    assert link["To"] == "wanda@example.org"
    browser = app.test_client()
    browser.get(_link(link, "fr"))
    assert _choose(browser, NEW_PASSWORD).status_code == 302
    db.expire_all()
    assert services.verify_password(db.get(User, worker.id), NEW_PASSWORD)
