"""What happens in the synthetic world (`synthetic_world.py`): visits and
their class sessions, presentations and school requests, questions.

Sizes follow the delivered sessions asked for: one presentation per 500, one
school request per 1,000, one question per 100.
"""

from datetime import UTC, date, datetime, time, timedelta

from app.devdata.synthetic import CHUNK, SYNTHETIC_DOMAIN
from app.help.models import Conversation, Escalation, Message, MonthlyCount, Topic
from app.presentations.models import Presentation, PresentationPresenter, SchoolRequest
from app.visits.models import ClassSession, SessionPresenter, Visit, VisitWorker

VISIT_DAYS = 10
CANCEL_REASONS = ("Absence de l’enseignant", "Sortie éducative", "Tempête : école fermée")
# Audience: (how often, people expected, evening, who, when not a school)
AUDIENCES = {
    "board": (1, 15, True, "Conseil d’administration"),
    "staff": (3, 45, False, None),
    "parents": (4, 50, True, None),
    "students": (2, 120, False, None),
    "partners": (1, 25, False, "Table de concertation jeunesse"),
}


def spread(total, weights):
    """`total` split in proportion to `weights`, in whole numbers adding up to it."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), UTC)


# Visits and sessions ------------------------------------------------------------------


def add_visits(world, *, delivered):
    """`delivered` sessions over the past years (a little more each year), in
    visits about evenly spaced through each school's year; and planned
    visits in April to June of the year after."""
    past = world.years[:-1]
    plan = []
    for year, share in zip(
        past, spread(delivered, [10 + i for i in range(len(past))]), strict=True
    ):
        weights = [school["_groups_per_grade"] for school in world.schools]
        for school, count in zip(world.schools, spread(share, weights), strict=True):
            plan += _school_visits(world, school, year, count, planned=False)
    upcoming = min(len(world.schools), max(1, delivered // 4000))
    for school in world.rng.sample(world.schools, upcoming):
        plan += _school_visits(world, school, world.years[-1], 40, planned=True)
    plan.sort(key=lambda visit: (visit["days"][0], visit["school"]["id"]))
    visits, workers = [], []
    for visit, visit_id in zip(plan, world.load.ids(Visit, len(plan)), strict=True):
        visit["id"] = visit_id
        past_status = world.rng.choices(("done", "confirmed"), (19, 1))[0]
        visits.append(
            {
                "id": visit_id,
                "school_id": visit["school"]["id"],
                "starts_on": visit["days"][0],
                "ends_on": visit["days"][-1],
                "status": "confirmed" if visit["planned"] else past_status,
                "created_by_id": None,
                "created_at": _at(visit["days"][0] - timedelta(days=30), 14),
            }
        )
        team = {user for pair in visit["teams"] for user in pair} | {visit["police"]}
        workers += [{"visit_id": visit_id, "user_id": user} for user in sorted(team)]
    world.load.insert(Visit, visits)
    world.load.insert(VisitWorker, workers)
    sessions, presenters = [], []
    for visit in plan:  # in date order: the date indexes grow at their end
        _add_sessions(world, visit, sessions, presenters)
        if len(sessions) >= CHUNK or visit is plan[-1]:
            world.load.insert(ClassSession, sessions)
            world.load.insert(SessionPresenter, presenters)
            sessions.clear()
            presenters.clear()


def _school_visits(world, school, year, count, *, planned):
    """A school's visits in `year`, together holding `count` sessions: each
    fills 55 % to 90 % of its slots (10 days x periods x teams of two)."""
    rng, centre = world.rng, school["service_centre_id"]
    days = world.school_days[centre, year["label"]]
    if planned:
        days = [day for day in days if day.month in (4, 5, 6)]
    teams = 2 if school["_groups_per_grade"] >= 5 else 1
    slots = VISIT_DAYS * school["_periods"] * teams
    sizes = []
    while count > 0:
        sizes.append(min(count, round(slots * rng.uniform(0.55, 0.9))))
        count -= sizes[-1]
    room = len(days) - VISIT_DAYS
    found = []
    for index, size in enumerate(sizes):
        first = min(room, index * room // len(sizes) + rng.randrange(room // (2 * len(sizes)) + 1))
        workers = rng.sample(world.people["prevention_worker"][centre], 2 * teams)
        found.append(
            {
                "school": school,
                "year": year,
                "days": days[first : first + VISIT_DAYS],
                "sessions": size,
                "planned": planned,
                "teams": [workers[2 * team : 2 * team + 2] for team in range(teams)],
                "police": rng.choice(world.people["police_officer"][centre]),
                "index": index,
            }
        )
    return found


def _add_sessions(world, visit, sessions, presenters):
    """The visit's sessions, one slot (day, period, team) each. Groups of sec2
    and sec3 come first (each visit of the year starting further on), then the
    other grades; the groups take the modules in turn, so the same group is
    never in two slots of one period."""
    rng, modules = world.rng, world.modules
    by_grade = world.groups[visit["school"]["id"], visit["year"]["label"]]
    pool = by_grade["sec2"] + by_grade["sec3"]
    turn = visit["index"] * 3 % len(pool)
    others = by_grade["sec1"] + by_grade["sec4"] + by_grade["sec5"]
    pool = pool[turn:] + pool[:turn] + rng.sample(others, len(others))
    pairs = [
        (group, modules[(step + index) % len(modules)])
        for step in range(len(modules))
        for index, group in enumerate(pool)
    ]
    teams = visit["teams"]
    slots = [
        (day, period, team)
        for day in visit["days"]
        for period in range(1, visit["school"]["_periods"] + 1)
        for team in range(len(teams))
    ]
    size = visit["sessions"]
    cancelled = 0 if visit["planned"] else sum(rng.random() < 0.02 for _ in range(size))
    count = min(len(slots), size + cancelled)
    if visit["planned"]:
        statuses = ["planned"] * count
    else:
        statuses = ["delivered"] * size + ["cancelled"] * (count - size)
        rng.shuffle(statuses)
    chosen = sorted(rng.sample(range(len(slots)), count))
    ids = world.load.ids(ClassSession, count)
    for session_id, slot, (group, module), status in zip(
        ids, chosen, pairs[:count], statuses, strict=True
    ):
        day, period, team = slots[slot]
        row = {
            "id": session_id,
            "visit_id": visit["id"],
            "class_group_id": group,
            "module_id": module,
            "on_date": day,
            "first_period": period,
            "period_count": 1,
            "room": "",
            "status": status,
            "locked": False,
            "cancel_reason": rng.choice(CANCEL_REASONS) if status == "cancelled" else "",
            "attendance": None,
            "attendance_girls": None,
            "attendance_boys": None,
            "attendance_other": None,
            "delivered_module_id": None,
            "notes": "",
            "delivered_at": None,
            "revision": 0,
            "updated_at": _at(visit["days"][0] - timedelta(days=7), 15),
        }
        if status == "delivered":
            present = rng.randint(15, 32)
            girls = rng.randint(present * 2 // 5, present * 3 // 5)
            other = int(rng.random() < 0.1)
            row |= {
                "attendance": present,
                "attendance_girls": girls,
                "attendance_boys": present - girls - other,
                "attendance_other": other,
                "delivered_module_id": module if rng.random() < 0.97 else rng.choice(modules),
                "delivered_at": _at(day, 20, 30),
                "revision": 1,
                "updated_at": _at(day, 20, 30),
            }
        sessions.append(row)
        presenters += [{"session_id": session_id, "user_id": user} for user in teams[team]]


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
                "created_at": _at(day - timedelta(days=40), 15),
                "revision": 0,
                "updated_at": _at(day, 22),
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
    asked = _at(rng.choice(world.school_days[school["service_centre_id"], year["label"]]), 14)
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
        asked = _at(rng.choice(world.school_days[centre, year["label"]]), rng.randrange(12, 23))
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
