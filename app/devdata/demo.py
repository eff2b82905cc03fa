"""Demonstration data: the partners, one account per role, and what each
domain adds. Idempotent: what exists is left as it is."""

import os
from datetime import date, time
from pathlib import Path

from sqlmodel import select

from app.accounts import services as accounts
from app.accounts import two_factor
from app.accounts.models import PartnerKind, User
from app.db import utcnow
from app.schools import calendar
from app.schools import services as schools
from app.schools.models import DayOffKind, School, SchoolYear, ServiceCentre
from app.security import Role

DEMO_DOMAIN = "demo.mobilis.example"

PARTNERS = [
    ("kekpart", "Maison de jeunes Kekpart", PartnerKind.YOUTH_HOUSE),
    ("spal", "Service de police de l'agglomération de Longueuil", PartnerKind.POLICE),
    ("cjm", "Centre jeunesse de la Montérégie", PartnerKind.YOUTH_CENTRE),
]

USERS = [
    ("admin", "Alexandra Admin", Role.ADMIN, "kekpart"),
    ("coordination", "Camille Coordination", Role.COORDINATOR, "kekpart"),
    ("prevention", "Samuel Tremblay", Role.PREVENTION_WORKER, "kekpart"),
    ("police", "Agente Julie Gagnon", Role.POLICE_OFFICER, "spal"),
    ("intervention", "Karim Benali", Role.YOUTH_WORKER, "cjm"),
]


class RealDataPresent(Exception):
    def __init__(self, count):
        super().__init__(count)
        self.count = count


def demo_email(local_part):
    return f"{local_part}@{DEMO_DOMAIN}"


def _real_user_count(session):
    users = session.exec(select(User.email)).all()
    return sum(1 for email in users if not email.endswith("@" + DEMO_DOMAIN))


def seed(session, *, force=False):
    """Load what is missing; return [(email, role, password, two-factor key or
    None)] of new accounts."""
    real = _real_user_count(session)
    if real and not force:
        raise RealDataPresent(real)
    partners = {}
    for code, name, kind in PARTNERS:
        partner = accounts.get_partner_by_code(session, code)
        if partner is None:
            partner = accounts.create_partner(session, code=code, name=name, kind=kind)
        partners[code] = partner
    created = []
    for local_part, name, role, partner_code in USERS:
        email = demo_email(local_part)
        if accounts.get_user_by_email(session, email) is not None:
            continue
        password = accounts.generate_password(email=email, name=name)
        user = accounts.create_user(
            session,
            email=email,
            name=name,
            role=role,
            password=password,
            partner=partners[partner_code],
        )
        # Enrolled already, so that a reviewer signs in with the key in an
        # authenticator app or `oathtool --totp -b KEY` instead of a QR code.
        secret = None
        if two_factor.required_for(user):
            secret = two_factor.new_secret()
            user.totp_secret = secret
            user.totp_enrolled_at = utcnow()
            session.flush()
        created.append((email, role.value, password, secret))
    seed_schools(session)
    seed_visits(session)
    seed_presentations(session)
    seed_partner_figures(session)
    seed_distribution(session)
    passphrase = seed_help(session)
    if passphrase:
        created.append(("(anonymous question)", "student", passphrase, None))
    return created


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
    for name, centre_index, city, bells in DEMO_SCHOOLS:
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
                "contact_name": "Direction adjointe (démo)",
                "contact_email": "",
                "contact_phone": "",
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
            visits.record_delivery(
                session,
                class_session=class_session,
                attendance=22 + (index * 3 + step) % 7,
                delivered_module=module,
            )
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


DEMO_PRESENTATIONS = [
    # audience, organisation, school index or None, day, start, end, place, expected, actual
    (
        "board",
        "Conseil d’administration du Centre de services scolaire Marie-Victorin",
        None,
        date(2026, 9, 22),
        time(19, 0),
        time(20, 0),
        "Centre administratif, Longueuil",
        15,
        14,
    ),
    (
        "parents",
        "Comité de parents de l’École secondaire des Trois-Ruisseaux",
        0,
        date(2026, 10, 29),
        time(18, 30),
        time(20, 0),
        "Bibliothèque de l’école",
        40,
        38,
    ),
    (
        "staff",
        "Personnel de l’École secondaire de la Montagne-Verte",
        2,
        date(2027, 2, 5),
        time(9, 0),
        time(10, 30),
        "Salle du personnel",
        55,
        None,
    ),
]


def seed_presentations(session):
    """Two presentations held with their audience, one to come, and two school
    requests waiting for an answer."""
    from app.presentations import services as presentations
    from app.presentations.models import Presentation, SchoolRequest

    if session.exec(select(Presentation)).first() is not None:
        return
    police = session.exec(select(User).where(User.role == Role.POLICE_OFFICER)).first()
    worker = session.exec(select(User).where(User.role == Role.PREVENTION_WORKER)).first()
    demo_schools = {s.name: s for s in schools.list_all_schools(session)}
    by_index = [demo_schools.get(row[0]) for row in DEMO_SCHOOLS]
    if police is None or worker is None or None in by_index:
        return
    for (
        audience,
        organisation,
        school,
        day,
        start,
        end,
        place,
        expected,
        actual,
    ) in DEMO_PRESENTATIONS:
        presentation = presentations.save_presentation(
            session,
            values={
                "audience": audience,
                "organisation": organisation,
                "school_id": by_index[school].id if school is not None else None,
                "service_centre_id": None,
                "on_date": day,
                "starts_at": start,
                "ends_at": end,
                "online": False,
                "place": place,
                "expected_audience": expected,
                "notes": "",
            },
            presenters=[police, worker],
            travel_minutes=30,
        )
        if actual is not None:
            presentations.record_outcome(
                session,
                presentation=presentation,
                actual_audience=actual,
                follow_ups="Une visite de deux semaines demandée pour l’hiver.",
                today=day,
            )
    session.add_all(
        [
            SchoolRequest(
                kind="presentation",
                audience="parents",
                organisation="École secondaire du Parc-Riverain (démo)",
                school_id=by_index[1].id,
                contact_name="Nadia Lefebvre",
                contact_email=demo_email("direction.parc-riverain"),
                preferred_periods="Un mardi ou un jeudi soir, en janvier ou en février.",
                notes="Rencontre de parents de 2e secondaire, environ 60 personnes.",
            ),
            SchoolRequest(
                kind="visit",
                organisation="École secondaire de la Montagne-Verte (démo)",
                school_id=by_index[2].id,
                contact_name="Olivier Roy",
                contact_email=demo_email("direction.montagne-verte"),
                preferred_periods="Après la relâche de mars.",
                group_count=6,
                lang="fr",
            ),
        ]
    )
    session.flush()


def seed_partner_figures(session):
    """The partners' figures of school year 2025–2026 (two of them corrected,
    so they have a history) and of 2026–2027 so far; sources marked as demo."""
    from app.reports import outcomes, periods
    from app.reports.models import PartnerFigure

    if session.exec(select(PartnerFigure)).first() is not None:
        return
    police = ("Rapport annuel du SPAL 2025-2026 (démo)", "Rapport trimestriel du SPAL (démo)")
    youth_centre = (
        "Bilan annuel du Centre jeunesse de la Montérégie (démo)",
        "Suivi trimestriel du Centre jeunesse de la Montérégie (démo)",
    )
    joint = ("Registre conjoint CJM-SPAL des échanges (démo)",) * 2
    # indicator, sources, 2025–2026 (first entry, its correction or None), 2026–2027 so far
    figures = [
        ("police_staff_assigned", police, (7, None), 7),
        ("youth_centre_staff_assigned", youth_centre, (2, None), 2),
        ("arrests", police, (14, 15), 4),
        ("people_charged", police, (12, None), 3),
        ("guilty_pleas", police, (11, None), 0),
        ("youth_met_by_police", police, (61, None), 17),
        ("youth_referred_by_police", police, (48, None), 12),
        ("information_exchanges", joint, (27, 29), 9),
    ]
    coordinator = session.exec(select(User).where(User.role == Role.COORDINATOR)).first()
    last_year, this_year = periods.make("school_year", 2025), periods.make("school_year", 2026)
    for indicator, (annual, quarterly), (first, corrected), so_far in figures:
        entries = [(last_year, first, annual, "")]
        if corrected is not None:
            note = "Correction : une entrée de juin saisie en retard."
            entries.append((last_year, corrected, annual, note))
        entries.append((this_year, so_far, quarterly, "Cumul au 15 novembre 2026."))
        for period, value, source, note in entries:
            outcomes.enter_figure(
                session,
                indicator=indicator,
                period=period,
                value=value,
                source=source,
                note=note,
                by=coordinator,
            )


# school index, day, posters, flyers, campaign day, students at a kiosk, note
# (each goes to the campaign running that day: the most recently started)
DEMO_DISTRIBUTION = [
    (0, date(2026, 3, 2), 20, 300, True, 85, "Journée de campagne avec le comité étudiant."),
    (1, date(2026, 3, 4), 10, 120, False, 0, ""),
    (0, date(2026, 9, 8), 12, 150, False, 0, "Affiches dans les corridors du 2e étage."),
    (2, date(2026, 10, 21), 8, 0, False, 46, "Kiosque à la cafétéria, à l’heure du dîner."),
    (1, date(2026, 11, 10), 6, 80, True, 0, ""),
]


def _running(campaigns, day):
    """The campaign running on `day` that started last, or None."""
    found = None
    for campaign in campaigns:
        for year in (day.year - 1, day.year):
            first, last = campaign.period_in(year)
            if first <= day <= last and (found is None or first > found[0]):
                found = (first, campaign)
    return found[1] if found else None


def seed_distribution(session):
    """A few distribution records for the demo schools, each under the campaign
    running that day; nothing when no campaign is published."""
    from app.curriculum.campaigns import get_campaigns
    from app.distribution.models import DistributionRecord

    campaigns = get_campaigns().campaigns
    if not campaigns or session.exec(select(DistributionRecord)).first() is not None:
        return
    demo_schools = {s.name: s for s in schools.list_all_schools(session)}
    by_index = [demo_schools.get(row[0]) for row in DEMO_SCHOOLS]
    worker = session.exec(select(User).where(User.role == Role.PREVENTION_WORKER)).first()
    if None in by_index:
        return
    for school, day, posters, flyers, campaign_day, students, note in DEMO_DISTRIBUTION:
        campaign = _running(campaigns, day)
        if campaign is None:
            continue
        session.add(
            DistributionRecord(
                campaign_slug=campaign.slug,
                school_id=by_index[school].id,
                on_date=day,
                posters=posters,
                flyers=flyers,
                campaign_day=campaign_day,
                kiosk_students=students,
                note=note,
                recorded_by_id=worker.id if worker else None,
            )
        )
    session.flush()


def seed_help(session):
    """The youth worker on duty and linked to the first school, and one answered
    question; returns its passphrase (the only time it exists) or None."""
    from flask import current_app

    from app.help import inbox
    from app.help import services as help_services
    from app.help.models import Conversation, SchoolWorker

    if session.exec(select(Conversation)).first() is not None:
        return None
    worker = session.exec(select(User).where(User.role == Role.YOUTH_WORKER)).first()
    school = schools.list_all_schools(session)[:1]
    if worker is None or not school:
        return None
    inbox.set_on_duty(session, user=worker, on=True)
    session.add(SchoolWorker(school_id=school[0].id, user_id=worker.id))
    session.flush()
    vault = current_app.extensions["help_vault"]
    asked = help_services.ask(
        session,
        vault=vault,
        body=(
            "Un gars de 19 ans me donne des cadeaux et veut que je garde de l’argent pour "
            "lui. Mes amies disent que c’est chanceux. Est-ce que c’est normal?"
        ),
        topic="pressure",
        school_id=school[0].id,
        lang="fr",
        today=schools.local_today(),
    )
    inbox.reply(
        session,
        vault=vault,
        user=worker,
        conversation=asked.conversation,
        body=(
            "Merci de nous avoir écrit. Des cadeaux d’un gars plus vieux, puis lui demander "
            "de garder de l’argent : c’est une façon dont certains recruteurs créent une "
            "dette. Ce n’est pas ta faute. On peut en parler ici quand tu veux."
        ),
    )
    return asked.passphrase


def write_sign_ins(instance_path, created):
    """Keep the new demo sign-ins in the instance folder (mode 600) for `make run`."""
    path = Path(instance_path) / "demo-sign-ins.txt"
    if created:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a") as f:
            for line in sign_in_lines(created):
                f.write(line + "\n")
    return path


def sign_in_lines(created):
    """One line per new sign-in, and the two-factor key on the next when there is one."""
    for email, role, password, secret in created:
        yield f"{role:<18} {email:<32} {password}"
        if secret:
            yield f"{'':<18} two-factor key: {secret}  (oathtool --totp -b {secret})"
