"""What the reports show: each figure of a period, a place and a breakdown,
read from the cubes (cube.py), as a count or, when the cube hides it, as a
mark ("<5", "x").

Every figure a report shows is a cell of a cube: a month, a quarter or a
school year; all places, a region, the regions of a limited reader, a
centre, a school; all or one grade, module, topic... (The one exception,
a centre whose schools lie in several regions read by someone limited to
some of them, is the sum of its schools there, shown only when all of them
are.) So whatever a report asks, it shows cube cells as the cube hides
them.

Without a threshold nothing is hidden (counts for tests and for code that
keeps them inside the partnership).
"""

from dataclasses import dataclass, replace

from app.reports import cube, cube_axes, questions, reach
from app.reports.suppression import SECONDARY, mark

OTHER_FILTERS = (("grade", "grade"), ("module", "module_id"), ("topic", "topic"))
SCHOOL_FIGURES = ("groups_reached", "sessions_delivered", "students_reached")


@dataclass(frozen=True)
class Scope:
    """Where: region codes (None: all regions; None as a code: what names
    no region), a service centre, a school."""

    regions: tuple | None = None
    centre: int | None = None
    school: int | None = None


def scope_of(filters):
    return Scope(filters.regions, filters.service_centre_id, filters.school_id)


def other_of(family, filters):
    """The breakdown cell the filters choose for `family`: ANY, e.g.
    ("grade", "sec2"), or None when a filter does not concern the family
    (or two breakdowns are chosen at once, which no cube holds)."""
    chosen = [(dim, getattr(filters, name)) for dim, name in OTHER_FILTERS]
    chosen = [(dim, value) for dim, value in chosen if value is not None]
    if not chosen:
        return cube.ANY
    if len(chosen) == 1 and chosen[0][0] in family.dims:
        return chosen[0]
    return None


class Publication:
    def __init__(self, session, threshold=None):
        self.session, self.threshold = session, threshold
        self.places = cube_axes.load_places(session)
        self._cubes, self._slices = {}, {}

    def _cube(self, family, year):
        if (family.name, year) not in self._cubes:
            self._cubes[family.name, year] = cube.school_year_cube(
                self.session, self.places, family, year, self.threshold
            )
        return self._cubes[family.name, year]

    def _slice(self, period):
        key = cube_axes.slice_key(period)
        if key not in self._slices:
            self._slices[key] = cube.distinct_slice(
                self.session, self.places, period, self.threshold
            )
        return self._slices[key]

    def _cubes_of(self, figure, period):
        """(cube, time key) that holds `figure` in `period`."""
        if figure in cube.DISTINCT:
            return self._slice(period), cube_axes.slice_key(period)
        family = cube.FAMILY_OF[figure]
        time = cube_axes.time_key(period)
        return self._cube(family, cube_axes.school_year_of(time)), time

    def places_of(self, scope, depth):
        """The place nodes whose sum is `scope` (one, but for an odd centre);
        None when the family does not go that far down (questions and
        requests stop at the region)."""
        if depth == "region" and (scope.centre is not None or scope.school is not None):
            return None
        regions = scope.regions
        if scope.school is not None:
            region, centre = self.places.schools.get(scope.school, (None, None))
            if (regions is not None and region not in regions) or (
                scope.centre is not None and centre != scope.centre
            ):
                return []
            return [("s", scope.school)]
        if scope.centre is not None:
            leaves = self.places.centre_leaves(scope.centre)
            inside = [leaf for leaf in leaves if regions is None or self._region(leaf) in regions]
            return [("centre", scope.centre)] if inside == leaves else inside
        if regions is None:
            return [cube_axes.ALL]
        if len(regions) == 1:
            return [("r", regions[0])]
        if tuple(sorted(regions, key=repr)) in self.places.unions:
            return [("u", tuple(sorted(regions, key=repr)))]
        return [("r", region) for region in regions]

    def _region(self, leaf):
        if leaf[0] == "s":
            return self.places.schools[leaf[1]][0]
        return self.places.centres.get(leaf[1])

    def cell(self, figure, period, scope, other):
        """(count, hidden) of `figure`; None when it does not apply."""
        depth = "school" if figure in cube.DISTINCT else cube.FAMILY_OF[figure].depth
        where = self.places_of(scope, depth)
        if where is None or other is None:
            return None
        found, time = self._cubes_of(figure, period)
        total, hidden = 0, False
        for place in where:
            key = (figure, time, place, other)
            total += found.value(key)
            hidden = hidden or found.hides(key)
        return total, hidden

    def show(self, found):
        """A cell as published: the count, a mark, or None."""
        if found is None:
            return None
        value, hidden = found
        return mark(value, self.threshold) if hidden else value

    def values_of(self, family, period, dim):
        """The values of a breakdown that rows may have."""
        return self._cubes_of(family.figures[0], period)[0].dims.get(dim, [])

    def schools_visited(self, period, scope, other):
        """(schools with a session, hidden). It is the number of schools a
        table by school lists, unless a school's figures are hidden there:
        then a school listed with "x" may have had none, and this count would
        tell; so it is hidden with them."""
        if other is None or self.places_of(scope, "school") is None:
            return None
        count, hidden = 0, False
        for school in sorted(self.places.schools):
            narrowed = replace(scope, school=school)
            if self.places_of(narrowed, "school") != [("s", school)]:
                continue
            cells = [self.cell(f, period, narrowed, other) for f in SCHOOL_FIGURES]
            count += cells[0][0] > 0
            hidden = hidden or any(h for _v, h in cells)
        return count, hidden

    def median(self, period, filters):
        """(the median hours to a first reply, hidden): hidden when fewer than
        `threshold` replies make it, for a median of three is nearly a reply."""
        if filters.sessions_only or self.places_of(scope_of(filters), "region") is None:
            return None
        kept = reach.Filters(topic=filters.topic, region=filters.region, within=filters.within)
        value, replies = questions.median_reply(self.session, period, kept)
        small = value is not None and self.threshold is not None and replies < self.threshold
        return value, small

    def found(self, key, period, filters):
        """(value, hidden) of one figure of the summary; None when the
        filters do not concern it."""
        if key == "median_reply_hours":
            return self.median(period, filters)
        family = cube.SESSIONS if key in cube.DISTINCT else cube.FAMILY_OF.get(key, cube.SESSIONS)
        other = other_of(family, filters)
        if key == "schools_visited":
            return self.schools_visited(period, scope_of(filters), other)
        return self.cell(key, period, scope_of(filters), other)

    def figure(self, key, period, filters):
        """One figure of the summary, as published."""
        found = self.found(key, period, filters)
        if key in reach.NOT_COUNTS and found is not None:
            value, hidden = found
            return SECONDARY if hidden else value  # "<5" would read as hours
        return self.show(found)
