"""What happens in the synthetic world (`synthetic_world.py`) besides the
visits (`synthetic_visits.py`): presentations and school requests, questions.

Sizes follow the delivered sessions asked for: one presentation per 500, one
school request per 1,000, one question per 100.
"""

from datetime import date, time, timedelta

from app.devdata.guard import SYNTHETIC_DOMAIN
from app.devdata.synthetic_loader import at
from app.help.models import Conversation, Escalation, Message, MonthlyCount, Topic
from app.presentations.models import Presentation, PresentationPresenter, SchoolRequest

# Audience: (how often, people expected, evening, who, when not a school)
AUDIENCES = {
    "board": (1, 15, True, "Conseil d’administration"),
    "staff": (3, 45, False, None),
    "parents": (4, 50, True, None),
    "students": (2, 120, False, None),
    "partners": (1, 25, False, "Table de concertation jeunesse"),
}


# Presentations and requests ------------------------------------------------------------


def add_outreach(world, *, delivered):
    """Presentations (held, a few cancelled; planned in the year after), each
    by a police officer and a prevention worker; school requests."""
    rng, load = world.rng, world.load
    presentations, presenters = [], []
    kinds = tuple(AUDIENCES)
    for presentation_id in load.ids(Presentation, max(20, delivered // 500)):
        year = rng.choice(world.years)
        school = rng.choice(world.schools)
        centre = school["service_centre_id"]
        day = rng.choice(world.school_days[centre, year["label"]])
        audience = rng.choices(kinds, [AUDIENCES[k][0] for k in kinds])[0]
        _often, expected, evening, who = AUDIENCES[audience]
        starts = time(19) if evening else time(rng.choice((9, 10, 13)))
        status = "planned"
        if year is not world.years[-1]:
            status = rng.choices(("held", "cancelled"), (17, 1))[0]
        at_school = who is None
        presentations.append(
            {
                "id": presentation_id,
                "audience": audience,
                "organisation": school["name"] if at_school else f"{who} — {school['_region']}",
                "school_id": school["id"] if at_school else None,
                "service_centre_id": centre if audience == "board" else None,
                "on_date": day,
                "starts_at": starts,
                "ends_at": time(starts.hour + 1, 30),
                "online": rng.random() < 0.1,
                "place": "Bibliothèque",
                "expected_audience": expected,
                "actual_audience": (
                    round(expected * rng.uniform(0.6, 1.2)) if status == "held" else None
                ),
                "follow_ups": "",
                "notes": "",
                "status": status,
                "cancel_reason": "Reportée" if status == "cancelled" else "",
                "request_id": None,
                "created_by_id": None,
                "created_at": at(day - timedelta(days=40), 15),
                "revision": 0,
                "updated_at": at(day, 22),
            }
        )
        for role in ("police_officer", "prevention_worker"):
            user = rng.choice(world.people[role][centre])
            presenters.append({"presentation_id": presentation_id, "user_id": user})
    load.insert(Presentation, presentations)
    load.insert(PresentationPresenter, presenters)
    load.insert(SchoolRequest, [_request(world, n) for n in range(max(10, delivered // 1000))])


def _request(world, number):
    """A school's request in a past year; most of those of the last one still open."""
    rng = world.rng
    year = rng.choice(world.years[:-1])
    school = rng.choice(world.schools)
    asked = at(rng.choice(world.school_days[school["service_centre_id"], year["label"]]), 14)
    last = year is world.years[-2]
    status = rng.choices(("accepted", "declined", "open"), (6, 1, 9 if last else 1))[0]
    kind = rng.choice(("presentation", "visit"))
    return {
        "kind": kind,
        "audience": rng.choice(("staff", "parents", "students"))
        if kind == "presentation"
        else None,
        "organisation": school["name"],
        "school_id": school["id"],
        "contact_name": "Direction adjointe",
        "contact_email": f"direction-{number}@{SYNTHETIC_DOMAIN}",
        "contact_phone": "",
        "preferred_periods": "Un mardi ou un jeudi.",
        "group_count": rng.randint(4, 12) if kind == "visit" else None,
        "notes": "",
        "lang": rng.choices(("fr", "en"), (9, 1))[0],
        "status": status,
        "decision_message": "",
        "decided_by_id": None if status == "open" else rng.choice(world.coordinators),
        "decided_at": None if status == "open" else asked + timedelta(days=3),
        "visit_id": None,
        "created_at": asked,
    }


# Questions -------------------------------------------------------------------------------


def add_questions(world, *, delivered, vault):
    """Questions asked on school days of the past years: those of the last
    one still in the box (with their messages and escalations), older ones
    as the monthly counts `flask help purge` keeps."""
    rng, load = world.rng, world.load
    asked_body = vault.encrypt("Question synthétique (banc d’essai).")
    reply_body = vault.encrypt("Réponse synthétique (banc d’essai).")
    workers = [user for users in world.people["youth_worker"].values() for user in users]
    topics = [topic.value for topic in Topic]
    live, messages, escalations, kept = [], [], [], {}
    for _ in range(max(60, delivered // 100)):
        year = rng.choice(world.years[:-1])
        school = rng.choice(world.schools) if rng.random() < 0.85 else None
        centre = (school or rng.choice(world.schools))["service_centre_id"]
        asked = at(rng.choice(world.school_days[centre, year["label"]]), rng.randrange(12, 23))
        topic, urgent = rng.choice(topics), rng.random() < 0.08
        hours = rng.choice((1, 2, 3, 5, 8, 14, 20, 26, 40, 70)) if rng.random() < 0.9 else None
        escalated = urgent and rng.random() < 0.3
        school_id = school["id"] if school else None
        if year is not world.years[-2]:
            key = (date(asked.year, asked.month, 1), topic, school_id, urgent)
            questions, answered, escalations_kept = kept.get(key, (0, 0, 0))
            kept[key] = (
                questions + 1,
                answered + (hours is not None),
                escalations_kept + escalated,
            )
            continue
        conversation_id = load.ids(Conversation, 1)[0]
        worker = rng.choice(workers)
        replied = asked + timedelta(hours=hours) if hours is not None else None
        live.append(
            {
                "id": conversation_id,
                "passphrase_digest": f"{rng.getrandbits(256):064x}",  # no passphrase leads here
                "lang": rng.choices(("fr", "en"), (6, 1))[0],
                "topic": topic,
                "school_id": school_id,
                "urgent": urgent,
                "status": "closed" if replied else "open",
                "assigned_to_id": worker,
                "created_at": asked,
                "last_student_at": asked,
                "first_reply_at": replied,
                "first_reply_hours": hours,
                "closed_at": replied + timedelta(days=2) if replied else None,
            }
        )
        messages.append(_message(conversation_id, "student", None, asked_body, asked))
        if replied:
            messages.append(_message(conversation_id, "worker", worker, reply_body, replied))
        if escalated:
            escalations.append(
                {
                    "conversation_id": conversation_id,
                    "kind": "youth_protection",
                    "service": "",
                    "by_id": worker,
                    "at": replied or asked,
                }
            )
    load.insert(Conversation, live)
    load.insert(Message, messages)
    load.insert(Escalation, escalations)
    counts = [
        {
            "month": month,
            "topic": topic,
            "school_id": school_id,
            "urgent": urgent,
            "questions": questions,
            "answered": answered,
            "escalations": escalated,
        }
        for (month, topic, school_id, urgent), (questions, answered, escalated) in kept.items()
    ]
    load.insert(MonthlyCount, counts)


def _message(conversation_id, author, worker, body, at):
    return {
        "conversation_id": conversation_id,
        "author": author,
        "worker_id": worker,
        "body": body,
        "created_at": at,
    }
