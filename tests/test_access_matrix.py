"""Every route of the URL map, for every role and for a visitor.

EXPECTED is written by hand: a new route fails this test until someone decides
who may open it. The test also checks that each view's declared access rule
says the same as this table.
"""

from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import select

from app import pdfbuild
from app.curriculum.models import CurriculumModule
from app.security import STAFF_ROLES, Role
from tests.campaigns_factory import write_campaign
from tests.conftest import extract_csrf_token

PUBLIC = "public"
STAFF = "staff"
ADMIN_ONLY = frozenset({Role.ADMIN})
SCHOOL_EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PREVENTION_WORKER})
VISIT_READERS = SCHOOL_EDITORS | {Role.POLICE_OFFICER}
YOUTH_WORKERS = frozenset({Role.ADMIN, Role.YOUTH_WORKER})
COORDINATORS = frozenset({Role.ADMIN, Role.COORDINATOR})
RECORDERS = COORDINATORS | {Role.PREVENTION_WORKER, Role.YOUTH_WORKER}

EXPECTED = {
    "static": PUBLIC,
    "core.root": PUBLIC,
    "core.home": PUBLIC,
    "core.healthz": PUBLIC,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    # The sign-in's second steps: without a password step just done, they send
    # the visitor back to the sign-in page.
    "accounts.login_code": PUBLIC,
    "accounts.login_set_up_code": PUBLIC,
    # A password reset link's two pages: public, and 404 without a live link.
    "accounts.password_reset_link": PUBLIC,
    "accounts.new_password": PUBLIC,
    "accounts.account": STAFF,
    "accounts.change_password": STAFF,
    "admin.users": ADMIN_ONLY,
    "admin.new_user": ADMIN_ONLY,
    "admin.edit_user": ADMIN_ONLY,
    "admin.deactivate_user": ADMIN_ONLY,
    "admin.reactivate_user": ADMIN_ONLY,
    "admin.reset_password": ADMIN_ONLY,
    "admin.reset_two_factor": ADMIN_ONLY,
    "admin.account_events": ADMIN_ONLY,
    "regions.user_regions": ADMIN_ONLY,
    "curriculum.catalogue": PUBLIC,
    "curriculum.module": PUBLIC,
    "curriculum.guide": PUBLIC,
    "curriculum.notes": frozenset(
        {Role.ADMIN, Role.COORDINATOR, Role.PREVENTION_WORKER, Role.YOUTH_WORKER}
    ),
    "curriculum.image": PUBLIC,
    "curriculum.lesson_pdf": PUBLIC,
    "curriculum.guide_pdf": PUBLIC,
    "curriculum.pack_pdf": PUBLIC,
    "curriculum.deck_pdf": PUBLIC,
    "schools.index": STAFF,
    "schools.detail": STAFF,
    "schools.centres": STAFF,
    "schools.years": STAFF,
    "schools.year": STAFF,
    "schools.schools_template": STAFF,
    "schools.groups_template": STAFF,
    "schools.new": SCHOOL_EDITORS,
    "schools.edit": SCHOOL_EDITORS,
    "schools.new_group": SCHOOL_EDITORS,
    "schools.edit_group": SCHOOL_EDITORS,
    "schools.delete_group": SCHOOL_EDITORS,
    "schools.import_schools": SCHOOL_EDITORS,
    "schools.import_groups": SCHOOL_EDITORS,
    "schools.new_centre": SCHOOL_EDITORS,
    "schools.edit_centre": SCHOOL_EDITORS,
    "schools.new_year": SCHOOL_EDITORS,
    "schools.new_day_off": SCHOOL_EDITORS,
    "schools.delete_day_off": SCHOOL_EDITORS,
    "visits.index": VISIT_READERS,
    "visits.detail": VISIT_READERS,
    "visits.new": SCHOOL_EDITORS,
    "visits.new_session": SCHOOL_EDITORS,
    "visits.deliver": SCHOOL_EDITORS,
    "visits.withdraw_delivery": SCHOOL_EDITORS,
    "visits.cancel_session": SCHOOL_EDITORS,
    "visits.lock_session": SCHOOL_EDITORS,
    "visits.set_status": SCHOOL_EDITORS,
    "visits.plan": SCHOOL_EDITORS,
    "visits.edit_session": SCHOOL_EDITORS,
    "visits.schedule_pdf": VISIT_READERS,
    "visits.share": SCHOOL_EDITORS,
    "visits.revoke_share": SCHOOL_EDITORS,
    "visits.shared_schedule": PUBLIC,
    "visits.shared_schedule_pdf": PUBLIC,
    "visits.ical_feed": PUBLIC,
    "visits.agenda": STAFF,
    "visits.agenda_feed": STAFF,
    "visits.revoke_agenda_feed": STAFF,
    "visits.add_absence": STAFF,
    "visits.delete_absence": STAFF,
    "help.ask": PUBLIC,
    "help.check": PUBLIC,
    "help.reply": PUBLIC,
    "help.inbox_index": frozenset({Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER}),
    "help.conversation": YOUTH_WORKERS,
    "help.worker_reply": YOUTH_WORKERS,
    "help.add_note": YOUTH_WORKERS,
    "help.escalate": YOUTH_WORKERS,
    "help.reassign": YOUTH_WORKERS,
    "help.close": YOUTH_WORKERS,
    "help.mark_urgent": YOUTH_WORKERS,
    "help.duty": YOUTH_WORKERS,
    "help.audit_log": ADMIN_ONLY,
    "help.school_workers": COORDINATORS,
    "reports.index": COORDINATORS,
    "reports.coordination": COORDINATORS,
    "reports.reach_csv": COORDINATORS,
    "reports.reach_xlsx": COORDINATORS,
    "reports.reach_pdf": COORDINATORS,
    "reports.tokens": COORDINATORS,
    "reports.revoke_token": COORDINATORS,
    "reports.figures": COORDINATORS,
    "reports.figure_history": COORDINATORS,
    "reports.outcomes": COORDINATORS,
    "reports.outcomes_pdf": COORDINATORS,
    "reports.outcomes_csv": COORDINATORS,
    "reports.outcomes_xlsx": COORDINATORS,
    "reports.evaluation": COORDINATORS,
    "campaigns.index": PUBLIC,
    "campaigns.detail": PUBLIC,
    "campaigns.poster": PUBLIC,
    "campaigns.card": PUBLIC,
    "campaigns.slide": PUBLIC,
    "distribution.records": RECORDERS,
    "distribution.new_record": RECORDERS,
    "distribution.delete_record": RECORDERS,
    "api.openapi": PUBLIC,
    "api.reach": PUBLIC,  # no session: its own bearer token (see BEARER_ONLY)
    "api.outcomes": PUBLIC,  # likewise
    "presentations.index": STAFF,
    "presentations.joint_calendar": STAFF,
    "presentations.detail": STAFF,
    "presentations.new": COORDINATORS,
    "presentations.edit": COORDINATORS,
    "presentations.cancel": COORDINATORS,
    "presentations.outcome": STAFF,
    "presentations.ask": PUBLIC,
    "presentations.request_sent": PUBLIC,
    "presentations.requests": COORDINATORS,
    "presentations.request_detail": COORDINATORS,
    "presentations.decline_request": COORDINATORS,
    "help.unassign_school_worker": COORDINATORS,
    # The class questionnaire: students, no sign-in (app/evaluation/views.py).
    "evaluation.enter_code": PUBLIC,
    "evaluation.questionnaire": PUBLIC,
    "evaluation.session_deck": VISIT_READERS,
    "evaluation.teacher_feedback": PUBLIC,  # by the school's share token
    "evaluation.feedback_list": COORDINATORS,
    "evaluation.decide_feedback": COORDINATORS,
}

# Routes to something owned by one person: anyone else allowed in gets 404.
OWNED = {
    "accounts.password_reset_link",
    "accounts.new_password",
    "visits.delete_absence",
    "help.conversation",
    "help.worker_reply",
    "help.add_note",
    "help.escalate",
    "help.reassign",
    "help.close",
    "help.mark_urgent",
    "presentations.outcome",
    "reports.revoke_token",
    "distribution.delete_record",
}

# Routes that take no session at all, only an `Authorization: Bearer` token:
# without one, every visitor and every role gets 401.
BEARER_ONLY = {"api.reach", "api.outcomes"}

VISITOR = "visitor"
WHO = [VISITOR, *sorted(Role)]


@pytest.fixture
def sample(app, db, create_school, create_group, school_year, create_user):
    """One of each thing a URL can name, so every route has a real target."""
    from app.schools.models import DayOff, DayOffKind

    school = create_school()
    group = create_group(school)
    day_off = DayOff(
        school_year_id=school_year.id,
        starts_on=school_year.starts_on,
        ends_on=school_year.starts_on,
        kind=DayOffKind.EXCEPTION,
        reason="Test",
        school_id=school.id,
    )
    db.add(day_off)
    db.commit()
    from app.visits.models import ClassSession, Visit

    visit = Visit(school_id=school.id, starts_on=date(2026, 10, 6), ends_on=date(2026, 10, 20))
    db.add(visit)
    db.commit()
    module = db.exec(select(CurriculumModule)).first()
    class_session = ClassSession(
        visit_id=visit.id,
        class_group_id=group.id,
        module_id=module.id,
        on_date=date(2026, 10, 6),
        first_period=1,
    )
    db.add(class_session)
    db.commit()
    from app.scheduling import availability
    from app.visits import sharing

    owner = create_user(Role.PREVENTION_WORKER, email="absent@example.org")
    absence = availability.add_absence(db, user=owner, on_date=date(2026, 10, 7))
    token = sharing.issue_token(db, school=school, lang="fr")
    from app.help import services as help_services
    from app.help.vault import vault

    create_user(Role.YOUTH_WORKER, email="answers@example.org")
    with app.test_request_context():
        asked = help_services.ask(
            db,
            vault=vault(),
            body="Une question",
            topic="other",
            school_id=None,
            lang="fr",
            today=date(2026, 10, 6),
        )
    db.commit()
    from app.presentations import services as presentations
    from app.presentations.models import SchoolRequest

    presentation = presentations.save_presentation(
        db,
        values={
            "audience": "board",
            "organisation": "CSS des Patriotes",
            "on_date": date(2026, 10, 8),
            "starts_at": time(19),
            "ends_at": time(20),
            "place": "Salle du conseil",
        },
        presenters=[
            create_user(Role.POLICE_OFFICER, email="presents@example.org"),
            create_user(Role.PREVENTION_WORKER, email="copresents@example.org"),
        ],
        travel_minutes=30,
    )
    school_request = SchoolRequest(
        kind="presentation",
        audience="staff",
        organisation="École test",
        contact_name="Test",
        contact_email="test@example.org",
        preferred_periods="Mardi",
    )
    db.add(school_request)
    db.commit()
    from app.reports import tokens

    api_token, _secret = tokens.create_token(
        db, user=create_user(Role.COORDINATOR, email="tokens@example.org"), name="Chiffrier"
    )
    db.commit()
    from app.campaigns.models import DistributionRecord

    record = DistributionRecord(
        campaign_slug="recruiters",
        school_id=school.id,
        on_date=date(2026, 10, 7),
        posters=3,
        recorded_by_id=owner.id,
    )
    db.add(record)
    db.commit()
    from app.evaluation import codes
    from app.evaluation.models import TeacherFeedback

    feedback = TeacherFeedback(visit_id=visit.id, rating=4, received_on=date(2026, 10, 7))
    db.add(feedback)
    from app.schools import services as schools

    # A class seen today: its questionnaire is open, and has a form to fuzz.
    today = schools.local_today()
    open_visit = Visit(school_id=school.id, starts_on=today, ends_on=today)
    db.add(open_visit)
    db.flush()
    db.add(ClassSession(visit_id=open_visit.id, class_group_id=group.id, module_id=module.id,
                        on_date=today, first_period=1))  # fmt: skip
    db.flush()
    code_key = app.config["EVALUATION_CODE_KEY"]
    made = codes.codes_of_visit(db, code_key, visit=open_visit)[group.id]
    code = codes.code_of(code_key, made.salt)
    db.commit()
    return {
        "code": code,
        "feedback_id": feedback.id,
        "size": "letter",
        "shape": "square",
        "record_id": record.id,
        "token_id": api_token.id,
        "indicator": "arrests",
        "presentation_id": presentation.id,
        "request_id": school_request.id,
        "conversation_id": asked.conversation.id,
        "token": token.token,
        "absence_id": absence.id,
        "visit_id": visit.id,
        "session_id": class_session.id,
        "status": "confirmed",
        "school_id": school.id,
        "group_id": group.id,
        "centre_id": school.service_centre_id,
        "year_id": school_year.id,
        "day_off_id": day_off.id,
    }


@pytest.fixture(scope="module")
def built_files(tmp_path_factory):
    """One folder of public files for every role's run: the same content gives
    the same files, built by the first run (app/pdfbuild.py)."""
    return tmp_path_factory.mktemp("built")


@pytest.fixture
def app(make_app, curriculum_dir, built_files):
    images = curriculum_dir / "recruiters" / "images"
    images.mkdir()
    (images / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    write_campaign(curriculum_dir, "recruiters")  # a campaign may share a module's slug
    for lang, title in (("fr", "Présentation"), ("en", "Presentation")):
        front = f'title: "{title}"\nversion: "1.0"\nupdated: 2026-11-30'
        (curriculum_dir / "recruiters" / f"deck.{lang}.md").write_text(
            f"---\n{front}\n---\n\n# {title}\n\nTest\n", encoding="utf-8"
        )
    app = make_app(CURRICULUM_PATH=str(curriculum_dir), PDF_CACHE_DIR=str(built_files))
    assert not pdfbuild.build_all(app).failed
    return app


def allowed(access, who):
    if access == PUBLIC:
        return True
    if who == VISITOR:
        return False
    return access == STAFF or who in access


def test_every_route_is_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(EXPECTED)


def test_declared_rules_match_the_table(app):
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        kind, roles = view.access_rule
        expected = EXPECTED[endpoint]
        if expected == PUBLIC:
            assert kind == "public", endpoint
        elif expected == STAFF:
            assert (kind, roles) == ("staff", STAFF_ROLES), endpoint
        else:
            assert kind == "roles" and roles == expected, endpoint


def _sample_url(rule, target_id, sample):
    values = {}
    for argument in rule.arguments:
        values[argument] = {
            "lang": "fr",
            "user_id": target_id,
            "slug": "recruiters",
            "filename": "diagram.svg" if rule.endpoint == "curriculum.image" else "css/site.css",
            **sample,
        }[argument]
    return rule.build(values, append_unknown=False)[1]


def _signed_in_client(app, user):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.auth_token
            session["_fresh"] = True
            session["signed_in_at"] = datetime.now(UTC).timestamp()
    return client


def _csrf_token(client, who):
    page = "/fr/login" if who == VISITOR else "/fr/account/password"
    return extract_csrf_token(client.get(page).get_data(as_text=True))


@pytest.mark.parametrize("who", WHO)
def test_role_route_matrix(app, create_user, sample, who):
    target = create_user(Role.YOUTH_WORKER, email="target@example.org")
    user = None if who == VISITOR else create_user(who)
    client = _signed_in_client(app, user)
    token = _csrf_token(client, who)
    checked = 0
    # Every GET first, then the POSTs, deletions and sign-out last: each would
    # take away what the requests after it need.
    checks = sorted(
        (
            (method == "POST", rule.endpoint == "accounts.logout", "delete" in rule.endpoint),
            rule.endpoint,
            method,
            rule,
        )
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )
    for *_order, method, rule in checks:
        url = _sample_url(rule, target.id, sample)
        access = EXPECTED[rule.endpoint]
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        response.close()
        status = response.status_code
        where = f"{who} {method} {url} -> {status}"
        assert status < 500, where
        if rule.endpoint in BEARER_ONLY:
            assert status == 401, where
        elif allowed(access, who):
            assert status in ({200, 302, 404} if rule.endpoint in OWNED else {200, 302}), where
            if status == 302:
                assert "/login" not in response.location or rule.endpoint.startswith(
                    "accounts.log"
                ), where
        elif who == VISITOR:
            assert status == 302 and "/fr/login" in response.location, where
        else:
            assert status == 403, where
        checked += 1
    assert checked >= len(EXPECTED)
