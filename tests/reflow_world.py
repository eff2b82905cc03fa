"""A site with something on every page, for the sweeps at phone width.

The demo (`app/devdata/demo.py`: partners, one account per role, schools,
a visit done and one to come, presentations, requests, partner figures,
distribution records, an answered question), then what makes today's pages
full, dated from the day the test runs: a visit this week with sessions
already past and not yet recorded, a presentation this month, more
questions in the youth worker's inbox (one urgent, one with a link pasted
whole), and text as people type it: long names, long addresses, a URL
with no place to break.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlmodel import Session, select

from app.accounts import services as accounts
from app.accounts.models import User
from app.devdata import demo
from app.devdata.demo_schools import DEMO_SCHOOLS
from app.help import inbox
from app.help import services as help_services
from app.presentations import services as presentations
from app.schools import services as schools
from app.schools.models import ClassGroup, School, SchoolYear
from app.security import Role
from app.visits import services as visits
from app.visits.planning import plan_visit
from app.visits.sharing import issue_token

LONG_URL = "https://www.instagram.com/p/Cx8s9dKLmN0pQrStUvWxYz/?igshid=MzRlODBiNWFlZA%3D%3D"
LONG_EMAIL = (
    "direction.adjointe.premier-cycle.secondaire@centredeservicesscolairemarievictorin.gouv.qc.ca"
)
LONG_ORGANISATION = (
    "Comité de parents de l’École secondaire internationale de Saint-Hubert–Greenfield-Park"
)


@dataclass(frozen=True)
class Account:
    email: str
    password: str


@dataclass(frozen=True)
class World:
    accounts: dict  # Role -> Account
    share_path: str  # a school's schedule page, by its share link (French)


def build(app):
    """Fill the application's database; the World says how to get in."""
    engine = app.extensions["mobilis_engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        created = demo.seed(session)
        today = schools.local_today()
        by_role = {
            Role(role): Account(email, password)
            for email, role, password, _secret in created
            if role != "student"
        }
        users = {role: accounts.get_user_by_email(session, a.email) for role, a in by_role.items()}
        _people_write_long_things(session, users)
        _this_week(session, users, today)
        _questions(session, app, users[Role.YOUTH_WORKER], today)
        token = issue_token(session, school=_demo_school(session, 1), lang="fr")
        session.commit()
    return World(accounts=by_role, share_path=f"/fr/s/{token.token}/")


def _demo_school(session, index):
    return session.exec(select(School).where(School.name == DEMO_SCHOOLS[index][0])).one()


def _people_write_long_things(session, users):
    """A contact's e-mail address with no place to break, another account."""
    school = _demo_school(session, 2)
    school.contact_email = LONG_EMAIL
    school.contact_name = "Marie-Ève Desrosiers-Beauchemin, directrice adjointe"
    session.add(
        User(
            email=LONG_EMAIL,
            name="Marie-Ève Desrosiers-Beauchemin",
            role=Role.COORDINATOR,
            password_hash="!",  # never signs in
            partner_id=users[Role.COORDINATOR].partner_id,
        )
    )
    session.flush()


def _school_year(session, today):
    """The school year of `today`, made when the demo's does not cover it."""
    year = session.exec(
        select(SchoolYear).where(SchoolYear.starts_on <= today, SchoolYear.ends_on >= today)
    ).first()
    if year is None:
        first = today.year if today.month >= 7 else today.year - 1
        year = schools.create_school_year(
            session, starts_on=date(first, 8, 25), ends_on=date(first + 1, 6, 22)
        )
    return year


def _this_week(session, users, today):
    """A visit from this week's Monday at the third demo school (its sessions
    before today are to record) and a presentation later this month."""
    school = _demo_school(session, 2)
    year = _school_year(session, today)
    groups = select(ClassGroup).where(
        ClassGroup.school_id == school.id, ClassGroup.school_year_id == year.id
    )
    if session.exec(groups).first() is None:
        for grade, name in (("sec2", "201"), ("sec3", "301")):
            schools.save_class_group(
                session,
                school=school,
                school_year=year,
                grade=grade,
                name=name,
                teacher_name="",
                size=28,
            )
    monday = today - timedelta(days=today.weekday())
    visit = visits.create_visit(
        session,
        school=school,
        starts_on=max(monday, year.starts_on),
        workers=[users[Role.PREVENTION_WORKER]],
        police_officer=users[Role.POLICE_OFFICER],
    )
    plan_visit(session, visit=visit, travel_minutes=30)
    day = min(today + timedelta(days=6), year.ends_on)
    presentations.save_presentation(
        session,
        values={
            "audience": "parents",
            "organisation": LONG_ORGANISATION,
            "school_id": school.id,
            "service_centre_id": None,
            "on_date": day,
            "starts_at": time(18, 30),
            "ends_at": time(20, 0),
            "online": False,
            "place": "Agora, entrée par la rue Grande-Allée",
            "expected_audience": 60,
            "notes": f"Affiche de l’événement : {LONG_URL}",
        },
        presenters=[users[Role.POLICE_OFFICER], users[Role.PREVENTION_WORKER]],
        travel_minutes=30,
    )


QUESTIONS = [
    (
        "online",
        "Quelqu’un que je connais pas m’écrit sur insta depuis 2 semaines, il dit qu’il "
        f"peut me faire gagner de l’argent facile. Il m’a envoyé ça : {LONG_URL} "
        "c’est tu normal?",
    ),
    (
        "gangs",
        "Mon cousin veut que je garde un sac chez nous pour ses amis. Il dit que c’est "
        "juste pour une fin de semaine. J’ai peur de dire non.",
    ),
    (
        "friend",
        "Mon amie a un chum de 22 ans qui la fait travailler dans des partys. Elle veut "
        "plus aller à l’école. Je sais pas quoi faire, j’ai peur pour elle, elle dit qu’elle "
        "va se tuer si j’en parle.",
    ),
]


def _questions(session, app, worker, today):
    """Three more questions routed to the youth worker (the last one urgent)."""
    vault = app.extensions["help_vault"]
    school = _demo_school(session, 0)
    for topic, body in QUESTIONS:
        help_services.ask(
            session,
            vault=vault,
            body=body,
            topic=topic,
            school_id=school.id,
            lang="fr",
            today=today,
        )
    inbox.set_on_duty(session, user=worker, on=True)
