"""Regions hold for every route: a coordinator limited to Laval (13) acts on
nothing of Montérégie (16), and sees nothing of it in a list, count or choice.

Every route of the URL map is in exactly one table:
- WALLED: it names a row in its URL; with another region's row it answers
  404 and changes nothing, while a provincial coordinator's same request
  acts (so the 404 comes from the wall, not from a wrong request);
- REFUSED: a form names a row or a region in its body; another region's is
  refused exactly as one that does not exist, and nothing changes, while a
  provincial coordinator's same request saves;
- HIDDEN: a list, count or choice; nothing of the other region is shown,
  while a provincial coordinator's same page shows it;
- NOT_SCOPED: no row of a region, with the reason.
A route in none of them fails `test_every_route_is_in_one_table`.
"""

import io
from dataclasses import dataclass, field
from datetime import date, time

import openpyxl
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import select

from app.campaigns.models import DistributionRecord
from app.curriculum.models import CurriculumModule
from app.evaluation.models import AnswerCount, EvaluationCode, TeacherFeedback, WaveCount
from app.help import routing
from app.help.models import Escalation
from app.presentations.models import Presentation, PresentationPresenter, SchoolRequest
from app.regions import services as regions
from app.reports import objectives, outcomes, periods, tokens
from app.schools.models import DayOff, ServiceCentre
from app.security import Role
from app.visits import services as visits
from tests.campaigns_factory import write_campaign
from tests.conftest import AuthActions, extract_csrf_token
from tests.help_factory import make_conversation
from tests.visits_factory import deliver

YEAR = "period=school_year&year=2026"
CAMPAIGN = "autumn-days"
MISSING = 999_999  # an id that names nothing
FIGURE = objectives.PARTNER_KEYS[0]


@pytest.fixture
def app(make_app, curriculum_dir, tmp_path):
    write_campaign(curriculum_dir, CAMPAIGN, n=2, start="10-20", end="10-24")
    return make_app(
        CURRICULUM_PATH=str(curriculum_dir),
        CURRICULUM_RELOAD_SECONDS=0,
        PDF_CACHE_DIR=str(tmp_path / "pdfs"),
    )


# The world: the same things in Laval (MIEN) and in Montérégie (AUTRE) -------------


def _region(db, tag, code, start, talk_day, people, makers):
    """A centre, a school (and a second group), a visit with a planned and a
    delivered session, days off of the school and of the centre, a
    presentation there, requests for a presentation and a visit, a
    distribution record, an assigned youth worker; {name: id}."""
    create_centre, create_school, create_group = makers
    centre = create_centre(name=f"CSS {tag}", region_code=code)
    school = create_school(
        name=f"École {tag}",
        centre=centre,
        periods=((8, 15, 9, 30), (9, 40, 10, 55), (11, 5, 12, 20), (13, 20, 14, 35)),
    )
    group, spare = create_group(school, "201", "sec2"), create_group(school, "301", "sec3")
    year_id = group.school_year_id
    visit = visits.create_visit(
        db,
        school=school,
        starts_on=start,
        workers=people["workers"],
        police_officer=people["police"],
    )
    db.commit()
    days = visits.visit_days(db, visit=visit)
    planned, delivered = (
        visits.add_session(
            db, visit=visit, class_group=group, module=people["modules"][n], on_date=days[n],
            first_period=1, presenters=[people["workers"][0]], travel_minutes=30,
        )
        for n in (0, 1)
    )  # fmt: skip
    deliver(db, delivered, attendance=25, module=people["modules"][1])
    day_offs = [
        DayOff(school_year_id=year_id, starts_on=date(2027, 2, day), ends_on=date(2027, 2, day),
               kind=kind, reason=f"{reason} {tag}", **where)
        for day, kind, reason, where in (
            (5, "exception", "Journée", {"school_id": school.id}),
            (12, "pedagogical", "Pédago", {"service_centre_id": centre.id}),
        )
    ]  # fmt: skip
    talk = Presentation(
        audience="parents", organisation=f"Parents {tag}", school_id=school.id,
        on_date=talk_day, starts_at=time(19), ends_at=time(20), place="Gymnase",
    )  # fmt: skip
    asks = [
        SchoolRequest(
            kind=kind, audience="parents" if kind == "presentation" else None,
            organisation=f"Demande {tag}", school_id=school.id, contact_name="Marie",
            contact_email="marie@example.org", preferred_periods="Novembre",
            group_count=None if kind == "presentation" else 2,
        )
        for kind in ("presentation", "visit")
    ]  # fmt: skip
    db.add_all([*day_offs, talk, *asks])
    db.commit()
    for person in (people["police"], people["workers"][0]):
        db.add(PresentationPresenter(presentation_id=talk.id, user_id=person.id))
    routing.assign(db, school_id=school.id, user=people["youth_workers"][0])
    record = DistributionRecord(
        campaign_slug=CAMPAIGN, school_id=school.id, on_date=date(2026, 10, 21), posters=10
    )
    db.add(record)
    _answers(db, visit, group)
    opinion = TeacherFeedback(
        visit_id=visit.id, rating=4, comment=f"Très utile {tag}", received_on=date(2026, 11, 20)
    )
    db.add(opinion)
    db.commit()
    return {
        "feedback": opinion.id, "code": code, "centre": centre.id, "centre_name": centre.name,
        "school": school.id,
        "group": group.id, "spare_group": spare.id, "year": year_id, "visit": visit.id,
        "session": planned.id, "delivered": delivered.id, "day2": days[2].isoformat(),
        "day_off": day_offs[0].id, "centre_day_off": day_offs[1].id, "presentation": talk.id,
        "request": asks[0].id,
        "visit_request": asks[1].id, "record": record.id, "talk_day": talk_day.isoformat(),
        "assigned": people["youth_workers"][0].id,
    }  # fmt: skip


def _answers(db, visit, group):
    """Six students of `group` answered both waves (the results page shows the school)."""
    code = EvaluationCode(
        visit_id=visit.id, class_group_id=group.id, salt="0" * 32, digest=f"{visit.id:064d}"
    )
    db.add(code)
    db.flush()
    for wave, right in (("before", 2), ("after", 6)):
        db.add(WaveCount(code_id=code.id, wave=wave, responses=6))
        for answer, count in (("correct", right), ("wrong", 6 - right)):
            db.add(AnswerCount(code_id=code.id, wave=wave, item="recruiters/s1", answer=answer,
                               module_id=visit.sessions[0].module_id, count=count))  # fmt: skip


@dataclass
class World:
    ids: dict  # placeholders: AUTRE's ids, and MIEN's as my_<name>
    limited: object  # the test client of a coordinator limited to Laval (13)
    provincial: object  # the test client of a coordinator of every region
    api_tokens: dict = field(default_factory=dict)  # {"limited"/"provincial": bearer token}


def _questions(db, mine, other):
    """Open questions: one of Laval's school, two of Montérégie's (one urgent,
    escalated), one naming no school; the counts are 1 for Laval, 4 for all."""
    asked = [(mine, False), (other, False), (other, True), (None, False)]
    rows = [make_conversation(topic="online", school_id=s, urgent=u) for s, u in asked]
    db.add_all(rows)
    db.commit()
    db.add(Escalation(conversation_id=rows[2].id, kind="police"))
    db.commit()


def _signed_in(app, user):
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


@pytest.fixture
def world(app, db, school_year, create_centre, create_school, create_group, create_user):
    people = {
        "workers": [create_user(Role.PREVENTION_WORKER) for _ in range(2)],
        "police": create_user(Role.POLICE_OFFICER),
        "youth_workers": [create_user(Role.YOUTH_WORKER) for _ in range(2)],
        "modules": db.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all(),
    }
    makers = (create_centre, create_school, create_group)
    mine = _region(db, "MIEN", "13", date(2026, 10, 5), date(2026, 11, 10), people, makers)
    other = _region(db, "AUTRE", "16", date(2026, 11, 2), date(2026, 11, 12), people, makers)
    everywhere = DayOff(
        school_year_id=school_year.id, starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 1),
        kind="break", reason="Relâche partout",
    )  # fmt: skip
    db.add(everywhere)
    outcomes.enter_figure(
        db, indicator=FIGURE, period=periods.make("school_year", 2026),
        value=4242, source="Rapport AUTRE", by=None,
    )  # fmt: skip
    _questions(db, mine["school"], other["school"])
    coordinator, everyone = create_user(Role.COORDINATOR), create_user(Role.COORDINATOR)
    regions.set_user_regions(db, user=coordinator, codes=["13"])
    api_tokens = {
        name: tokens.create_token(db, user=user, name="Tableau")[1]
        for name, user in (("limited", coordinator), ("provincial", everyone))
    }
    db.commit()
    ids = {
        **other,
        **{f"my_{key}": value for key, value in mine.items()},
        "everywhere_day_off": everywhere.id,
        "worker": people["workers"][0].id,
        "police": people["police"].id,
        "module": people["modules"][0].id,
        "free_youth_worker": people["youth_workers"][1].id,
    }
    provincial = _signed_in(app, everyone)
    for visit in (mine["visit"], other["visit"]):  # the schools' share links
        token = extract_csrf_token(provincial.get(f"/en/visits/{visit}/").get_data(as_text=True))
        provincial.post(f"/en/visits/{visit}/share", data={"csrf_token": token})
    limited = _signed_in(app, coordinator)
    return World(ids=ids, limited=limited, provincial=provincial, api_tokens=api_tokens)


# The tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A CSV file sent in a form."""

    text: str


@dataclass(frozen=True)
class Call:
    """A request: a GET when `data` is None, else a POST of `data` (with the
    CSRF token). Placeholders name the world's ids: {school} is Montérégie's,
    {my_school} Laval's. `writes`: whether the provincial coordinator's same
    POST changes the database. `marker`: what a HIDDEN page must not show."""

    path: str
    data: dict | None = None
    writes: bool = True
    marker: str = "AUTRE"
    api: bool = False


def GET(path, **options):
    return Call(path, **options)


def POST(path, data=None, **options):
    return Call(path, data or {}, **options)


SCHOOL_VALUES = {"name": "École renommée", "city": "Ville", "bell_schedule": "08:15-09:30"}
PRESENTATION_VALUES = {
    "audience": "parents", "organisation": "Parents modifiés", "on_date": "{talk_day}",
    "starts_at": "19:00", "ends_at": "20:30", "place": "Gymnase",
    "police_ids": ["{police}"], "worker_ids": ["{worker}"],
}  # fmt: skip
NEW_PRESENTATION = {**PRESENTATION_VALUES, "on_date": "2026-11-20"}
SESSION_VALUES = {
    "module_id": "{module}", "on_date": "{day2}", "first_period": "3", "period_count": "1",
    "room": "B-12", "presenters": ["{worker}"],
}  # fmt: skip
DAY_OFF_VALUES = {"starts_on": "2027-04-05", "kind": "exception", "reason": "Tempête"}
SCHOOLS_CSV = "name,service_centre,city,region\nÉcole importée,{centre},Longueuil,{region}\n"

WALLED = {
    "schools.detail": [GET("/en/schools/{school}/")],
    "schools.edit": [
        GET("/en/schools/{school}/edit"),
        POST("/en/schools/{school}/edit", {**SCHOOL_VALUES, "service_centre_id": "{centre}"}),
    ],
    "schools.new_group": [
        GET("/en/schools/{school}/groups/new"),
        POST("/en/schools/{school}/groups/new", {"grade": "sec1", "name": "999"}),
    ],
    "schools.edit_group": [
        GET("/en/schools/{school}/groups/{group}/edit"),
        POST("/en/schools/{school}/groups/{group}/edit", {"grade": "sec2", "name": "202"}),
    ],
    "schools.delete_group": [
        GET("/en/schools/{school}/groups/{spare_group}/delete"),
        POST("/en/schools/{school}/groups/{spare_group}/delete"),
    ],
    "schools.import_groups": [
        GET("/en/schools/{school}/groups/import"),
        POST(
            "/en/schools/{school}/groups/import",
            {"school_year_id": "{year}", "file": Upload("grade,name\nsec1,777\n")},
        ),
    ],
    "help.school_workers": [
        GET("/en/schools/{school}/youth-workers"),
        POST("/en/schools/{school}/youth-workers", {"user_id": "{free_youth_worker}"}),
    ],
    "help.unassign_school_worker": [POST("/en/schools/{school}/youth-workers/{assigned}/remove")],
    "schools.edit_centre": [
        GET("/en/schools/centres/{centre}/edit"),
        POST("/en/schools/centres/{centre}/edit", {"name": "CSS renommé", "region_code": "16"}),
    ],
    "schools.delete_day_off": [
        call(f"/en/schools/years/{{year}}/days-off/{{{day_off}}}/delete")
        for day_off in ("day_off", "centre_day_off", "everywhere_day_off")
        for call in (GET, POST)
    ],
    "visits.detail": [GET("/en/visits/{visit}/")],
    "visits.schedule_pdf": [GET("/en/visits/{visit}/schedule.pdf")],
    "evaluation.session_deck": [GET("/en/visits/{visit}/sessions/{session}/deck.pdf")],
    # Without the fingerprint of a proposal seen, a POST shows the proposal again.
    "visits.plan": [GET("/en/visits/{visit}/plan"), POST("/en/visits/{visit}/plan", writes=False)],
    "visits.new_session": [
        GET("/en/visits/{visit}/sessions/new"),
        POST(
            "/en/visits/{visit}/sessions/new", {**SESSION_VALUES, "class_group_id": "{spare_group}"}
        ),
    ],
    "visits.edit_session": [
        GET("/en/visits/{visit}/sessions/{session}/edit"),
        POST("/en/visits/{visit}/sessions/{session}/edit", SESSION_VALUES),
    ],
    "visits.deliver": [
        GET("/en/visits/{visit}/sessions/{session}/deliver"),
        POST(
            "/en/visits/{visit}/sessions/{session}/deliver",
            {"attendance": "20", "delivered_module_id": "{module}"},
        ),
    ],
    "visits.withdraw_delivery": [
        GET("/en/visits/{visit}/sessions/{delivered}/withdraw"),
        POST("/en/visits/{visit}/sessions/{delivered}/withdraw"),
    ],
    "visits.cancel_session": [
        GET("/en/visits/{visit}/sessions/{session}/cancel"),
        POST("/en/visits/{visit}/sessions/{session}/cancel", {"reason": "Tempête"}),
    ],
    "visits.lock_session": [POST("/en/visits/{visit}/sessions/{session}/lock")],
    "visits.set_status": [POST("/en/visits/{visit}/status/confirmed")],
    "visits.share": [POST("/en/visits/{visit}/share", {"replace": "1"})],
    "visits.revoke_share": [
        GET("/en/visits/{visit}/share/revoke"),
        POST("/en/visits/{visit}/share/revoke"),
    ],
    "visits.new": [GET("/en/visits/new?request={visit_request}")],
    "presentations.detail": [GET("/en/presentations/{presentation}/")],
    "presentations.edit": [
        GET("/en/presentations/{presentation}/edit"),
        POST(
            "/en/presentations/{presentation}/edit",
            {**PRESENTATION_VALUES, "school_id": "{school}", "service_centre_id": "0"},
        ),
    ],
    "presentations.outcome": [
        GET("/en/presentations/{presentation}/outcome"),
        POST("/en/presentations/{presentation}/outcome", {"actual_audience": "30"}),
    ],
    "presentations.cancel": [
        GET("/en/presentations/{presentation}/cancel"),
        POST("/en/presentations/{presentation}/cancel", {"reason": "Annulée"}),
    ],
    "presentations.new": [GET("/en/presentations/new?request={request}")],
    "presentations.request_detail": [GET("/en/requests/{request}/")],
    "presentations.decline_request": [
        POST("/en/requests/{request}/decline", {"message": "Pas cette année."})
    ],
    "distribution.delete_record": [
        GET("/en/campaigns/records/{record}/delete"),
        POST("/en/campaigns/records/{record}/delete"),
    ],
    # Partner figures are the whole partnership's: no limited reader's.
    "reports.figures": [
        GET(f"/en/reports/figures?{YEAR}"),
        POST(
            f"/en/reports/figures?{YEAR}",
            {f"{FIGURE}-value": "4343", f"{FIGURE}-source": "Rapport corrigé"},
        ),
    ],
    "reports.figure_history": [GET(f"/en/reports/figures/{FIGURE}?{YEAR}")],
    "evaluation.decide_feedback": [
        POST("/en/evaluation/feedback/{feedback}/decide", {"status": "approved"})
    ],
}

REFUSED = {
    "visits.new": [
        POST(
            "/en/visits/new",
            {
                "school_id": "{school}",
                "starts_on": "2027-01-11",
                "workers": ["{worker}"],
                "police_officer_id": "0",
            },
        )
    ],
    "presentations.new": [
        POST(
            "/en/presentations/new",
            {**NEW_PRESENTATION, "school_id": "{school}", "service_centre_id": "0"},
        ),
        POST(
            "/en/presentations/new",
            {
                **NEW_PRESENTATION,
                "on_date": "2026-11-27",
                "school_id": "0",
                "service_centre_id": "{centre}",
            },
        ),
    ],
    "distribution.new_record": [
        POST(
            "/en/campaigns/records/new",
            {
                "campaign_slug": CAMPAIGN,
                "school_id": "{school}",
                "on_date": "2026-10-22",
                "posters": "3",
            },
        )
    ],
    "schools.new": [
        POST("/en/schools/new", {**SCHOOL_VALUES, "service_centre_id": "{centre}"}),
        POST(
            "/en/schools/new",
            {**SCHOOL_VALUES, "service_centre_id": "{my_centre}", "region_code": "{code}"},
        ),
    ],
    "schools.edit": [  # moving one's own school to another region
        POST(
            "/en/schools/{my_school}/edit",
            {**SCHOOL_VALUES, "service_centre_id": "{my_centre}", "region_code": "{code}"},
        )
    ],
    "schools.new_centre": [
        POST("/en/schools/centres/new", {"name": "CSS neuf", "region_code": "{code}"})
    ],
    "schools.new_day_off": [
        POST("/en/schools/years/{year}/days-off/new", {**DAY_OFF_VALUES, "scope": scope})
        for scope in ("school-{school}", "centre-{centre}", "all")
    ],
    "schools.import_schools": [
        POST(
            "/en/schools/import", {"file": Upload(SCHOOLS_CSV.format(centre=centre, region=region))}
        )
        for centre, region in (("{centre_name}", ""), ("{my_centre_name}", "{code}"))
    ],
}

HIDDEN = {
    "schools.index": [GET("/en/schools/")],
    "schools.centres": [GET("/en/schools/centres/")],
    "schools.year": [GET("/en/schools/years/{year}/")],
    "schools.new": [GET("/en/schools/new"), GET("/en/schools/new", marker="Montérégie (16)")],
    "schools.edit": [GET("/en/schools/{my_school}/edit", marker="Montérégie (16)")],
    "schools.new_centre": [GET("/en/schools/centres/new", marker="Montérégie (16)")],
    "schools.new_day_off": [GET("/en/schools/years/{year}/days-off/new")],
    "visits.index": [GET("/en/visits/")],
    "visits.new": [GET("/en/visits/new")],
    "presentations.index": [
        GET("/en/presentations/?past=1"),
        GET("/en/presentations/", marker="4 school requests to answer"),
    ],
    "presentations.joint_calendar": [GET("/en/calendar/?month=2026-11")],
    "presentations.new": [GET("/en/presentations/new")],
    "presentations.requests": [GET("/en/requests/")],
    "distribution.records": [GET("/en/campaigns/records/")],
    "distribution.new_record": [GET("/en/campaigns/records/new")],
    "help.inbox_index": [GET("/en/inbox/", marker="<dt>Open</dt><dd>4</dd>")],
    "evaluation.feedback_list": [GET("/en/evaluation/feedback/")],
    "reports.index": [GET(f"/en/reports/?{YEAR}")],
    "reports.coordination": [
        GET("/en/coordination/"),
        GET("/en/coordination/", marker="4 requests are waiting for an answer"),
    ],
    "reports.reach_csv": [GET(f"/en/reports/reach.csv?{YEAR}")],
    "reports.reach_xlsx": [GET(f"/en/reports/reach.xlsx?{YEAR}")],
    "reports.reach_pdf": [GET(f"/en/reports/reach.pdf?{YEAR}")],
    "reports.outcomes": [GET(f"/en/reports/outcomes?{YEAR}", marker="Rapport AUTRE")],
    "reports.outcomes_pdf": [GET(f"/en/reports/outcomes.pdf?{YEAR}", marker="Rapport AUTRE")],
    "reports.outcomes_csv": [GET(f"/en/reports/outcomes.csv?{YEAR}", marker="Rapport AUTRE")],
    "reports.outcomes_xlsx": [GET(f"/en/reports/outcomes.xlsx?{YEAR}", marker="Rapport AUTRE")],
    "reports.evaluation": [GET(f"/en/reports/evaluation?{YEAR}")],
    "api.outcomes": [GET(f"/api/v1/reports/outcomes?{YEAR}", api=True, marker="Rapport AUTRE")],
    "api.reach": [GET(f"/api/v1/reports/reach?{YEAR}", api=True)],
}

NOT_SCOPED = {
    "static": "public files",
    "core.root": "public: the language redirect",
    "core.home": "public home page",
    "core.healthz": "the database's health, no row",
    "accounts.login": "signing in",
    "accounts.login_code": "signing in",
    "accounts.login_set_up_code": "signing in",
    "accounts.logout": "signing out",
    "accounts.password_reset_link": "a one-time link mailed to the account's owner",
    "accounts.new_password": "a one-time link mailed to the account's owner",
    "accounts.account": "the user's own account",
    "accounts.change_password": "the user's own account",
    "admin.users": "admins only, and an admin sees every region",
    "admin.new_user": "admins only, and an admin sees every region",
    "admin.edit_user": "admins only, and an admin sees every region",
    "admin.deactivate_user": "admins only, and an admin sees every region",
    "admin.reactivate_user": "admins only, and an admin sees every region",
    "admin.reset_password": "admins only, and an admin sees every region",
    "admin.reset_two_factor": "admins only, and an admin sees every region",
    "admin.account_events": "admins only, and an admin sees every region",
    "regions.user_regions": "admins only: where it is set who sees which region",
    "help.audit_log": "admins only, and an admin sees every region",
    "curriculum.catalogue": "public modules",
    "curriculum.module": "public modules",
    "curriculum.guide": "public modules",
    "curriculum.notes": "the modules' presenter notes: no region's",
    "curriculum.image": "public modules",
    "curriculum.lesson_pdf": "public modules",
    "curriculum.guide_pdf": "public modules",
    "curriculum.pack_pdf": "public modules",
    "curriculum.deck_pdf": "public modules",
    "campaigns.index": "public campaign materials",
    "campaigns.detail": "public campaign materials",
    "campaigns.card": "public campaign materials",
    "campaigns.poster": "public campaign materials",
    "campaigns.slide": "public campaign materials",
    "help.ask": "students, anonymous",
    "evaluation.enter_code": "students, anonymous: a class's questionnaire",
    "evaluation.questionnaire": "students, anonymous: opened by a class code, no sign-in",
    "help.check": "students, anonymous",
    "help.reply": "students, anonymous",
    "help.conversation": "a youth worker's own conversations (routed to them)",
    "help.worker_reply": "a youth worker's own conversations (routed to them)",
    "help.add_note": "a youth worker's own conversations (routed to them)",
    "help.escalate": "a youth worker's own conversations (routed to them)",
    "help.reassign": "a youth worker's own conversations (routed to them)",
    "help.close": "a youth worker's own conversations (routed to them)",
    "help.mark_urgent": "a youth worker's own conversations (routed to them)",
    "help.duty": "a youth worker's own on-duty flag",
    "visits.agenda": "the user's own sessions, presentations and absences",
    "visits.add_absence": "the user's own absences",
    "visits.delete_absence": "the user's own absences",
    "visits.agenda_feed": "the user's own calendar link",
    "visits.revoke_agenda_feed": "the user's own calendar link",
    "visits.shared_schedule": "opened by a school's share token, no sign-in",
    "visits.shared_schedule_pdf": "opened by a school's share token, no sign-in",
    "visits.ical_feed": "opened by a feed token, no sign-in",
    "evaluation.teacher_feedback": "opened by a school's share token, no sign-in",
    "presentations.ask": "the public request form of the schools",
    "presentations.request_sent": "the public request form of the schools",
    "schools.schools_template": "an empty CSV template",
    "schools.groups_template": "an empty CSV template",
    "schools.years": "school years are the province's calendar: no region",
    "schools.new_year": "school years are the province's calendar: no region",
    "reports.tokens": "the user's own API tokens",
    "reports.revoke_token": "the user's own API tokens",
    "api.openapi": "the API's public description",
}


# Sending a call, and what changed ---------------------------------------------------

# The tables the scoped routes write: compared whole before and after a call.
WRITTEN_TABLES = (
    "service_centre", "school", "bell_period", "class_group", "school_year", "day_off",
    "visit", "visit_worker", "class_session", "session_presenter", "share_token", "record_change",
    "presentation", "presentation_presenter", "presentation_module", "school_request",
    "distribution_record", "help_school_worker", "partner_figure", "evaluation_code",
    "evaluation_feedback", "evaluation_feedback_decision", "evaluation_wave",
    "evaluation_answer",
)  # fmt: skip


def _contents(app):
    """{table: its rows}, read on a connection of its own."""
    engine = app.extensions["mobilis_engine"]
    metadata = sa.MetaData()
    metadata.reflect(engine, only=WRITTEN_TABLES)
    with engine.connect() as connection:
        return {
            name: sorted((tuple(row) for row in connection.execute(sa.select(table))), key=repr)
            for name, table in metadata.tables.items()
        }


def _fill(value, ids):
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, Upload):
        return (io.BytesIO(value.text.format(**ids).encode()), "import.csv")
    return value.format(**ids)


def _send(world, who, call, ids=None):
    """Send `call` as `who` ("limited" or "provincial"), with `ids` (the world's by default)."""
    ids = world.ids if ids is None else ids
    client = getattr(world, who)
    path = call.path.format(**ids)
    if call.api:  # with the person's API token, not their sign-in
        bearer = {"Authorization": f"Bearer {world.api_tokens[who]}"}
        return client.application.test_client().get(path, headers=bearer)
    if call.data is None:
        return client.get(path)
    data = {key: _fill(value, ids) for key, value in call.data.items()}
    data["csrf_token"] = extract_csrf_token(client.get("/en/account/").get_data(as_text=True))
    return client.post(path, data=data)


def _text(response):
    """What a person reads in the response: a page, a CSV, JSON, a PDF or a workbook."""
    kind = response.mimetype
    if kind == "application/pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    if "spreadsheet" in kind:
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        return "\n".join(
            str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for cell in row if cell is not None
        )  # fmt: skip
    return response.get_data(as_text=True)


def _missing(ids):
    """The ids with Montérégie's replaced by ones that name nothing."""
    gone = {
        key: MISSING
        for key, value in ids.items()
        if isinstance(value, int) and ids.get(f"my_{key}", value) != value
    }
    return {**ids, **gone, "code": "18", "centre_name": "CSS inexistant"}


def _cases(table):
    return [pytest.param(endpoint, calls, id=endpoint) for endpoint, calls in table.items()]


# The tests --------------------------------------------------------------------------


def test_every_route_is_in_one_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    scoped = set(WALLED) | set(REFUSED) | set(HIDDEN)
    assert not scoped & set(NOT_SCOPED), "a route both scoped and not"
    assert endpoints - scoped - set(NOT_SCOPED) == set(), "routes in no table: add them"
    assert (scoped | set(NOT_SCOPED)) - endpoints == set(), "routes that no longer exist"


@pytest.mark.parametrize(("endpoint", "calls"), _cases(WALLED))
def test_another_regions_row_is_not_found_and_stays_as_it_was(app, world, endpoint, calls):
    for call in calls:
        before = _contents(app)
        response = _send(world, "limited", call)
        assert response.status_code == 404, (call, response.status_code)
        assert _contents(app) == before, call
        # The same request acts for a coordinator of every region.
        control = _send(world, "provincial", call)
        assert control.status_code in (200, 302), (call, control.status_code)
        if call.data is not None and call.writes:
            assert _contents(app) != before, ("the provincial request changed nothing", call)


@pytest.mark.parametrize(("endpoint", "calls"), _cases(REFUSED))
def test_another_regions_choice_is_refused_like_one_that_does_not_exist(
    app, world, endpoint, calls
):
    for call in calls:
        before = _contents(app)
        response = _send(world, "limited", call)
        missing = _send(world, "limited", call, _missing(world.ids))
        assert response.status_code == missing.status_code, (call, response.status_code)
        assert response.status_code in (200, 422), (call, response.status_code)
        assert _contents(app) == before, call
        control = _send(world, "provincial", call)
        assert control.status_code == 302, (call, control.status_code)
        assert _contents(app) != before, ("the provincial request changed nothing", call)


@pytest.mark.parametrize(("endpoint", "calls"), _cases(HIDDEN))
def test_lists_counts_and_choices_show_nothing_of_another_region(app, world, endpoint, calls):
    for call in calls:
        limited = _send(world, "limited", call)
        assert limited.status_code == 200, (call, limited.status_code)
        assert call.marker not in _text(limited), call
        provincial = _send(world, "provincial", call)
        assert call.marker in _text(provincial), ("the marker is shown to nobody", call)


def _fact(page, label):
    """The number after `label` on the inbox's counts."""
    return page.split(f"<dt>{label}</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_counts_are_those_of_the_users_regions(world, db, create_school):
    # A Montérégie school of Laval's centre (a centre may straddle two regions).
    centre = db.get(ServiceCentre, world.ids["my_centre"])
    create_school(name="École AUTRE du centre MIEN", centre=centre, region_code="16")
    expected = {
        "limited": {"Open": "1", "Open and urgent": "0", "Escalations recorded": "0"},
        "provincial": {"Open": "4", "Open and urgent": "1", "Escalations recorded": "1"},
    }
    for who, facts in expected.items():
        client = getattr(world, who)
        inbox = client.get("/en/inbox/").get_data(as_text=True)
        assert {label: _fact(inbox, label) for label in facts} == facts, who
        requests = "2" if who == "limited" else "4"
        listed = client.get("/en/presentations/").get_data(as_text=True)
        assert f"{requests} school requests to answer" in listed, who
        centres = client.get("/en/schools/centres/").get_data(as_text=True)
        schools = "1 school" if who == "limited" else "2 schools"
        assert f"<strong>CSS MIEN</strong> (Laval (13)) — {schools}" in centres, who
    limited = world.limited.get("/en/inbox/").get_data(as_text=True)
    assert "These counts cover only the questions naming a school of: Laval (13)." in limited


@pytest.mark.parametrize(
    "endpoint", ["reports.reach_csv", "reports.reach_xlsx", "reports.reach_pdf"]
)
def test_report_filters_name_nothing_of_another_region(world, endpoint):
    path = endpoint.removeprefix("reports.").replace("_", ".")
    for name in ("school_id={school}", "service_centre_id={centre}"):
        call = GET(f"/en/reports/{path}?{YEAR}&{name}")
        response = _send(world, "limited", call)
        assert response.status_code == 400 or "AUTRE" not in _text(response), call


def test_a_province_wide_presentation_is_changed_only_by_a_user_of_every_region(world, db):
    """A presentation naming no school or centre is every region's to read, but
    a user limited to some regions may not change or cancel it for all."""
    talk = Presentation(
        audience="parents", organisation="Soirée provinciale", on_date=date(2026, 11, 18),
        starts_at=time(19), ends_at=time(20), place="En ligne",
    )  # fmt: skip
    db.add(talk)
    db.commit()
    ids = {**world.ids, "talk": talk.id}
    edit = POST(
        "/en/presentations/{talk}/edit",
        {**PRESENTATION_VALUES, "on_date": "2026-11-18", "school_id": "{my_school}"},
    )
    cancel = POST("/en/presentations/{talk}/cancel", {"reason": "Non."})
    page = _send(world, "limited", GET("/en/presentations/{talk}/"), ids)
    assert page.status_code == 200
    assert "/edit" not in _text(page) and "/cancel" not in _text(page)
    for call in (edit, cancel, GET("/en/presentations/{talk}/edit")):
        assert _send(world, "limited", call, ids).status_code == 404, call
    db.expire_all()
    assert (db.get(Presentation, talk.id).school_id, db.get(Presentation, talk.id).status) == (
        None,
        "planned",
    )
    assert "/edit" in _text(_send(world, "provincial", GET("/en/presentations/{talk}/"), ids))
    assert _send(world, "provincial", cancel, ids).status_code == 302
