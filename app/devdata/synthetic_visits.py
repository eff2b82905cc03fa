"""Visits in the synthetic world (`synthetic_world.py`): two-week visits
through each school's year and their class sessions, delivered, cancelled
or (the year after the last) planned."""

from datetime import timedelta

from app.devdata.synthetic_loader import CHUNK, at
from app.visits.models import ClassSession, SessionPresenter, Visit, VisitWorker

VISIT_DAYS = 10
CANCEL_REASONS = ("Absence de l’enseignant", "Sortie éducative", "Tempête : école fermée")


def spread(total, weights):
    """`total` split in proportion to `weights`, in whole numbers adding up to it."""
    whole = sum(weights)
    shares = [total * weight // whole for weight in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


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
                "created_at": at(visit["days"][0] - timedelta(days=30), 14),
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
            "updated_at": at(visit["days"][0] - timedelta(days=7), 15),
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
                "delivered_at": at(day, 20, 30),
                "revision": 1,
                "updated_at": at(day, 20, 30),
            }
        sessions.append(row)
        presenters += [{"session_id": session_id, "user_id": user} for user in teams[team]]
