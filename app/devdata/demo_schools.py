"""The demo's schools (`demo.py`): two service centres of Montérégie, three
schools with their bell schedules and class groups, the 2026-2027 school year
with its days off, and two visits, one done and one to come."""

from dataclasses import replace
from datetime import date, timedelta

from sqlmodel import select

from app.accounts.models import User
from app.devdata.guard import demo_email
from app.schools import calendar
from app.schools import services as schools
from app.schools.models import DayOffKind, School, SchoolYear, ServiceCentre
from app.security import Role

DEMO_CENTRES = [
    # name, region code (app/data/regions.yaml): both in Montérégie (16)
    ("Centre de services scolaire Marie-Victorin", "16"),
    ("Centre de services scolaire des Patriotes", "16"),
]
DEMO_SCHOOLS = [
    # name, centre index, city, bell schedule
    (
        "École secondaire des Trois-Ruisseaux (démo)",
        0,
        "Longueuil",
        "08:10-09:25 09:35-10:50 11:00-12:15 13:15-14:30 14:40-15:55",
    ),
    (
        "École secondaire du Parc-Riverain (démo)",
        0,
        "Longueuil",
        "08:20-09:35 09:45-11:00 11:10-12:25 13:25-14:40",
    ),
    (
        "École secondaire de la Montagne-Verte (démo)",
        1,
        "Saint-Bruno-de-Montarville",
        "08:00-09:15 09:25-10:40 10:50-12:05 13:05-14:20 14:30-15:45",
    ),
]
DEMO_BREAKS = [
    # starts, ends, kind, reason (for each demo centre)
    (date(2026, 12, 21), date(2027, 1, 5), DayOffKind.BREAK, "Vacances des fêtes"),
    (date(2027, 3, 1), date(2027, 3, 5), DayOffKind.BREAK, "Semaine de relâche"),
    (date(2026, 11, 13), date(2026, 11, 13), DayOffKind.PEDAGOGICAL, "Journée pédagogique"),
    (date(2027, 2, 5), date(2027, 2, 5), DayOffKind.PEDAGOGICAL, "Journée pédagogique"),
]
DEMO_CONTACTS = [
    # each demo school's contact person: name, e-mail's local part, phone (555: fictional)
    ("Julie Gagnon", "direction.trois-ruisseaux", "450 555-0117"),
    ("Nadia Lefebvre", "direction.parc-riverain", "450 555-0142"),
    ("Olivier Roy", "direction.montagne-verte", "450 555-0163"),
]
DEMO_GROUPS = [("sec2", "201"), ("sec2", "202"), ("sec2", "203"), ("sec3", "301"), ("sec3", "302")]


def seed_schools(session):
    """Service centres, schools with bell schedules and class groups, and the
    2026-2027 school year with its days off. Skips what already exists."""
    centres = []
    for name, code in DEMO_CENTRES:
        centre = session.exec(select(ServiceCentre).where(ServiceCentre.name == name)).first()
        centres.append(centre or schools.save_service_centre(session, name=name, region_code=code))
    year = session.exec(select(SchoolYear).where(SchoolYear.label == "2026-2027")).first()
    if year is None:
        year = schools.create_school_year(
            session, starts_on=date(2026, 8, 27), ends_on=date(2027, 6, 22)
        )
        calendar.add_statutory_holidays(session, school_year=year)
        for centre in centres:
            for starts_on, ends_on, kind, reason in DEMO_BREAKS:
                schools.add_day_off(
                    session,
                    school_year=year,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    kind=kind,
                    reason=reason,
                    centre=centre,
                )
    for (name, centre_index, city, bells), contact in zip(DEMO_SCHOOLS, DEMO_CONTACTS, strict=True):
        if session.exec(select(School).where(School.name == name)).first():
            continue
        school = schools.save_school(
            session,
            values={
                "name": name,
                "service_centre_id": centres[centre_index].id,
                "address": "",
                "city": city,
                "region_code": "",  # its centre's
                "contact_name": contact[0],
                "contact_email": demo_email(contact[1]),
                "contact_phone": contact[2],
            },
            bell_schedule=bells,
        )
        for grade, group_name in DEMO_GROUPS:
            schools.save_class_group(
                session,
                school=school,
                school_year=year,
                grade=grade,
                name=group_name,
                teacher_name="",
                size=28,
            )


def seed_visits(session):
    """A past visit with delivered sessions and attendance, and an upcoming one."""
    from app.curriculum.models import CurriculumModule
    from app.visits import records
    from app.visits import services as visits
    from app.visits.models import Visit
    from app.visits.planning import plan_visit
    from app.visits.sharing import issue_token

    if session.exec(select(Visit)).first() is not None:
        return
    modules = session.exec(
        select(CurriculumModule)
        .where(CurriculumModule.active)
        .order_by(CurriculumModule.sort_order)
    ).all()
    workers = session.exec(select(User).where(User.role == Role.PREVENTION_WORKER)).all()
    police = session.exec(select(User).where(User.role == Role.POLICE_OFFICER)).first()
    schools_by_name = {s.name: s for s in schools.list_all_schools(session)}
    past_school = schools_by_name.get(DEMO_SCHOOLS[0][0])
    next_school = schools_by_name.get(DEMO_SCHOOLS[1][0])
    if not (modules and workers and past_school and next_school):
        return  # the curriculum is synced when the app starts; run again then
    past = visits.create_visit(
        session,
        school=past_school,
        starts_on=date(2026, 10, 6),
        workers=workers,
        police_officer=police,
    )
    groups = visits.class_groups_for(session, visit=past)
    days = visits.visit_days(session, visit=past)
    for index, group in enumerate(groups):
        for step, module in enumerate(m for m in modules if group.grade in m.grades.split(",")):
            if step >= 3:
                break
            day = days[min(index % 3 + step * 3, len(days) - 1)]
            class_session = visits.add_session(
                session,
                visit=past,
                class_group=group,
                module=module,
                on_date=day,
                first_period=1 + index // 3 + (index % 3 == 2),
                presenters=workers[:1],
                travel_minutes=30,
            )
            records.record_delivery(
                session,
                class_session=class_session,
                record=records.Record(
                    attendance=22 + (index * 3 + step) % 7, delivered_module_id=module.id
                ),
                by=workers[index % len(workers)],
                today=day,
            )
    _correct_one_record(session, visit=past, by=workers[-1])
    visits.set_visit_status(session, visit=past, status="confirmed")
    visits.set_visit_status(session, visit=past, status="done")
    upcoming = visits.create_visit(
        session,
        school=next_school,
        starts_on=date(2027, 2, 8),
        workers=workers,
        police_officer=police,
    )
    plan_visit(session, visit=upcoming, travel_minutes=30)
    issue_token(session, school=next_school, lang="fr")


def _correct_one_record(session, *, visit, by):
    """A worker typed one student too many; a colleague corrects it the next
    week: the visit's page shows who corrected what, and when."""
    from app.visits import records

    first = min(visit.sessions, key=lambda s: (s.on_date, s.first_period))
    found = records.current_record(first)
    records.correct_delivery(
        session,
        class_session=first,
        record=replace(found, attendance=found.attendance - 1),
        by=by,
        today=first.on_date + timedelta(days=7),
    )
