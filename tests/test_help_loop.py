"""The anonymous question loop in real use: nothing lost when mail fails,
nothing saved twice, conversations in the order they were written, stored
bodies that tell neither time nor length, and the worker's inbox."""

import asyncio
import base64
import re
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from alembic import command
from cryptography.fernet import Fernet
from sqlmodel import Session, select

from app.db import get_session, utcnow
from app.help import alerts, inbox, retention, services
from app.help.models import (
    Alert,
    AlertKind,
    AuditEntry,
    Conversation,
    Message,
    MonthlyCount,
    OnDuty,
)
from app.help.vault import PADDED_BYTES, PREFIX, Vault, new_key
from app.migrations.commands import alembic_config
from app.security import Role
from tests.conftest import AuthActions, extract_csrf_token
from tests.help_factory import PASSPHRASE

URGENT_TEXT = "jveux pu vivre jsuis tanné de toute"
REMIND = timedelta(minutes=30)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An SMTP server's handler: keeps what it receives; can be slow to greet."""

    def __init__(self):
        self.messages = []
        self.greeting_delay = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        if self.greeting_delay:
            await asyncio.sleep(self.greeting_delay)
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_port():
    return _free_port()


@pytest.fixture
def smtp_app(make_app, smtp_port):
    return make_app(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_TIMEOUT=1
    )


def _form(client, path):
    html = client.get(path).get_data(as_text=True)
    token = re.search(r'name="submission" type="hidden" value="([^"]+)"', html)
    return extract_csrf_token(html), token.group(1)


def _ask_data(client, body, lang="fr", **fields):
    """The ask form as a browser sends it: its own CSRF token and one-time token."""
    csrf, submission = _form(client, f"/{lang}/help/")
    return {"csrf_token": csrf, "submission": submission, "body": body, "school_id": 0, **fields}


def _send(app, now):
    with app.app_context():
        return alerts.send_due(get_session(), now=now, remind_after=REMIND)


def _signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def _post(client, path, data):
    token = extract_csrf_token(client.get("/fr/inbox/").get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


# Nothing lost -------------------------------------------------------------------


def test_mail_down_then_slow_then_back_never_changes_what_the_student_sees(
    smtp_app, smtp_port, db, create_user
):
    worker = create_user(Role.YOUTH_WORKER, email="garde@example.org")
    db.add(OnDuty(user_id=worker.id))
    db.commit()
    client = smtp_app.test_client()
    # Down: nothing listens on the port.
    response = client.post("/fr/help/", data=_ask_data(client, URGENT_TEXT, topic="other"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert PASSPHRASE.search(page) and "9-8-8" in page and "1 833 900-1010" in page
    conversation = db.exec(select(Conversation)).one()
    assert conversation.urgent
    now = utcnow()
    assert _send(smtp_app, now) == (0, 1)
    [waiting, _reminder] = db.exec(select(Alert).order_by(Alert.due_at)).all()
    assert waiting.attempts == 1 and waiting.last_error
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        # Slow: the server greets after the client has stopped waiting.
        handler.greeting_delay = 3
        assert _send(smtp_app, now + timedelta(seconds=30)) == (0, 0)  # not due yet
        assert _send(smtp_app, now + timedelta(minutes=1)) == (0, 1)
        db.expire_all()
        assert db.get(Alert, waiting.id).attempts == 2
        # Back.
        handler.greeting_delay = 0
        assert _send(smtp_app, now + timedelta(minutes=2)) == (0, 0)  # waits 2 minutes now
        assert _send(smtp_app, now + timedelta(minutes=3)) == (1, 0)
        assert len(handler.messages) == 1
        assert handler.messages[0].rcpt_tos == ["garde@example.org"]
        assert b"mourir" not in handler.messages[0].content
        assert b"vivre" not in handler.messages[0].content
        assert _send(smtp_app, now + timedelta(minutes=6)) == (0, 0)  # sent once
    finally:
        controller.stop()
    db.expire_all()
    kinds = [a.kind for a in db.exec(select(Alert))]
    assert kinds == [AlertKind.UNOPENED]  # the reminder waits its half hour


def test_a_follow_up_that_becomes_urgent_is_saved_when_mail_is_down(
    smtp_app, db, create_user, student
):
    create_user(Role.YOUTH_WORKER)
    worker_student = type(student)()  # a browser on the smtp app
    worker_student.client = smtp_app.test_client()
    _, secret = worker_student.ask("c quoi la maison de jeunes exactement?")
    assert secret
    response = worker_student.reply(
        secret, "il me laisse pas partir de chez lui pis il a pris mon cell"
    )
    assert response.status_code == 200
    assert "1 833 900-1010" in response.get_data(as_text=True)
    conversation = db.exec(select(Conversation)).one()
    assert conversation.urgent and conversation.urgent_reason
    assert len(db.exec(select(Message)).all()) == 2
    assert _send(smtp_app, utcnow()) == (0, 1)


def test_the_retry_delay_grows_to_half_an_hour():
    delays = [alerts.retry_delay(n) for n in range(1, 9)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays[-1] == timedelta(minutes=30) and delays == sorted(delays)


def test_nobody_opened_it_so_the_pool_and_the_coordinator_hear_again(app, student, db, create_user):
    on_duty = create_user(Role.YOUTH_WORKER, email="garde@example.org")
    create_user(Role.COORDINATOR, email="coord@example.org")
    db.add(OnDuty(user_id=on_duty.id))
    db.commit()
    student.ask("my bf makes me see guys for money", lang="en")
    now = utcnow()
    assert _send(app, now) == (1, 0)
    assert _send(app, now + timedelta(minutes=20)) == (0, 0)
    assert _send(app, now + timedelta(minutes=31)) == (1, 0)
    first, again = app.extensions["mail_outbox"]
    assert first["To"] == "garde@example.org"
    assert again["To"] == "coord@example.org, garde@example.org"
    assert "30 minutes" in again.get_content() and "money" not in again.as_string()


def test_an_opened_question_sends_no_reminder(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    create_user(Role.COORDINATOR)
    student.ask("he'll post my pics if i don't send more", lang="en")
    conversation = db.exec(select(Conversation)).one()
    assert conversation.urgent_reason == "sextortion"
    now = utcnow()
    assert _send(app, now) == (1, 0)
    client = _signed_in(app, worker)
    assert client.get(f"/en/inbox/{conversation.id}/").status_code == 200
    assert _send(app, now + timedelta(minutes=31)) == (0, 0)
    assert len(app.extensions["mail_outbox"]) == 1
    assert db.exec(select(Alert)).all() == []


def test_two_senders_at_once_send_an_alert_once(app, student, db, create_user):
    db.add(OnDuty(user_id=create_user(Role.YOUTH_WORKER).id))
    db.commit()
    student.ask(URGENT_TEXT)
    now = utcnow()
    results = []
    barrier = threading.Barrier(2)

    def sender():
        barrier.wait()
        results.append(_send(app, now))

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[0] for r in results) == [0, 1]
    assert len(app.extensions["mail_outbox"]) == 1


def test_the_runner_in_the_process_sends_after_the_commit(make_app, db, create_user):
    app = make_app(HELP_ALERT_RUNNER="thread", HELP_ALERT_INTERVAL_SECONDS=3600)
    db.add(OnDuty(user_id=create_user(Role.YOUTH_WORKER).id))
    db.commit()
    client = app.test_client()
    response = client.post("/fr/help/", data=_ask_data(client, URGENT_TEXT, topic="other"))
    assert response.status_code == 200
    deadline = time.monotonic() + 20
    while not app.extensions.get("mail_outbox") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(app.extensions.get("mail_outbox", [])) == 1


def test_the_send_alerts_command(app, student, db, create_user):
    db.add(OnDuty(user_id=create_user(Role.YOUTH_WORKER).id))
    db.commit()
    student.ask(URGENT_TEXT)
    quiet = app.test_cli_runner().invoke(args=["help", "send-alerts"])
    assert quiet.exit_code == 0 and quiet.output == ""  # a timer's line would date it
    assert len(app.extensions["mail_outbox"]) == 1
    result = app.test_cli_runner().invoke(args=["help", "send-alerts", "--verbose"])
    assert result.exit_code == 0, result.output
    assert "Sent 0 alert(s); 0 failed; 1 waiting." in result.output
    assert len(app.extensions["mail_outbox"]) == 1


# Nothing twice ------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_same_form_sent_twice_makes_one_question_and_keeps_its_passphrase(app, db, lang):
    client = app.test_client()
    data = _ask_data(client, "une question", lang, topic="other")
    first = PASSPHRASE.search(client.post(f"/{lang}/help/", data=data).get_data(as_text=True))
    again = client.post(f"/{lang}/help/", data=data)  # a reload, a tab restored
    shown = again.get_data(as_text=True)
    assert again.status_code == 200
    assert PASSPHRASE.search(shown).group(1) == first.group(1)
    assert ("rechargée" if lang == "fr" else "loaded again") in shown
    assert len(db.exec(select(Conversation)).all()) == 1
    assert len(db.exec(select(Message)).all()) == 1
    # Another browser sending the same form learns only that it was sent.
    other = app.test_client()
    other_csrf, _ = _form(other, f"/{lang}/help/")
    replay = other.post(f"/{lang}/help/", data={**data, "csrf_token": other_csrf})
    page = replay.get_data(as_text=True)
    assert not PASSPHRASE.search(page)
    assert ("déjà été envoyée" if lang == "fr" else "already sent") in page
    assert len(db.exec(select(Conversation)).all()) == 1


def test_the_passphrase_leaves_the_session_once_it_has_opened_the_conversation(app, db):
    client = app.test_client()
    data = _ask_data(client, "allo")
    secret = PASSPHRASE.search(client.post("/fr/help/", data=data).get_data(as_text=True))
    with client.session_transaction() as session:
        sealed = session["help_sent"]["sealed"]
        assert secret.group(1) not in str(dict(session))  # sealed, not in clear
        assert app.extensions["help_vault"].open_small(sealed) == "0" + secret.group(1)
        assert set(session["help_sent"]) == {"form", "sealed"}  # nothing else in clear
    page = client.get("/fr/help/check").get_data(as_text=True)
    client.post(
        "/fr/help/check",
        data={"csrf_token": extract_csrf_token(page), "passphrase": secret.group(1)},
    )
    with client.session_transaction() as session:
        assert "help_sent" not in session


def test_a_question_without_a_topic_is_saved_as_something_else(app, db):
    client = app.test_client()
    data = _ask_data(client, "aidez moi")  # no topic
    assert PASSPHRASE.search(client.post("/fr/help/", data=data).get_data(as_text=True))
    assert db.exec(select(Conversation)).one().topic == "other"


def test_the_ask_form_speaks_to_the_student_when_it_refuses(app):
    client = app.test_client()
    page = client.post("/fr/help/", data=_ask_data(client, " ")).get_data(as_text=True)
    assert "Corrige les champs" in page and "Veuillez" not in page


def test_a_student_can_write_several_short_messages_in_a_row(student, db):
    _, secret = student.ask("allo")
    for n in range(8):
        assert student.reply(secret, f"message {n}").status_code == 200
    assert len(db.exec(select(Message)).all()) == 9


def test_a_fresh_form_asks_a_new_question(app, db):
    client = app.test_client()
    for body in ("première", "deuxième"):
        data = _ask_data(client, body, topic="other")
        assert PASSPHRASE.search(client.post("/fr/help/", data=data).get_data(as_text=True))
    assert len(db.exec(select(Conversation)).all()) == 2


def test_a_follow_up_sent_twice_is_saved_once(app, student, db):
    _, secret = student.ask("allo")
    html = student.check(secret).get_data(as_text=True)
    submission = re.search(r'name="submission" type="hidden" value="([^"]+)"', html).group(1)
    data = {
        "csrf_token": extract_csrf_token(html),
        "passphrase": secret,
        "submission": submission,
        "body": "pis?",
    }
    assert student.client.post("/fr/help/reply", data=data).status_code == 200
    again = student.client.post("/fr/help/reply", data=data).get_data(as_text=True)
    assert "déjà été envoyé" in again
    assert again.count("pis?") == 1
    assert len(db.exec(select(Message)).all()) == 2


def test_the_same_submission_at_the_same_moment_saves_once(app):
    engine = app.extensions["mobilis_engine"]
    vault = app.extensions["help_vault"]
    barrier = threading.Barrier(2)
    outcomes = []

    def ask():
        with Session(engine) as session:
            barrier.wait()
            try:
                services.ask(
                    session,
                    vault=vault,
                    body="en même temps",
                    topic="other",
                    school_id=None,
                    lang="fr",
                    today=utcnow().date(),
                    submission="same-token-0123456789",
                )
                session.commit()
                outcomes.append("saved")
            except services.AlreadySent:
                session.rollback()
                outcomes.append("already")
            except sa.exc.OperationalError:  # SQLite: the other writer holds the lock
                session.rollback()
                outcomes.append("busy")

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("saved") == 1
    with Session(engine) as session:
        assert len(session.exec(select(Conversation)).all()) == 1


# In the order written -------------------------------------------------------------


def test_a_follow_up_in_the_same_hour_comes_after_the_reply_it_answers(
    app, student, db, create_user
):
    worker = create_user(Role.YOUTH_WORKER)
    _, secret = student.ask("1. ma question")
    conversation = db.exec(select(Conversation)).one()
    client = _signed_in(app, worker)
    _post(client, f"/fr/inbox/{conversation.id}/reply", {"body": "2. la réponse"})
    student.reply(secret, "3. ma réponse à la réponse")
    for page in (
        student.check(secret).get_data(as_text=True),
        client.get(f"/fr/inbox/{conversation.id}/").get_data(as_text=True),
    ):
        positions = [page.index(t) for t in ("1. ma", "2. la", "3. ma")]
        assert positions == sorted(positions)


# Nothing leaked -----------------------------------------------------------------


def test_stored_bodies_have_one_size_and_no_time():
    vault = Vault(new_key(), "k")
    short, long = vault.encrypt("a"), vault.encrypt("é" * 5000)
    assert short.startswith(PREFIX) and len(short) == len(long)
    raw = base64.urlsafe_b64decode(short[len(PREFIX) :])
    assert len(raw) == 12 + PADDED_BYTES + 16  # nonce, padded text, tag: nothing else
    assert vault.encrypt("a") != short  # a random nonce each time
    assert vault.decrypt(long) == "é" * 5000
    with pytest.raises(ValueError):
        Vault(new_key(), "k").decrypt(short)


def test_every_stored_body_has_the_same_length(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    _, secret = student.ask("court")
    student.reply(secret, "beaucoup plus long " * 200)
    conversation = db.exec(select(Conversation)).one()
    _post(_signed_in(app, worker), f"/fr/inbox/{conversation.id}/note", {"note-body": "n"})
    bodies = db.exec(sa.text("SELECT body FROM help_message UNION ALL SELECT body FROM help_note"))
    assert len({len(b) for (b,) in bodies}) == 1


def _old_rows(engine, key):
    fernet = Fernet(key)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO help_conversation (id, passphrase_digest, lang, topic, urgent, "
                "status, created_at, last_student_at) VALUES (1, :d, 'fr', 'other', false, "
                "'open', :t, :t)"
            ),
            {"d": "0" * 64, "t": utcnow()},
        )
        connection.execute(
            sa.text(
                "INSERT INTO help_message (id, conversation_id, author, body, created_at) "
                "VALUES (1, 1, 'student', :b, :t)"
            ),
            {"b": fernet.encrypt(b"Avant 0013").decode(), "t": utcnow()},
        )


def test_the_migration_moves_fernet_bodies_to_padded_gcm(make_app, database_url):
    key = Fernet.generate_key().decode()
    app = make_app(HELP_ENCRYPTION_KEYS=key, HELP_PASSPHRASE_KEY="k")
    engine = sa.create_engine(database_url)
    try:
        command.downgrade(alembic_config(database_url), "0012")
        _old_rows(engine, key)
        with pytest.raises(RuntimeError, match="no key was given"):
            command.upgrade(alembic_config(database_url), "head")
        with engine.connect() as connection:  # nothing changed
            body = connection.execute(sa.text("SELECT body FROM help_message")).scalar()
            assert not body.startswith(PREFIX)
        with app.app_context():
            command.upgrade(alembic_config(), "head")
        with engine.connect() as connection:
            body = connection.execute(sa.text("SELECT body FROM help_message")).scalar()
        assert body.startswith(PREFIX)
        assert app.extensions["help_vault"].decrypt(body) == "Avant 0013"
        with app.app_context():
            command.downgrade(alembic_config(), "0012")
        with engine.connect() as connection:
            body = connection.execute(sa.text("SELECT body FROM help_message")).scalar()
        assert Fernet(key).decrypt(body.encode()).decode() == "Avant 0013"
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM help_message"))
            connection.execute(sa.text("DELETE FROM help_conversation"))
    finally:
        command.upgrade(alembic_config(database_url), "head")
        engine.dispose()


def test_open_conversations_idle_for_the_setting_are_purged_and_counted(
    app, student, db, create_user
):
    student.ask("ancienne")
    student.ask("récente")
    old, recent = db.exec(select(Conversation).order_by(Conversation.id)).all()
    long_ago = utcnow() - timedelta(days=181)
    for row in (old, db.exec(select(Message).where(Message.conversation_id == old.id)).one()):
        row.created_at = long_ago
    old.last_student_at = long_ago
    db.commit()
    count = retention.purge(db, now=utcnow(), retention_days=90, inactive_days=180)
    db.commit()
    assert count == 1
    assert [c.id for c in db.exec(select(Conversation))] == [recent.id]
    assert sum(m.questions for m in db.exec(select(MonthlyCount))) == 1
    assert retention.question_totals(db)["questions"] == 2


# The worker's inbox ---------------------------------------------------------------


def test_the_inbox_shows_reason_new_message_preview_and_last_activity(
    app, student, db, create_user
):
    worker = create_user(Role.YOUTH_WORKER)
    student.ask("what does the law say about threats online?", lang="en")
    student.ask("i dont wanna live anymore", lang="en")
    quiet, urgent = db.exec(select(Conversation).order_by(Conversation.id)).all()
    assert not quiet.urgent and urgent.urgent
    client = _signed_in(app, worker)
    _post(client, f"/en/inbox/{quiet.id}/reply", {"body": "Good question."})
    page = client.get("/en/inbox/").get_data(as_text=True)
    assert page.index(f"/en/inbox/{urgent.id}/") < page.index(f"/en/inbox/{quiet.id}/")
    urgent_card = page.split(f"/en/inbox/{urgent.id}/")[1].split("</li>")[0]
    quiet_card = page.split(f"/en/inbox/{quiet.id}/")[1].split("</li>")[0]
    assert "urgent: suicide or self-harm" in urgent_card
    assert "new message" in urgent_card and "new message" not in quiet_card
    assert "i dont wanna live anymore" in urgent_card
    assert "what does the law say" in quiet_card
    assert "last activity today" in urgent_card
    audited = {(e.conversation_id, e.action) for e in db.exec(select(AuditEntry))}
    assert (urgent.id, "preview") in audited


def test_last_activity_counts_days():
    now = utcnow()
    assert inbox.days_since(now, now) == 0
    afternoon = datetime(2026, 11, 10, 20, tzinfo=UTC)  # 15 h in Quebec
    assert inbox.days_since(afternoon - timedelta(days=3, hours=1), afternoon) == 3
    # Calendar days in Quebec (UTC-5 in November), whatever the hour the suite runs:
    evening = datetime(2026, 11, 10, 4, 30, tzinfo=UTC)  # 23 h 30 on November 9
    assert inbox.days_since(datetime(2026, 11, 9, 6, tzinfo=UTC), evening) == 0  # 1 h, the 9th
    just_after_midnight = datetime(2026, 11, 10, 5, 30, tzinfo=UTC)  # 0 h 30 on the 10th
    assert inbox.days_since(evening, just_after_midnight) == 1
    assert inbox.days_since(evening.replace(tzinfo=None), just_after_midnight) == 1  # naive: UTC
    assert inbox.one_line("a\n\nb  c") == "a b c"
    assert len(inbox.one_line("x" * 500)) == inbox.PREVIEW_CHARACTERS


def test_a_worker_marks_and_unmarks_urgency_and_it_is_audited(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    other = create_user(Role.YOUTH_WORKER)
    student.ask("une question ordinaire sur le programme")
    conversation = db.exec(select(Conversation)).one()
    if conversation.assigned_to_id != worker.id:
        worker, other = other, worker
    client = _signed_in(app, worker)
    path = f"/fr/inbox/{conversation.id}/urgent"
    assert _post(client, path, {"urgent": "1"}).status_code == 302
    db.expire_all()
    marked = db.get(Conversation, conversation.id)
    assert marked.urgent and marked.urgent_reason == "worker"
    assert "marquée par une intervenante" in client.get("/fr/inbox/").get_data(as_text=True)
    assert _post(client, path, {"urgent": "0"}).status_code == 302
    db.expire_all()
    assert not db.get(Conversation, conversation.id).urgent
    actions = [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert "urgent" in actions and "not-urgent" in actions
    assert _post(_signed_in(app, other), path, {"urgent": "1"}).status_code == 404
    db.expire_all()
    assert not db.get(Conversation, conversation.id).urgent


# After the security review ------------------------------------------------------


def test_a_request_that_fails_after_asking_leaves_nothing_half_saved(app):
    engine = app.extensions["mobilis_engine"]
    with Session(engine) as session:
        services.ask(
            session,
            vault=app.extensions["help_vault"],
            body="jveux pu vivre",
            topic="other",
            school_id=None,
            lang="fr",
            today=utcnow().date(),
            submission="a-token-of-this-form-01",
        )
        session.rollback()  # what the request does on any error after this
    with Session(engine) as session:
        for model in (Conversation, Message, Alert):
            assert session.exec(select(model)).all() == []


def test_with_nobody_on_duty_or_assigned_the_coordinators_hear_of_it(app, student, db, create_user):
    create_user(Role.COORDINATOR, email="coord@example.org")
    student.ask(URGENT_TEXT)
    assert db.exec(select(Conversation)).one().assigned_to_id is None
    assert _send(app, utcnow()) == (1, 0)
    assert app.extensions["mail_outbox"][0]["To"] == "coord@example.org"


def test_an_alert_with_nobody_to_send_to_is_kept_and_retried(app, student, db):
    student.ask(URGENT_TEXT)
    assert _send(app, utcnow()) == (0, 1)
    urgent = db.exec(select(Alert).where(Alert.kind == AlertKind.URGENT)).one()
    assert urgent.attempts == 1 and urgent.last_error == "no recipient"


def test_stored_times_of_a_conversation_are_to_the_hour(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    student.ask("une question")
    conversation = db.exec(select(Conversation)).one()
    _post(_signed_in(app, worker), f"/fr/inbox/{conversation.id}/reply", {"body": "réponse"})
    db.expire_all()
    conversation = db.get(Conversation, conversation.id)
    times = [m.created_at for m in db.exec(select(Message))]
    times += [conversation.created_at, conversation.first_reply_at]
    assert all(t.minute == 0 and t.second == 0 and t.microsecond == 0 for t in times)
    urgent_due = [a.due_at for a in db.exec(select(Alert).where(Alert.kind == AlertKind.URGENT))]
    assert all(t.minute == 0 for t in urgent_due)


def test_a_broken_model_file_makes_a_question_urgent_never_lost(
    app, student, db, tmp_path, monkeypatch
):
    from app.help import urgency_model

    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    monkeypatch.setattr(urgency_model, "MODEL_FILE", broken)
    urgency_model.shipped.cache_clear()
    try:
        response, secret = student.ask("c quoi les heures de la maison de jeunes?")
    finally:
        urgency_model.shipped.cache_clear()
    assert response.status_code == 200 and secret
    assert "1 833 900-1010" in response.get_data(as_text=True)
    assert db.exec(select(Conversation)).one().urgent


def test_the_migration_stops_before_any_change_on_a_body_no_key_opens(make_app, database_url):
    key, other = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app = make_app(HELP_ENCRYPTION_KEYS=other, HELP_PASSPHRASE_KEY="k")
    engine = sa.create_engine(database_url)
    try:
        command.downgrade(alembic_config(database_url), "0012")
        _old_rows(engine, key)
        with app.app_context(), pytest.raises(RuntimeError, match="nothing was changed"):
            command.upgrade(alembic_config(), "head")
        assert "help_alert" not in sa.inspect(engine).get_table_names()
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM help_message"))
            connection.execute(sa.text("DELETE FROM help_conversation"))
    finally:
        command.upgrade(alembic_config(database_url), "head")
        engine.dispose()


def test_a_claim_runs_from_the_clock_not_from_the_start_of_a_slow_pass(app, student, db):
    student.ask(URGENT_TEXT)
    urgent = db.exec(select(Alert).where(Alert.kind == AlertKind.URGENT)).one()
    started = urgent.due_at  # a pass that began as it fell due, up to an hour ago
    with Session(app.extensions["mobilis_engine"]) as session:
        assert alerts._claim(session, urgent.id, started)
    with Session(app.extensions["mobilis_engine"]) as session:
        assert not alerts._claim(session, urgent.id, utcnow())  # still held


def test_a_reloaded_urgent_question_shows_the_numbers_again(app, db):
    client = app.test_client()
    data = _ask_data(client, URGENT_TEXT)
    client.post("/fr/help/", data=data)
    again = client.post("/fr/help/", data=data).get_data(as_text=True)
    assert "1 833 900-1010" in again and PASSPHRASE.search(again)
    assert len(db.exec(select(Conversation)).all()) == 1
