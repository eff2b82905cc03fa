"""What an attacker does with the reports: write every published figure as a
sum of unknowns, subtract figures from each other in every way, and see
which hidden figures come out.

The unknowns ("atoms") are the finest counts anyone could ask for: a
figure's count in one month, at one place (a school, a centre's own
presentations, what names no place; a region for questions and requests),
for one value of each breakdown (a grade and a module; a topic...); for the
distinct counts (class groups, visits done), a school's count in a period
by grade or by module. The attacker knows which schools, grades, modules
and topics exist, not which of these counts are empty. A figure shown is an
equation (the sum of its atoms = its value), a figure hidden ("<5", "x") a
sum to recover; the attacker's own records are atoms they know.

Subtracting known sums from each other (totals minus their shown parts, a
quarter minus its shown months, one report's total minus another's) until
nothing new comes out finds exactly the sums in the span of the known ones:
`attack()` tests that with linear algebra (numpy), for each figure and
school year apart (no published figure spans two).
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import product

import numpy

PRIME = 2**61 - 1
ANY = ("any",)
GRADES = ("sec1", "sec2", "sec3", "sec4", "sec5")
FAMILY = {
    "sessions_delivered": "session",
    "students_reached": "session",
    "presentations_held": "presentation",
    "presentation_audience": "presentation",
    "requests_received": "request",
    "requests_accepted": "request",
    "campaign_posters": "campaign",
    "campaign_flyers": "campaign",
    "campaign_days": "campaign",
    "kiosk_students": "campaign",
    "questions_received": "question",
    "questions_answered": "question",
    "questions_urgent": "question",
    "escalations": "question",
}
DIMS = {
    "session": ("grade", "module"),
    "presentation": ("audience",),
    "campaign": ("campaign",),
    "request": (),
    "question": ("topic",),
}
BY_REGION = ("request", "question")  # counted by region, never by school
DISTINCT = ("groups_reached", "visits_done")


@dataclass
class Record:
    """One thing the test put in the database, and what it counts for."""

    family: str
    day: date
    region: str | None
    centre: int | None
    school: int | None
    counts: dict  # figure -> count
    others: dict = field(default_factory=dict)  # dimension -> value
    own: bool = False  # the attacker's own (they know its counts)
    done: bool = False  # a session whose visit is marked done


@dataclass
class World:
    records: list
    schools: dict  # school id -> (region, centre)
    centres: dict  # centre id -> region
    rows: dict  # dimension or place kind -> every value the attacker knows of
    places: dict = field(default_factory=dict)  # the test's own objects, by name
    truths: dict = field(default_factory=dict)  # atoms' values, computed once

    def add(self, record):
        self.records.append(record)
        return record


# Atoms ------------------------------------------------------------------------------------


def _months(period):
    found, day = [], period.start.replace(day=1)
    while day <= period.end:
        found.append((day.year, day.month))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return found


def _places(world, family):
    """(place leaf, region, centre, school) of every place a family's record
    may name: a session and a campaign always name a school; a presentation
    may name a centre only, or nothing."""
    if family in BY_REGION:  # a question's region is its school's: regions with schools
        codes = sorted({region for region, _centre in world.schools.values()})
        return [(("r", code), code, None, None) for code in (*codes, None)]
    found = [(("s", sid), region, c, sid) for sid, (region, c) in sorted(world.schools.items())]
    if family != "presentation":
        return found
    found += [(("cx", cid), region, cid, None) for cid, region in sorted(world.centres.items())]
    return [*found, (("none",), None, None, None)]


def _inside(scope, region, centre, school):
    regions, want_centre, want_school = scope
    return (
        (regions is None or region in regions)
        and want_centre in (None, centre)
        and want_school in (None, school)
    )


def _others(world, family):
    return list(product(*(world.rows[dim] for dim in DIMS[family])))


def _matches(family, leaf, other):
    if other == ANY:
        return True
    dims = DIMS[family]
    return other[0] in dims and leaf[dims.index(other[0])] == other[1]


def _distinct_others(world, figure, other):
    grades = [("grade", g) for g in GRADES]
    modules = [("module", m) for m in world.rows["module"]]
    if other == ANY:
        return grades if figure == "groups_reached" else [("a",)]
    return [other] if other in grades + modules else []


def atoms(world, figure, period, scope, other):
    """The unknowns whose sum is `figure` for `period`, `scope` (regions,
    centre, school) and `other` (ANY or (dimension, value))."""
    if figure in DISTINCT:
        block = (figure, period.kind, period.start)
        places = [p for p in _places(world, "session") if _inside(scope, *p[1:])]
        return frozenset(
            (*block, leaf, o)
            for (leaf, *_rest), o in product(places, _distinct_others(world, figure, other))
        )
    family = FAMILY[figure]
    if family in BY_REGION and (scope[1] is not None or scope[2] is not None):
        return frozenset()
    block = (figure, period.start.year if period.start.month >= 7 else period.start.year - 1)
    places = [p[0] for p in _places(world, family) if _inside(scope, *p[1:])]
    others = [o for o in _others(world, family) if _matches(family, o, other)]
    found = {(*block, m, p, o) for m in _months(period) for p in places for o in others}
    # The attacker's own records are an atom of their own, which they know.
    return frozenset(found | {(*a, "own") for a in own_atoms(world, figure) if a in found})


def own_atoms(world, figure):
    """The atoms of the attacker's own records (without the "own" mark)."""
    family = FAMILY[figure]
    return {
        (figure, r_year(r), (r.day.year, r.day.month), _leaf_of(r), _other_of(r))
        for r in world.records
        if r.own and r.family == family
    }


def r_year(record):
    return record.day.year if record.day.month >= 7 else record.day.year - 1


def _other_of(record):
    return tuple(record.others[d] for d in DIMS[record.family])


def _leaf_of(record):
    if record.family in BY_REGION:
        return ("r", record.region)
    if record.school is not None:
        return ("s", record.school)
    return ("cx", record.centre) if record.centre is not None else ("none",)


def truth(world, atom):
    """The value of one atom, from what the test made."""
    if atom[0] in DISTINCT:
        figure, kind, start, place, other = atom
        period = period_of(kind, start)
        sessions = [
            r
            for r in world.records
            if r.family == "session"
            and _leaf_of(r) == place
            and period.start <= r.day <= period.end
            and (other == ("a",) or r.others.get(other[0]) == other[1])
        ]
        if figure == "groups_reached":  # one class group per school and grade
            return len({r.others["grade"] for r in sessions})
        return sum(r.done for r in sessions)
    known = world.truths.get(len(world.records))
    if known is None:  # every additive atom with a count, once per state of the world
        known = {}
        for r in world.records:
            month = (r.day.year, r.day.month)
            for figure, count in r.counts.items():
                key = (
                    figure,
                    r_year(r),
                    month,
                    _leaf_of(r),
                    _other_of(r),
                    *(("own",) if r.own else ()),
                )
                known[key] = known.get(key, 0) + count
        world.truths = {len(world.records): known}
    return known.get(atom, 0)


def period_of(kind, start):
    from app.reports import periods

    if kind == "month":
        return periods.make(kind, start.year, start.month)
    if kind == "quarter":
        return periods.make(kind, start.year, (start.month - 1) // 3 + 1)
    return periods.make(kind, start.year)


def value_of(world, cells):
    return sum(truth(world, atom) for atom in cells)


# The attack ---------------------------------------------------------------------------------


def _block(atom):
    """Atoms of different blocks are never in one figure: solve them apart."""
    return atom[:3] if atom[0] in DISTINCT else atom[:2]


def attack(world, published, known=()):
    """(hidden figures, those recovered): `published` is [(figure, atoms,
    value)], `known` the atoms whose values the attacker knows (their own
    records). {atoms: figure} and {atoms: (figure, value worked out)}."""
    shown, hidden = {}, {}
    for atom in known:
        shown.setdefault(_block(atom), {})[frozenset({atom})] = truth(world, atom)
    for figure, cells, value in published:
        block = _block(next(iter(cells)))
        if isinstance(value, int):
            shown.setdefault(block, {})[cells] = value
        else:
            hidden.setdefault(block, {})[cells] = figure
    recovered = {}
    for block, targets in hidden.items():
        for cells, value in _solvable(shown.get(block, {}), targets):
            recovered[cells] = (targets[cells], value)
    return {c: f for targets in hidden.values() for c, f in targets.items()}, recovered


def _solvable(equations, targets):
    """[(target, its value)] for the targets (atom sets) that are sums of the
    equations' atom sets with some coefficients: their value follows from
    the shown ones."""
    names = sorted({a for cells in (*equations, *targets) for a in cells}, key=repr)
    column = {atom: n for n, atom in enumerate(names)}

    def vector(cells):
        row = numpy.zeros(len(names))
        row[[column[a] for a in cells]] = 1.0
        return row

    if not equations:
        return []
    matrix = numpy.array([vector(cells) for cells in equations])
    _u, sizes, rows = numpy.linalg.svd(matrix, full_matrices=False)
    basis = rows[sizes > 1e-9 * max(sizes.max(), 1.0)]
    found = [
        cells
        for cells in targets
        if numpy.abs((target := vector(cells)) - basis.T @ (basis @ target)).max() < 1e-6
    ]
    if not found:
        return []
    values = numpy.array(list(equations.values()), dtype=float)
    solution = numpy.linalg.lstsq(matrix, values, rcond=None)[0]
    return [(cells, round(float(vector(cells) @ solution))) for cells in found]


class Solver:
    """Exact elimination modulo a prime, for small systems: known sums kept
    reduced, each with a pivot atom that no kept sum before it has."""

    def __init__(self):
        self.pivots = []  # [(pivot atom, {atom: coefficient}, value)]

    def _reduce(self, row, value):
        row = dict(row)
        for pivot, known, known_value in self.pivots:
            factor = row.get(pivot)
            if not factor:
                continue
            for atom, coefficient in known.items():
                new = (row.get(atom, 0) - factor * coefficient) % PRIME
                if new:
                    row[atom] = new
                else:
                    row.pop(atom, None)
            value = (value - factor * known_value) % PRIME
        return row, value

    def learn(self, atom_set, value):
        row, value = self._reduce(dict.fromkeys(atom_set, 1), value % PRIME)
        if not row:
            assert value == 0, "a published figure contradicts the others"
            return
        pivot = next(iter(row))
        inverse = pow(row[pivot], PRIME - 2, PRIME)
        self.pivots.append(
            (pivot, {a: c * inverse % PRIME for a, c in row.items()}, value * inverse % PRIME)
        )

    def solve(self, atom_set):
        """The value of this sum, if subtractions of known sums give it."""
        row, value = self._reduce(dict.fromkeys(atom_set, 1), 0)
        if row:
            return None
        value = -value % PRIME
        return value - PRIME if value > PRIME // 2 else value
