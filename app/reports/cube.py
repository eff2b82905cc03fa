"""The reports' figures as cubes: every count of a school year, by month,
quarter and school year, by place (school, service centre, region, and the
regions of each reader limited to several), and by the family's other
breakdown (grade and module, topic, audience, campaign), with the cells that
`protect()` hides (app/reports/suppression.py).

Why a whole school year, and every place, for any report: a cell must be
hidden in every report that shows it, or two reports put together give it
away. So the hidden cells are decided once over everything a report of
that school year could show, whatever its filters and whoever reads it; a
report then reads its cells (app/reports/publication.py). School years do
not overlap: each is a cube of its own.

Keys: a cell is (figure, time node, place node, breakdown node).
- time: ("m", year, month), ("q", year, quarter), ("sy", year); a distinct
  count's period: ("p", kind, start).
- place: ("all",), ("r", region code or None), ("centre", id), ("s", school
  id), ("cx", centre id) for a presentation that names a centre and no
  school, ("none",) for what names neither, ("u", codes) for the regions of
  a reader limited to several. Questions and school requests stop at the
  region: anyone may add to them from outside (the public forms), so their
  counts by school could be padded until they show (docs/security.md).
- breakdown: ("any",) or (dimension, value), e.g. ("grade", "sec2").

The counts come from the database grouped (GROUP BY month, place and
breakdown); only those groups are added up here.
"""

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from itertools import product

import numpy

from app.help.models import Topic
from app.presentations.models import Audience
from app.reports import cube_sql, periods
from app.reports.cube_axes import slice_key, time_chain
from app.reports.cube_sql import ANY
from app.reports.rows_cache import kept_rows
from app.reports.suppression import Axis, protect
from app.schools.models import GRADES


@dataclass(frozen=True)
class Family:
    name: str
    figures: tuple  # counts that add up along every axis
    depth: str  # "school", "place" (a school, a centre, or neither) or "region"
    dims: tuple  # the other breakdowns


FAMILIES = (
    Family("sessions", ("sessions_delivered", "students_reached"), "school", ("grade", "module")),
    Family(
        "presentations", ("presentations_held", "presentation_audience"), "place", ("audience",)
    ),
    Family(
        "campaigns",
        ("campaign_posters", "campaign_flyers", "campaign_days", "kiosk_students"),
        "school",
        ("campaign",),
    ),
    Family("requests", ("requests_received", "requests_accepted"), "region", ()),
    Family(
        "questions",
        ("questions_received", "questions_answered", "questions_urgent", "escalations"),
        "region",
        ("topic",),
    ),
)
FAMILY_OF = {figure: family for family in FAMILIES for figure in family.figures}
SESSIONS = FAMILIES[0]
# Distinct counts of the sessions, by period: they add up over places (a
# group, a visit is at one school), groups over grades too, never over time
# or modules.
DISTINCT = ("groups_reached", "visits_done")


# Cubes -------------------------------------------------------------------------------------


class Cube:
    """Each figure's counts by (time node, place node, breakdown node), as
    arrays, with the cells hidden; read by key with `value()` and `hides()`."""

    def __init__(self, figures, dims=None):
        self.figures = figures  # figure -> (axes, counts array, hidden array)
        self.dims = dims or {}  # dimension -> its values, in order

    def value(self, key):
        """The count of a cell (0 for a node the cube does not have)."""
        found = self._cell(key)
        return 0 if found is None else int(found[0])

    def hides(self, key):
        found = self._cell(key)
        return found is not None and bool(found[1])

    def _cell(self, key):
        figure, *nodes = key
        if figure not in self.figures:
            return None
        axes, counts, hidden = self.figures[figure]
        spot = tuple(axis.node_index.get(node) for axis, node in zip(axes, nodes, strict=True))
        if None in spot:
            return None
        return counts[spot], hidden[spot]

    def hidden_cells(self):
        """Every hidden cell's key (for tests)."""
        return {
            (figure, *(axis.nodes[n] for axis, n in zip(axes, spot, strict=True)))
            for figure, (axes, _counts, hidden) in self.figures.items()
            for spot in map(tuple, numpy.argwhere(hidden))
        }


def build(leaves, axes, *, threshold):
    """The cube of `leaves`: [(time leaf, place leaf, breakdown leaf, figure,
    count)]; `axes(figure)`: its (time, place, breakdown) Axis. No hiding
    when `threshold` is None."""
    grids = {}
    for time, place, other, figure, count in leaves:
        figure_axes = axes(figure)
        if figure not in grids:
            grids[figure] = numpy.zeros([len(axis.leaves) for axis in figure_axes])
        spot = tuple(
            ax.leaf_index[k] for ax, k in zip(figure_axes, (time, place, other), strict=True)
        )
        grids[figure][spot] += count
    return from_grids(grids, axes, threshold=threshold)


def from_grids(grids, axes, *, threshold):
    """The cube of `grids`: {figure: counts by (time leaf, place leaf,
    breakdown leaf)}. Each axis's sums are a product with its membership
    matrix (floats: exact for any count a report will see)."""
    for figure, grid in grids.items():
        for n, axis in enumerate(axes(figure)):
            busy = numpy.flatnonzero(grid.sum(axis=tuple(i for i in range(3) if i != n)))
            axis.busy.update(dict.fromkeys((axis.leaves[i] for i in busy), True))
    figures = {}
    for figure, grid in grids.items():
        time, place, other = figure_axes = axes(figure)
        counts = numpy.einsum(
            "abc,ai,bj,ck->ijk",
            grid,
            time.membership,
            place.membership,
            other.membership,
            optimize=True,
        )
        counts = numpy.rint(counts).astype(numpy.int64)
        hidden = (
            numpy.zeros(counts.shape, dtype=bool)
            if threshold is None
            else protect(counts, figure_axes, threshold)
        )
        figures[figure] = (figure_axes, counts, hidden)
    return Cube(figures)


def _time_axis(year):
    chains = [time_chain(year, index) for index in range(12)]
    return Axis([chain[0] for chain in chains], {chain[0]: chain for chain in chains})


def _other_axis(dims, universes):
    leaves = list(product(*(universes[dim] for dim in dims)))
    containing = {
        leaf: (ANY, *((dim, value) for dim, value in zip(dims, leaf, strict=True)))
        for leaf in leaves
    }
    return Axis(leaves, containing)


UNIVERSES = {  # the values a breakdown may take, with or without activity
    "grade": lambda: list(GRADES),
    "topic": lambda: [str(topic) for topic in Topic],
    "audience": lambda: [str(audience) for audience in Audience],
}


# Built cubes, by what they are made of: the page and each download of a
# report build the same ones. A cube is kept with every input (the grouped
# counts themselves, the places, the threshold), so it is never stale (rows
# in another order only miss the cache: a cube does not depend on their
# order). The rows are compared, not hashed: the same list (rows_cache.py)
# is the same at once, and comparing two lists costs far less than writing
# out a year's counts to hash them (0.8 s of a report at a million sessions).
_BUILT = OrderedDict()
BUILT_KEPT = 32


def _kept(*inputs, rows, make):
    key = hashlib.sha256(repr(inputs).encode()).hexdigest()
    found = _BUILT.get(key)
    if found is not None and (found[0] is rows or found[0] == rows):
        _BUILT.move_to_end(key)
        return found[1]
    built = make()
    _BUILT[key] = (rows, built)
    _BUILT.move_to_end(key)
    while len(_BUILT) > BUILT_KEPT:
        _BUILT.popitem(last=False)
    return built


def school_year_cube(session, places, family, year, threshold):
    """The cube of `family` for school year `year` (July to June)."""
    rows = kept_rows(
        session,
        ("leaves", family.name, year),
        lambda: cube_sql.LEAVES[family.name](session, periods.make("school_year", year)),
    )
    return _kept(
        family,
        year,
        threshold,
        places.signature(),
        rows=rows,
        make=lambda: _school_year_cube(places, family, year, threshold, rows),
    )


def _school_year_cube(places, family, year, threshold, rows):
    universes = {}
    for n, dim in enumerate(family.dims):
        seen = [others[n] for _m, _s, _c, others, _counts in rows]
        known = UNIVERSES[dim]() if dim in UNIVERSES else []
        universes[dim] = known + sorted({v for v in seen if v not in known}, key=repr)
    time_axis, other_axis = _time_axis(year), _other_axis(family.dims, universes)
    place_axis = places.axis(family.depth)
    axes = (time_axis, place_axis, other_axis)
    spots, counts = [], []
    for index, school_id, centre_id, others, found in rows:
        place = place_axis.leaf_index.get(places.leaf(family.depth, school_id, centre_id))
        if place is None:
            continue  # a school gone since (none can be: visits keep theirs)
        spots.append((index, place, other_axis.leaf_index[tuple(others)]))
        counts.append(found)
    grids = {}
    if spots:
        where = tuple(numpy.array(spots).T)
        for figure, column in zip(family.figures, numpy.array(counts, dtype=float).T, strict=True):
            if column.any():
                grids[figure] = numpy.zeros([len(axis.leaves) for axis in axes])
                numpy.add.at(grids[figure], where, column)
    found = from_grids(grids, lambda _figure: axes, threshold=threshold)
    found.dims = universes
    return found


def distinct_slice(session, places, period, threshold):
    """Groups reached and visits done in `period`, by place, grade and module."""
    rows = kept_rows(session, ("distinct", period), lambda: cube_sql.distinct_rows(session, period))
    return _kept(
        "distinct",
        period,
        threshold,
        places.signature(),
        rows=rows,
        make=lambda: _distinct_slice(places, period, threshold, rows),
    )


def _distinct_slice(places, period, threshold, rows):
    time = slice_key(period)
    modules = sorted({o[1] for _s, o, _g, _v in rows if o[0] == "module"}, key=repr)
    grades = list(GRADES) + sorted(
        {o[1] for _s, o, _g, _v in rows if o[0] == "grade" and o[1] not in GRADES}, key=repr
    )
    other_leaves = [("a",), *(("grade", g) for g in grades), *(("module", m) for m in modules)]
    groups_on = {leaf: ((ANY, leaf) if leaf[0] == "grade" else (leaf,)) for leaf in other_leaves}
    visits_on = {leaf: ((ANY,) if leaf == ("a",) else (leaf,)) for leaf in other_leaves}
    time_axis = Axis([time], {time: (time,)})
    place_axis = places.axis("school")
    axes = {
        "groups_reached": (time_axis, place_axis, Axis(other_leaves[1:], groups_on)),
        "visits_done": (time_axis, place_axis, Axis(other_leaves, visits_on)),
    }
    leaves = []
    for school_id, other, groups, visits in rows:
        place = places.leaf("school", school_id)
        leaf = ("a",) if other == ANY else other
        if groups:
            leaves.append((time, place, leaf, "groups_reached", groups))
        if visits:
            leaves.append((time, place, leaf, "visits_done", visits))
    found = build(leaves, axes.__getitem__, threshold=threshold)
    found.dims = {"grade": grades, "module": modules}
    return found
