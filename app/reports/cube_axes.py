"""The axes of the reports' cubes (app/reports/cube.py): places, from each
school up to its service centre, its region and the regions of readers
limited to several; and time, from the month up to the quarter and the
school year. The keys are those the cube's docstring lists."""

from dataclasses import dataclass, field

from sqlmodel import select

from app.accounts.models import User
from app.regions.models import UserRegion
from app.reports import periods
from app.reports.suppression import Axis
from app.schools.models import School, ServiceCentre
from app.security import Role

ALL = ("all",)


# Places ---------------------------------------------------------------------------------


@dataclass
class Places:
    schools: dict  # school id -> (region code, centre id)
    centres: dict  # centre id -> region code
    unions: list  # the region codes of each reader limited to several, as sorted tuples
    _axes: dict = field(default_factory=dict)

    def leaf(self, depth, school_id=None, centre_id=None):
        """The place leaf a record counts in."""
        if school_id is not None and school_id in self.schools:
            return ("r", self.schools[school_id][0]) if depth == "region" else ("s", school_id)
        if depth != "place":
            return ("r", None)  # a school unknown to the places: no region
        if centre_id is not None and centre_id in self.centres:
            return ("cx", centre_id)
        return ("none",)

    def _above(self, region):
        return (("r", region), ALL, *(("u", u) for u in self.unions if region in u))

    def axis(self, depth):
        """The place axis of a cube: every school (or region), with or
        without activity, so that the cubes of one school year agree. A
        session or a campaign always names a school; a presentation may name
        a centre only, or neither ("place")."""
        if depth not in self._axes:
            if depth == "region":  # the regions that have schools, and none
                codes = sorted({region for region, _centre in self.schools.values()})
                leaves = [("r", code) for code in (*codes, None)]
                containing = {leaf: (leaf, *self._above(leaf[1])[1:]) for leaf in leaves}
            else:
                containing = {}
                for sid, (region, centre) in sorted(self.schools.items()):
                    containing["s", sid] = (("s", sid), ("centre", centre), *self._above(region))
                if depth == "place":
                    for cid, region in sorted(self.centres.items()):
                        containing["cx", cid] = (("cx", cid), ("centre", cid), *self._above(region))
                    containing["none",] = (("none",), ("r", None), ALL)
                leaves = list(containing)
            self._axes[depth] = (leaves, containing, {})
        leaves, containing, rankings = self._axes[depth]
        return Axis(leaves, containing, aside=("u",), rankings=rankings)

    def signature(self):
        """What the place axes are made of, for the cache of built cubes."""
        return (sorted(self.schools.items()), sorted(self.centres.items()), self.unions)

    def centre_leaves(self, centre_id):
        """The place leaves of a centre: its schools and itself."""
        schools = [("s", sid) for sid, (_r, c) in sorted(self.schools.items()) if c == centre_id]
        return [*schools, ("cx", centre_id)]


def load_places(session):
    schools = session.exec(select(School.id, School.region_code, School.service_centre_id))
    centres = session.exec(select(ServiceCentre.id, ServiceCentre.region_code))
    limits = {}
    rows = session.exec(
        select(UserRegion.user_id, UserRegion.region_code)
        .join(User, User.id == UserRegion.user_id)
        .where(User.role != Role.ADMIN)
    )
    for user_id, code in rows:
        limits.setdefault(user_id, set()).add(code)
    unions = sorted({tuple(sorted(codes)) for codes in limits.values() if len(codes) > 1})
    return Places(
        schools={sid: (region, centre) for sid, region, centre in schools},
        centres=dict(centres.all()),
        unions=unions,
    )


# Time ------------------------------------------------------------------------------------


def time_chain(year, index):
    """(month, quarter, school year) keys of month `index` (0: July) of school year `year`."""
    month = (index + 6) % 12 + 1
    calendar_year = year if month >= 7 else year + 1
    return (
        ("m", calendar_year, month),
        ("q", calendar_year, (month - 1) // 3 + 1),
        ("sy", year),
    )


def time_key(period):
    """The time node of a month, a quarter or a school year."""
    if period.kind == "month":
        return ("m", period.year, period.number)
    if period.kind == "quarter":
        return ("q", period.year, period.number)
    if period.kind == "school_year":
        return ("sy", period.year)
    raise periods.PeriodError(period.kind)


def school_year_of(key):
    kind, year, *rest = key
    if kind == "sy":
        return year
    month = rest[0] if kind == "m" else 3 * rest[0]
    return year if month >= 7 else year - 1


def slice_key(period):
    return ("p", period.kind, period.start.isoformat())
