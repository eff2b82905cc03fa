"""What the demo's partners did beyond visits (`demo.py`): joint
presentations and school requests, the partners' figures, campaign
distribution records, and one answered anonymous question."""

from datetime import date, time

from sqlmodel import select

from app.accounts.models import User
from app.devdata.demo_schools import DEMO_SCHOOLS
from app.devdata.guard import demo_email
from app.schools import services as schools
from app.security import Role

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
    from app.campaigns.loader import get_campaigns
    from app.campaigns.models import DistributionRecord

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
