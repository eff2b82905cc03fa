"""The setting of the synthetic activity (`synthetic.py`): partners and their
people in Quebec's 17 regions, service centres, schools with bell schedules,
school years with their days off, class groups, and the curriculum's modules.

Rows are written as they are made; what the activity needs is kept here:
ids, each school's periods and size, each centre's school days.
"""

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.accounts import services as accounts
from app.accounts.models import Partner, User, new_auth_token
from app.curriculum.models import CurriculumModule
from app.devdata.guard import SYNTHETIC_DOMAIN
from app.regions import data as regions
from app.schools.calendar import quebec_statutory_holidays
from app.schools.models import (
    GRADES,
    BellPeriod,
    ClassGroup,
    DayOff,
    School,
    SchoolYear,
    ServiceCentre,
)

# The regions (their codes, app/data/regions.yaml), how many service centres
# each has, and whether it is populous (its centres get more schools).
REGIONS = (
    ("01", 4, False),  # Bas-Saint-Laurent
    ("02", 4, False),  # Saguenay–Lac-Saint-Jean
    ("03", 5, True),  # Capitale-Nationale
    ("04", 2, False),  # Mauricie
    ("05", 3, False),  # Estrie
    ("06", 8, True),  # Montréal
    ("07", 3, False),  # Outaouais
    ("08", 3, False),  # Abitibi-Témiscamingue
    ("09", 2, False),  # Côte-Nord
    ("10", 1, False),  # Nord-du-Québec
    ("11", 2, False),  # Gaspésie–Îles-de-la-Madeleine
    ("12", 4, False),  # Chaudière-Appalaches
    ("13", 1, True),  # Laval
    ("14", 3, False),  # Lanaudière
    ("15", 4, False),  # Laurentides
    ("16", 9, True),  # Montérégie
    ("17", 2, False),  # Centre-du-Québec
)
SCHOOLS = 450
# Role: (people per service centre, the kind of partner they work for).
PEOPLE = {
    "prevention_worker": (4, "youth_house"),
    "police_officer": (2, "police"),
    "youth_worker": (1, "youth_centre"),
}
PARTNERS = {
    "youth_house": "Maison de jeunes",
    "police": "Police",
    "youth_centre": "Centre jeunesse",
}
BELLS = {
    4: ((8, 20), (9, 45), (11, 10), (13, 20)),
    5: ((8, 0), (9, 20), (10, 40), (12, 55), (14, 15)),
}
PERIOD_MINUTES = 75


def _weekday_on_or_after(day):
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _weekday_on_or_before(day):
    return day - timedelta(days=max(0, day.weekday() - 4))


class World:
    def __init__(self, rng, load, year_starts):
        """Make the setting for the school years starting in `year_starts`."""
        self.rng, self.load = rng, load
        self.created = datetime(year_starts[0], 7, 1, tzinfo=UTC)  # rows' created_at
        self._partners_centres_people()
        self._schools()
        self._years(list(year_starts))
        self._groups()
        self.modules = (
            load.connection.execute(
                sa.select(CurriculumModule.id)
                .where(CurriculumModule.active)
                .order_by(CurriculumModule.sort_order)
            )
            .scalars()
            .all()
        )
        if not self.modules:
            raise RuntimeError("no curriculum module in the database: run `flask curriculum sync`")

    def _partners_centres_people(self):
        """A partner of each kind per region; per service centre, its people."""
        load = self.load
        centre_count = sum(count for _region, count, _big in REGIONS)
        partner_ids = iter(load.ids(Partner, len(PARTNERS) * len(REGIONS)))
        centre_ids = iter(load.ids(ServiceCentre, centre_count))
        per_centre = sum(count for count, _kind in PEOPLE.values())
        user_ids = iter(load.ids(User, len(REGIONS) + centre_count * per_centre))
        password_hash = accounts.hash_password(accounts.generate_password())  # known to nobody
        partners, users, self.centres = [], [], []
        self.people = {role: {} for role in PEOPLE}  # role -> {centre id: [user ids]}
        self.coordinators = []

        def person(role, partner_id, name):
            users.append(
                {
                    "id": next(user_ids),
                    "email": f"{name}@{SYNTHETIC_DOMAIN}",
                    "name": f"Synthétique {name}",
                    "role": role,
                    "partner_id": partner_id,
                    "active": True,
                    "password_hash": password_hash,
                    "must_change_password": False,
                    "auth_token": new_auth_token(),
                    "failed_logins": 0,
                    "lock_count": 0,
                    "created_at": self.created,
                    "updated_at": self.created,
                }
            )
            return users[-1]["id"]

        for number, (code, count, big) in enumerate(REGIONS, start=1):
            region = regions.regions()[code].name("fr")
            partner_of = {}
            for kind, label in PARTNERS.items():
                partner_of[kind] = next(partner_ids)
                partners.append(
                    {
                        "id": partner_of[kind],
                        "code": f"syn-{kind.replace('_', '-')}-{number:02d}",
                        "name": f"{label} synthétique — {region}",
                        "kind": kind,
                        "created_at": self.created,
                    }
                )
            self.coordinators.append(
                person("coordinator", partner_of["youth_house"], f"coordinator-{number:02d}")
            )
            for _ in range(count):
                centre = {
                    "id": next(centre_ids),
                    "name": f"Centre de services scolaire synthétique {len(self.centres) + 1:02d}",
                    "region_code": code,
                    "_region": region,
                    "created_at": self.created,
                }
                self.centres.append(centre)
                for role, (people, kind) in PEOPLE.items():
                    self.people[role][centre["id"]] = [
                        person(role, partner_of[kind], f"{role}-{len(self.centres):02d}-{n}")
                        for n in range(1, people + 1)
                    ]
                centre["_big"] = big
        load.insert(Partner, partners)
        load.insert(User, users)
        load.insert(ServiceCentre, [_columns(c) for c in self.centres])

    def _schools(self):
        """Three schools per centre, the rest drawn (twice as many in populous
        regions); each with 4 or 5 periods and 2 to 8 groups per grade."""
        rng, load = self.rng, self.load
        centre_ids = [c["id"] for c in self.centres]
        homes = centre_ids * 3 + rng.choices(
            centre_ids, [1 + c["_big"] for c in self.centres], k=SCHOOLS - 3 * len(centre_ids)
        )
        region = {c["id"]: (c["region_code"], c["_region"]) for c in self.centres}
        self.schools, periods = [], []
        for school_id, centre in zip(load.ids(School, SCHOOLS), sorted(homes), strict=True):
            bells = BELLS[rng.choice(tuple(BELLS))]
            self.schools.append(
                {
                    "id": school_id,
                    "name": f"École secondaire synthétique {len(self.schools) + 1:03d}",
                    "service_centre_id": centre,
                    "address": "",
                    "city": region[centre][1],
                    "region_code": region[centre][0],
                    "_region": region[centre][1],
                    "contact_name": "Direction adjointe",
                    "contact_email": "",
                    "contact_phone": "",
                    "created_at": self.created,
                    "updated_at": self.created,
                    "_periods": len(bells),
                    "_groups_per_grade": rng.randint(2, 8),
                }
            )
            for number, (hour, minute) in enumerate(bells, start=1):
                starts = datetime.combine(date(2000, 1, 1), time(hour, minute))
                periods.append(
                    {
                        "school_id": school_id,
                        "number": number,
                        "starts_at": starts.time(),
                        "ends_at": (starts + timedelta(minutes=PERIOD_MINUTES)).time(),
                    }
                )
        load.insert(School, [_columns(s) for s in self.schools])
        load.insert(BellPeriod, periods)

    def _years(self, year_starts):
        """The school years (those already there are used as they are, days off
        included), their statutory holidays, each centre's winter break and
        spring break (one of two weeks); and each centre's school days."""
        load = self.load
        existing = dict(load.connection.execute(sa.select(SchoolYear.label, SchoolYear.id)).all())
        self.years, new_years, days_off = [], [], []
        self.school_days = {}  # (centre id, year label) -> [dates]
        for start in year_starts:
            year = {
                "label": f"{start}-{start + 1}",
                "starts_on": _weekday_on_or_after(date(start, 8, 28)),
                "ends_on": _weekday_on_or_before(date(start + 1, 6, 22)),
            }
            new = year["label"] not in existing
            year["id"] = load.ids(SchoolYear, 1)[0] if new else existing[year["label"]]
            self.years.append(year)
            holidays = quebec_statutory_holidays(year["starts_on"], year["ends_on"])
            if new:
                new_years.append(dict(year))
                for day, key in holidays:
                    days_off.append(_day_off(year["id"], (day, day), "statutory", key, None))
            winter = (date(start, 12, 22), date(start + 1, 1, 5))
            for index, centre in enumerate(self.centres):
                spring = date(start + 1, 2, 24) + timedelta(days=7 * (index % 2))
                spring -= timedelta(days=spring.weekday())
                spring = (spring, spring + timedelta(days=4))
                if new:
                    days_off.append(_day_off(year["id"], winter, "break", "Fêtes", centre["id"]))
                    days_off.append(_day_off(year["id"], spring, "break", "Relâche", centre["id"]))
                closed = {day for day, _key in holidays}
                for first, last in (winter, spring):
                    closed.update(first + timedelta(days=n) for n in range((last - first).days + 1))
                self.school_days[centre["id"], year["label"]] = [
                    day
                    for n in range((year["ends_on"] - year["starts_on"]).days + 1)
                    if (day := year["starts_on"] + timedelta(days=n)).weekday() < 5
                    and day not in closed
                ]
        load.insert(SchoolYear, new_years)
        load.insert(DayOff, days_off)

    def _groups(self):
        """Each school's class groups for each year: 101, 102, ... 501, 502, ..."""
        rng, load = self.rng, self.load
        rows = []
        self.groups = {}  # (school id, year label) -> {grade: [group ids]}
        for year in self.years:
            for school in self.schools:
                per_grade = school["_groups_per_grade"]
                ids = iter(load.ids(ClassGroup, per_grade * len(GRADES)))
                by_grade = self.groups[school["id"], year["label"]] = {}
                for number, grade in enumerate(GRADES, start=1):
                    by_grade[grade] = []
                    for n in range(1, per_grade + 1):
                        by_grade[grade].append(next(ids))
                        rows.append(
                            {
                                "id": by_grade[grade][-1],
                                "school_id": school["id"],
                                "school_year_id": year["id"],
                                "grade": grade,
                                "name": f"{number}{n:02d}",
                                "teacher_name": "",
                                "size": rng.randint(18, 32),
                            }
                        )
        load.insert(ClassGroup, rows)


def _columns(row):
    """The row without the keys kept for the load only (those starting with _)."""
    return {key: value for key, value in row.items() if not key.startswith("_")}


def _day_off(year_id, days, kind, reason, centre_id):
    first, last = days
    return {
        "school_year_id": year_id,
        "starts_on": first,
        "ends_on": last,
        "kind": kind,
        "reason": reason,
        "service_centre_id": centre_id,
        "school_id": None,
    }
