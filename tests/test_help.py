"""The anonymous box, as behaviour contracts: what a student can do, what stays
secret, who may read what, and what is kept after a purge."""

import logging
import math
import random
import threading
import urllib.request
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sqlmodel import SQLModel, select
from werkzeug.serving import make_server

from app.help import inbox, passphrase, retention, routing, services
from app.help.models import (
    AuditEntry,
    Conversation,
    ConversationStatus,
    Escalation,
    Message,
    Note,
    OnDuty,
    SchoolWorker,
)
from app.security import Role
from app.visits.models import Visit, VisitStatus, VisitWorker
from tests.conftest import AuthActions, extract_csrf_token
from tests.help_factory import PASSPHRASE, deliver_alerts, make_conversation

ADDRESS = "203.0.113.77"


def _vault(app):
    return app.extensions["help_vault"]


def _all_database_text(app):
    """Every value of every table, as one string: what a dump would show."""
    engine = app.extensions["mobilis_engine"]
    values = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(sa.select(table)):
                values.extend(str(v) for v in row)
    return "\n".join(values)


# The student's side ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_student_asks_and_comes_back_with_the_passphrase(student, db, lang):
    response, secret = student.ask("Comment savoir si mon ami est recruté?", lang=lang)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    words = secret.split()
    assert len(words) == 6 and set(words) <= set(passphrase.wordlist(lang))

    # Typing is forgiving: capitals, hyphens and extra spaces do not matter.
    messy = "  " + "-".join(w.upper() for w in words[:3]) + "   " + " ".join(words[3:]) + " "
    opened = student.check(messy, lang=lang)
    assert opened.status_code == 200
    assert "Comment savoir si mon ami est recruté?" in opened.get_data(as_text=True)

    assert student.reply(secret, "Merci, j’attends.", lang=lang).status_code == 200
    conversation = db.exec(select(Conversation)).one()
    assert conversation.lang == lang and conversation.status == ConversationStatus.OPEN
    assert len(db.exec(select(Message)).all()) == 2


def test_accents_do_not_matter_in_a_french_passphrase():
    accented = [w for w in passphrase.wordlist("fr") if w.isascii()][:1]
    assert passphrase.normalise("Élève-ÉCOLE  été") == "eleve ecole ete"
    assert passphrase.normalise(" ".join(accented)) == accented[0]


def test_the_word_lists_are_big_enough_and_never_ambiguous():
    for lang in ("fr", "en"):
        words = passphrase.wordlist(lang)
        assert len(words) >= 2048
        assert len(set(words)) == len(words)
        assert all(passphrase.normalise(w) == w and " " not in w for w in words)
        assert not {passphrase.normalise(w) for w in passphrase.EXCLUDED[lang]} & set(words)
        assert passphrase.WORDS * math.log2(len(words)) >= 64


def test_a_wrong_passphrase_gets_one_generic_message(student):
    _, secret = student.ask("Une question")
    wrong_word = " ".join([*secret.split()[:5], "abeille" if "abeille" not in secret else "abri"])
    messages = set()
    for attempt in (wrong_word, "trois mots seulement", "x" * 150):
        page = student.check(attempt).get_data(as_text=True)
        messages.add(page.split('class="error-message"', 1)[1].split("</p>", 1)[0])
    assert len(messages) == 1


def test_guessing_is_rate_limited(student):
    statuses = [student.check("un deux trois quatre cinq six").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write your message first."),
        ("x" * 20_000, "keep it under 5,000 characters"),
        ("<script>alert('hi')</script>", "looks like computer code"),
        ("Allo <b>toi</b>", "looks like computer code"),
        ("Bad \ufffd bytes", "characters we cannot read"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(student, db, body, message):
    response, secret = student.ask(body, lang="en")
    assert response.status_code == 200 and secret is None
    assert message in response.get_data(as_text=True)
    assert db.exec(select(Conversation)).first() is None


def test_invalid_utf8_is_refused_and_nothing_is_stored(student, db):
    token = student.token("en")
    response = student.client.post(
        "/en/help/",
        data=f"csrf_token={token}&topic=other&school_id=0&body=caf%E9%FF".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "characters we cannot read" in response.get_data(as_text=True)
    assert db.exec(select(Conversation)).first() is None


def test_a_heart_is_not_markup(student, db):
    _, secret = student.ask("Je l’aime <3 mais il me fait peur > parfois")
    assert secret is not None


def test_times_are_rounded_to_the_hour(student, db):
    student.ask("Une question")
    conversation = db.exec(select(Conversation)).one()
    message = db.exec(select(Message)).one()
    for moment in (conversation.created_at, conversation.last_student_at, message.created_at):
        assert (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)


# No trace -------------------------------------------------------------------


def test_the_passphrase_and_the_body_never_reach_the_database_in_clear(app, student):
    body = "Mon secret très personnel numéro 4821"
    _, secret = student.ask(body)
    student.reply(secret, "Deuxième message 7731")
    dump = _all_database_text(app)
    assert "4821" not in dump and "7731" not in dump and "personnel" not in dump
    assert secret not in dump
    assert all(word not in dump.split() for word in secret.split())


def test_no_address_in_the_database_or_the_logs(app, student, caplog):
    caplog.set_level(logging.DEBUG)
    _, secret = student.ask("Une question", REMOTE_ADDR=ADDRESS)
    student.check(secret, REMOTE_ADDR=ADDRESS)
    for _ in range(7):  # into the rate limit, whose refusals are logged
        student.check("un deux trois quatre cinq six", REMOTE_ADDR=ADDRESS)
    assert ADDRESS not in caplog.text
    assert ADDRESS not in _all_database_text(app)
    user_agent = "Mozilla/5.0 (Test-Agent-9981)"
    student.client.get(
        "/fr/help/", headers={"User-Agent": user_agent, "Referer": "https://x.example/r"}
    )
    assert "9981" not in _all_database_text(app) and "x.example" not in _all_database_text(app)


def test_the_development_server_does_not_log_addresses(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/fr/help/"
        with urllib.request.urlopen(url) as response:
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/fr/help/" in line for line in lines)
    assert not any("127.0.0.1" in line for line in lines if "/help" in line)


def test_a_student_gets_no_cookie_but_the_csrf_session(student):
    response = student.client.get("/fr/help/")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1 and cookies[0].startswith("mobilis_session=")


# Urgency ----------------------------------------------------------------------


def test_an_urgent_question_shows_the_numbers_and_alerts_the_on_duty_worker(
    app, student, db, create_user
):
    on_duty = create_user(Role.YOUTH_WORKER, email="garde@example.org")
    create_user(Role.YOUTH_WORKER, email="autre@example.org")
    db.add(OnDuty(user_id=on_duty.id))
    db.commit()
    response, secret = student.ask("Je veux mourir, aidez-moi", lang="fr")
    text = response.get_data(as_text=True)
    assert secret is not None
    assert "911" in text and "9-8-8" in text and "Tel-jeunes" in text
    assert "pas surveillée en direct" in text
    conversation = db.exec(select(Conversation)).one()
    assert conversation.urgent and conversation.assigned_to_id == on_duty.id
    assert conversation.urgent_reason == "suicide"
    assert app.extensions.get("mail_outbox", []) == []  # saved first, sent after
    assert deliver_alerts(app) == (1, 0)
    [mail] = app.extensions["mail_outbox"]
    assert mail["To"] == "garde@example.org"
    assert "mourir" not in mail.as_string() and "urgent" in mail.get_content().lower()


def test_an_ordinary_question_sends_no_alert(app, student, db, create_user):
    db.add(OnDuty(user_id=create_user(Role.YOUTH_WORKER).id))
    db.commit()
    response, _ = student.ask("Qu’est-ce qu’une relation saine?")
    assert "911" not in response.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]
    assert deliver_alerts(app) == (0, 0)
    assert app.extensions.get("mail_outbox", []) == []


# Routing ----------------------------------------------------------------------


def test_routing_prefers_the_school_then_the_duty_pool_then_the_least_busy(
    db, create_user, create_school
):
    today = date(2026, 10, 20)
    school = create_school()
    assigned = create_user(Role.YOUTH_WORKER, email="assigned@example.org")
    team_member = create_user(Role.YOUTH_WORKER, email="team@example.org")
    on_duty = create_user(Role.YOUTH_WORKER, email="duty@example.org")
    other = create_user(Role.YOUTH_WORKER, email="other@example.org")
    db.add(SchoolWorker(school_id=school.id, user_id=assigned.id))
    visit = Visit(school_id=school.id, starts_on=date(2026, 10, 6), ends_on=date(2026, 10, 19))
    db.add(visit)
    db.flush()
    db.add(VisitWorker(visit_id=visit.id, user_id=team_member.id))
    db.add(OnDuty(user_id=on_duty.id))
    db.commit()

    def route(**kwargs):
        return routing.route(db, today=today, **{"school_id": None, "urgent": False, **kwargs})

    assert route(school_id=school.id) == assigned.id  # fewest open, then lowest id
    db.add(_open_conversation(assigned.id))
    db.commit()
    assert route(school_id=school.id) == team_member.id
    assert route(school_id=school.id, urgent=True) == on_duty.id
    assert route() == on_duty.id  # no school: the duty pool
    db.delete(db.get(OnDuty, on_duty.id))
    db.commit()
    assert route() == team_member.id  # nobody on duty: the least busy youth worker
    assert other.id in routing._active_youth_workers(db)


def _routed_by_the_rule(*, workers, school_pool, duty_pool, open_counts, urgent):
    """The routing rule as the module's docstring states it, pool by pool."""
    active = [w.id for w in workers if w.active]
    school = [i for i in active if i in school_pool]
    duty = [i for i in active if i in duty_pool]
    for pool in ([duty, school] if urgent else [school, duty]) + [active]:
        if pool:
            return min(pool, key=lambda i: (open_counts.get(i, 0), i))
    return None


@pytest.mark.parametrize("seed", range(30))
def test_routing_in_one_query_follows_the_rule_pool_by_pool(db, create_user, create_school, seed):
    """Random teams: assigned, on a visit (current, older, future or cancelled),
    on duty, inactive, of another role, with open and closed conversations."""
    rng = random.Random(seed)
    today = date(2026, 10, 20)
    school, other_school = create_school(), create_school()
    workers = [
        create_user(Role.YOUTH_WORKER, email=f"w{n}@example.org", active=rng.random() > 0.2)
        for n in range(rng.randint(0, 6))
    ]
    outsider = create_user(Role.PREVENTION_WORKER, email="prevention@example.org")
    visits = {}
    for starts, status in [
        (date(2026, 9, 1), VisitStatus.DONE),
        (date(2026, 10, 6), rng.choice([VisitStatus.PLANNED, VisitStatus.CANCELLED])),
        (date(2026, 11, 2), VisitStatus.PLANNED),  # not started: not the last visit
    ]:
        visit = Visit(
            school_id=school.id,
            starts_on=starts,
            ends_on=starts + timedelta(days=13),
            status=status,
        )
        db.add(visit)
        db.flush()
        visits[starts] = visit
    last = visits[date(2026, 10, 6)]
    if last.status == VisitStatus.CANCELLED:
        last = visits[date(2026, 9, 1)]
    school_pool, duty_pool, open_counts = set(), set(), {}
    for person in [*workers, outsider]:
        if rng.random() < 0.4:
            db.add(SchoolWorker(school_id=rng.choice([school, other_school]).id, user_id=person.id))
        for visit in visits.values():
            if rng.random() < 0.3:
                db.add(VisitWorker(visit_id=visit.id, user_id=person.id))
        if rng.random() < 0.5:
            db.add(OnDuty(user_id=person.id))
        for _ in range(rng.randint(0, 3)):
            status = rng.choice([ConversationStatus.OPEN, ConversationStatus.CLOSED])
            db.add(_open_conversation(person.id, status=status))
            if status == ConversationStatus.OPEN:
                open_counts[person.id] = open_counts.get(person.id, 0) + 1
    db.commit()
    school_pool = set(
        db.exec(select(SchoolWorker.user_id).where(SchoolWorker.school_id == school.id))
    ) | set(db.exec(select(VisitWorker.user_id).where(VisitWorker.visit_id == last.id)))
    duty_pool = set(db.exec(select(OnDuty.user_id)))
    for school_id, urgent in [(school.id, False), (school.id, True), (None, False), (None, True)]:
        expected = _routed_by_the_rule(
            workers=workers,
            school_pool=school_pool if school_id else set(),
            duty_pool=duty_pool,
            open_counts=open_counts,
            urgent=urgent,
        )
        routed = routing.route(db, school_id=school_id, urgent=urgent, today=today)
        assert routed == expected, (seed, school_id, urgent)


def test_a_school_gone_since_the_form_was_drawn_keeps_the_question(student, db, create_school):
    school = create_school(name="École secondaire du Boisé")
    kept = create_school(name="École secondaire des Patriotes")
    page = student.client.get("/fr/help/").get_data(as_text=True)
    assert "École secondaire du Boisé" in page and "École secondaire des Patriotes" in page
    school_id = school.id
    db.delete(school)
    db.commit()
    response, secret = student.ask("Une question", school_id=school_id)
    assert response.status_code == 200 and secret
    student.ask("Une autre", school_id=kept.id)
    assert [c.school_id for c in db.exec(select(Conversation).order_by(Conversation.id))] == [
        None,
        kept.id,
    ]
    for number in (-3, 2**31, 2**63):  # no school, and too large for the column
        response, secret = student.ask("Sans école", school_id=number)
        assert response.status_code == 200 and secret, number
    saved = db.exec(select(Conversation.school_id).order_by(Conversation.id)).all()
    assert saved == [None, kept.id, None, None, None]
    refused = student.client.post(
        "/fr/help/",
        data={"csrf_token": student.token(), "body": "Trois", "topic": "other", "school_id": "x"},
    )
    assert refused.status_code == 200 and len(db.exec(select(Conversation)).all()) == 5
    assert "École secondaire des Patriotes" in refused.get_data(as_text=True)  # listed again


def test_the_sent_page_is_whole_for_each_student_language_and_urgency(
    app, student, db, create_user
):
    """The page after a question is drawn once with a hole for the passphrase."""
    pages = {}
    for lang, body, urgent in [
        ("fr", "C’est quoi une relation saine?", False),
        ("fr", "je veux mourir ce soir", True),
        ("en", "What is a healthy relationship?", False),
        ("en", "i want to die tonight", True),
        ("fr", "Une autre question", False),
    ]:
        response, secret = student.ask(body, lang=lang)
        html = response.get_data(as_text=True)
        assert html.count(secret) == 1 and f'<html lang="{lang}">' in html
        assert ("tel:911" in html) is urgent, (lang, urgent)
        pages.setdefault((lang, urgent), []).append(html.replace(secret, "…"))
    first, second = pages[("fr", False)]
    assert first == second  # the same page but for the passphrase
    token = student.token()
    queried = student.client.post(
        "/fr/help/?from=poster",
        data={"csrf_token": token, "body": "Avec une adresse", "topic": "other", "school_id": 0},
    ).get_data(as_text=True)
    assert "/en/help/?from=poster" in queried  # the language link keeps the query
    response, _ = student.ask("Sans adresse")
    assert "from=poster" not in response.get_data(as_text=True)  # for this student only
    worker = _signed_in(app, create_user(Role.YOUTH_WORKER))
    token = extract_csrf_token(worker.get("/fr/help/").get_data(as_text=True))
    signed_in = worker.post(
        "/fr/help/", data={"csrf_token": token, "body": "Test", "topic": "other", "school_id": 0}
    ).get_data(as_text=True)
    assert "Se déconnecter" in signed_in and PASSPHRASE.search(signed_in)  # drawn for them


def test_with_no_youth_worker_a_question_waits_unassigned(student, db):
    student.ask("Une question")
    assert db.exec(select(Conversation)).one().assigned_to_id is None


def test_a_coordinator_assigns_a_youth_worker_and_the_schools_questions_follow(
    app, student, db, create_user, create_school
):
    school = create_school()
    create_user(Role.YOUTH_WORKER, email="first@example.org")  # lower id, equally free
    chosen = create_user(Role.YOUTH_WORKER, email="chosen@example.org")
    other_role = create_user(Role.PREVENTION_WORKER, email="prevention@example.org")
    coordinator = _signed_in(app, create_user(Role.COORDINATOR))
    page = f"/fr/schools/{school.id}/youth-workers"
    assert f'href="{page}"' in coordinator.get(f"/fr/schools/{school.id}/").get_data(as_text=True)

    refused = _post(coordinator, page, {"user_id": other_role.id})
    assert "Choisissez une intervenante ou un intervenant actif" in refused.get_data(as_text=True)
    assert db.exec(select(SchoolWorker)).all() == []

    for _twice in range(2):
        assert _post(coordinator, page, {"user_id": chosen.id}).status_code == 302
    assert [(w.school_id, w.user_id) for w in db.exec(select(SchoolWorker))] == [
        (school.id, chosen.id)
    ]
    assert "chosen@example.org" not in coordinator.get(page).get_data(as_text=True)  # names only
    student.ask("Une question", school_id=school.id)
    assert db.exec(select(Conversation)).one().assigned_to_id == chosen.id

    removed = _post(coordinator, f"{page}/{chosen.id}/remove")
    assert removed.status_code == 302
    assert db.exec(select(SchoolWorker)).all() == []
    again = _post(coordinator, f"{page}/{chosen.id}/remove")
    assert "ne figurait pas parmi" in coordinator.get(again.location).get_data(as_text=True)


def _open_conversation(user_id, **values):
    return make_conversation(assigned_to_id=user_id, **values)


# The youth worker's side ---------------------------------------------------------


def _signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def _post(client, path, data=None):
    token = extract_csrf_token(client.get("/fr/account/password").get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


def test_a_youth_worker_answers_and_the_student_reads_it(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    _, secret = student.ask("Mon chum veut que je garde de l’argent pour lui. C’est normal?")
    conversation = db.exec(select(Conversation)).one()
    assert conversation.assigned_to_id == worker.id
    client = _signed_in(app, worker)
    listing = client.get("/fr/inbox/").get_data(as_text=True)
    assert f"/fr/inbox/{conversation.id}/" in listing
    page = client.get(f"/fr/inbox/{conversation.id}/?template=not-your-fault")
    assert "garder de l’argent" in page.get_data(as_text=True) or "argent" in page.get_data(
        as_text=True
    )
    assert "Ce qui t’arrive n’est pas ta faute." in page.get_data(as_text=True)
    reply = "Ce n’est pas normal qu’il te demande ça. On peut en parler."
    assert _post(client, f"/fr/inbox/{conversation.id}/reply", {"body": reply}).status_code == 302
    assert reply in student.check(secret).get_data(as_text=True)
    db.expire_all()
    assert db.get(Conversation, conversation.id).first_reply_at is not None
    actions = [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["preview", "read", "reply"]


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/fr/inbox/{id}/", None),
        ("post", "/fr/inbox/{id}/reply", {"body": "Intrusion"}),
        ("post", "/fr/inbox/{id}/note", {"note-body": "Intrusion"}),
        ("post", "/fr/inbox/{id}/escalate", {"kind": "police"}),
        ("post", "/fr/inbox/{id}/reassign", {"to": "{me}"}),
        ("post", "/fr/inbox/{id}/close", {}),
    ],
)
def test_another_workers_conversation_is_404_and_unchanged(
    app, student, db, create_user, method, path, data
):
    owner = create_user(Role.YOUTH_WORKER, email="owner@example.org")
    student.ask("Une question")
    conversation = db.exec(select(Conversation)).one()
    assert conversation.assigned_to_id == owner.id
    intruder = create_user(Role.YOUTH_WORKER, email="intruder@example.org")
    client = _signed_in(app, intruder)
    url = path.format(id=conversation.id)
    values = {k: v.format(me=intruder.id) for k, v in (data or {}).items()}
    response = client.get(url) if method == "get" else _post(client, url, values)
    assert response.status_code == 404
    db.expire_all()
    after = db.get(Conversation, conversation.id)
    assert (after.assigned_to_id, after.status) == (owner.id, ConversationStatus.OPEN)
    assert len(db.exec(select(Message)).all()) == 1
    assert db.exec(select(Escalation)).first() is None
    assert db.exec(select(AuditEntry)).first() is None


def test_coordinators_see_counts_never_content(app, student, db, create_user):
    create_user(Role.YOUTH_WORKER)
    student.ask("Contenu confidentiel 5521")
    conversation = db.exec(select(Conversation)).one()
    coordinator = _signed_in(app, create_user(Role.COORDINATOR))
    page = coordinator.get("/fr/inbox/").get_data(as_text=True)
    assert "5521" not in page and f"/fr/inbox/{conversation.id}/" not in page
    assert coordinator.get(f"/fr/inbox/{conversation.id}/").status_code == 403
    police = _signed_in(app, create_user(Role.POLICE_OFFICER))
    assert police.get("/fr/inbox/").status_code == 403


def test_a_service_name_with_a_nul_byte_is_refused(app, student, db, create_user):
    """PostgreSQL refuses NUL in text: it was a 500 there, and SQLite kept it."""
    worker = create_user(Role.YOUTH_WORKER)
    student.ask("Une question")
    conversation = db.exec(select(Conversation)).one()
    client = _signed_in(app, worker)
    response = _post(
        client,
        f"/en/inbox/{conversation.id}/escalate",
        {"kind": "other_service", "service": "CALACS\x00"},
    )
    assert response.status_code == 302
    assert db.exec(select(Escalation)).first() is None
    page = client.get(response.location).get_data(as_text=True)
    assert "The service&#39;s name has a character that is not allowed." in page


def test_escalation_close_and_reassign_are_recorded(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER, email="a@example.org")
    colleague = create_user(Role.YOUTH_WORKER, email="b@example.org")
    student.ask("Une question")
    conversation = db.exec(select(Conversation)).one()
    client = _signed_in(app, worker)
    base = f"/fr/inbox/{conversation.id}"
    assert _post(client, f"{base}/escalate", {"kind": "other_service"}).status_code == 302
    assert db.exec(select(Escalation)).first() is None  # which service is required
    _post(client, f"{base}/escalate", {"kind": "youth_protection"})
    escalation = db.exec(select(Escalation)).one()
    assert (escalation.kind, escalation.by_id) == ("youth_protection", worker.id)
    assert _post(client, f"{base}/note", {"note-body": "Suivi jeudi"}).status_code == 302
    [note] = db.exec(select(Note)).all()
    assert _vault(app).decrypt(note.body) == "Suivi jeudi"
    assert "Suivi jeudi" not in _all_database_text(app)
    _post(client, f"{base}/reassign", {"to": colleague.id})
    db.expire_all()
    assert db.get(Conversation, conversation.id).assigned_to_id == colleague.id
    assert client.get(f"{base}/").status_code == 404  # no longer theirs
    other = _signed_in(app, colleague)
    assert other.get(f"{base}/close").status_code == 200  # asks first
    assert db.get(Conversation, conversation.id).status == ConversationStatus.OPEN
    assert _post(other, f"{base}/close").status_code == 302
    db.expire_all()
    assert db.get(Conversation, conversation.id).status == ConversationStatus.CLOSED
    actions = [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert "escalate:youth_protection" in actions and "close" in actions
    admin = _signed_in(app, create_user(Role.ADMIN))
    log = admin.get("/fr/admin/audit").get_data(as_text=True)
    assert "escalate:youth_protection" in log


def test_a_student_cannot_write_in_a_closed_conversation(app, student, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    _, secret = student.ask("Une question")
    conversation = db.exec(select(Conversation)).one()
    inbox.close(db, user=worker, conversation=conversation)
    db.commit()
    response = student.reply(secret, "Encore moi")
    assert "fermée" in response.get_data(as_text=True)
    assert len(db.exec(select(Message)).all()) == 1


# Retention --------------------------------------------------------------------


def test_purge_deletes_old_closed_conversations_and_keeps_the_counts(db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    now = datetime(2027, 3, 1, tzinfo=UTC)
    old = _open_conversation(worker.id, urgent=True)
    old.status, old.closed_at = ConversationStatus.CLOSED, now - timedelta(days=120)
    old.first_reply_at = old.created_at
    recent = _open_conversation(worker.id)
    recent.status, recent.closed_at = ConversationStatus.CLOSED, now - timedelta(days=10)
    still_open = _open_conversation(worker.id)
    db.add_all([old, recent, still_open])
    db.flush()
    db.add(Message(conversation_id=old.id, author="student", body="x", created_at=now))
    db.add(Escalation(conversation_id=old.id, kind="police", by_id=worker.id))
    db.commit()
    before = retention.question_totals(db)
    assert before == {"questions": 3, "answered": 1, "urgent": 1, "escalations": 1}
    assert retention.purge(db, now=now, retention_days=90) == 1
    db.commit()
    assert retention.question_totals(db) == before
    assert {c.id for c in db.exec(select(Conversation))} == {recent.id, still_open.id}
    assert db.exec(select(Message)).first() is None
    assert retention.purge(db, now=now, retention_days=90) == 0


def test_the_purge_command(runner, db, create_user):
    worker = create_user(Role.YOUTH_WORKER)
    old = _open_conversation(worker.id)
    old.status, old.closed_at = ConversationStatus.CLOSED, datetime(2020, 1, 1, tzinfo=UTC)
    db.add(old)
    db.commit()
    result = runner.invoke(args=["help", "purge"])
    assert result.exit_code == 0 and "Purged 1 conversation" in result.output
    assert db.exec(select(Conversation)).first() is None


def test_keys_rotate_without_losing_a_message(make_app, database_url):
    first = Fernet.generate_key().decode()
    app = make_app(HELP_ENCRYPTION_KEYS=first, HELP_PASSPHRASE_KEY="k1")
    with app.test_request_context():
        from app.db import get_session

        session = get_session()
        asked = services.ask(
            session,
            vault=_vault(app),
            body="Avant la rotation",
            topic="other",
            school_id=None,
            lang="fr",
            today=date(2026, 10, 1),
        )
        session.commit()
    second = Fernet.generate_key().decode()
    rotated = make_app(HELP_ENCRYPTION_KEYS=f"{second},{first}", HELP_PASSPHRASE_KEY="k1")
    assert rotated.test_cli_runner().invoke(args=["help", "rekey"]).exit_code == 0
    only_new = make_app(HELP_ENCRYPTION_KEYS=second, HELP_PASSPHRASE_KEY="k1")
    with only_new.test_request_context():
        from app.db import get_session

        session = get_session()
        found = services.find(session, vault=_vault(only_new), passphrase=asked.passphrase)
        texts = [
            m.text for m in services.messages(session, vault=_vault(only_new), conversation=found)
        ]
    assert texts == ["Avant la rotation"]
