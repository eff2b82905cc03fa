"""Small-count suppression for what the reports show (pages and files alike).

Primary: a count from 1 to threshold − 1 is hidden, shown as "<5" (threshold
5 by default, the REPORT_SUPPRESSION_THRESHOLD setting); zeros stay visible.

Secondary, so that no hidden count can be worked out from shown ones,
however one adds and subtracts them (totals minus their parts, a quarter
minus its months, one report minus another): the figures of a cube
(app/reports/cube.py) are sums of "leaves" along three axes, time (months),
place (schools...) and breakdown (grade and module...), and each figure is
a cell: a time node × a place node × a breakdown node, each node a set of
leaves. For each small cell, `protect()` picks one leaf of it on each axis
and, on each axis, a partner leaf outside it (or none), and hides every
cell that holds exactly one of the two on every axis: the "box" of the
small cell. Adding ε to the corner leaves with an even number of partners,
and taking ε from the others, changes every cell of the box and no other
cell; so no sum of shown cells can tell the box's cells. Partners are
chosen to hide as few cells as possible, and among leaves with activity
(an empty school's row would show only "x"). A hidden cell that is more
than a small count, or an empty one, is shown as "x".

The cells a report shows are cells of a cube (or sums of shown ones), so
what holds for the cube holds for every report and for all of them put
together. `protect()` depends on nothing but the cube (never on the
request, never on a set's iteration order), so that two reports never hide
different cells of the same figures.
"""

import numpy

SECONDARY = "x"


def small(threshold):
    return f"<{threshold}"


def mark(value, threshold):
    """How a hidden figure is shown: "<5" when it is small, else "x"."""
    return small(threshold) if 0 < value < threshold else SECONDARY


def suppress_value(value, threshold):
    """One figure on its own, related to no other: primary suppression only."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < threshold:
        return small(threshold)
    return value


class Axis:
    """One axis of a cube: its leaves in a fixed order, the nodes holding
    each leaf (the leaf's own node, its parents, any other sum), and the
    leaves with activity (preferred as partners).

    `aside`: kinds of node that do not weigh in the choice of partners: the
    regions of a reader limited to several. Who reads what may change; the
    cells hidden elsewhere must not change with it. `rankings`: partners by
    box side, the same for every cube of the same leaves and nodes (the
    places), whatever their activity: pass the same dict to share them."""

    def __init__(self, leaves, containing, *, aside=(), rankings=None):
        self.leaves, self.containing, self.aside = list(leaves), containing, aside
        self.rankings = {} if rankings is None else rankings
        self.busy = {}  # leaf -> True
        self._partners, self._busy = {}, None
        nodes = {}
        for leaf in self.leaves:
            nodes.update(dict.fromkeys(containing[leaf]))
        self.nodes = list(nodes)
        self.node_index = {node: n for n, node in enumerate(self.nodes)}
        self.leaf_index = {leaf: n for n, leaf in enumerate(self.leaves)}
        self.membership = numpy.zeros((len(self.leaves), len(self.nodes)))
        for row, leaf in enumerate(self.leaves):
            self.membership[row, [self.node_index[n] for n in containing[leaf]]] = 1.0
        self.members = [numpy.flatnonzero(column) for column in self.membership.T]

    def separating(self, leaf, partner):
        """The nodes holding exactly one of `leaf` and `partner` (None: the
        nodes holding `leaf`)."""
        mine = self.containing[leaf]
        if partner is None:
            return list(mine)
        theirs = self.containing[partner]
        return [n for n in mine if n not in theirs] + [n for n in theirs if n not in mine]

    def partner(self, leaf, node):
        """The leaf outside `node` whose box side is smallest, or None."""
        if (leaf, node) not in self._partners:
            self._partners[leaf, node] = self._best_partner(leaf, node)
        return self._partners[leaf, node]

    def _sides(self, leaf):
        """The box side each other leaf would make with `leaf`, as an array
        (the same for every cube of the same axis: kept in `rankings`)."""
        if leaf not in self.rankings:
            if "weighed" not in self.rankings:
                weigh = [n for n, node in enumerate(self.nodes) if node[0] not in self.aside]
                self.rankings["weighed"] = self.membership[:, weigh]
            weighed = self.rankings["weighed"]
            mine = weighed[self.leaf_index[leaf]]
            overlap = weighed @ mine
            self.rankings[leaf] = mine.sum() + weighed.sum(axis=1) - 2 * overlap
        return self.rankings[leaf]

    def _best_partner(self, leaf, node):
        """Among the leaves outside `node` with the smallest box side, the
        first with activity, else the first; None when every partner makes a
        bigger side than none (a partner as small keeps the totals shown)."""
        own = self.leaf_index[leaf]
        sides = self._sides(leaf)
        allowed = self.membership[:, self.node_index[node]] == 0
        allowed[own] = False
        if not allowed.any():
            return None
        smallest = sides[allowed].min()
        if smallest > self.rankings["weighed"][own].sum():  # none: the leaf's nodes
            return None
        best = allowed & (sides == smallest)
        if self._busy is None:  # activity is known once the cube is built
            self._busy = numpy.array([bool(self.busy.get(x)) for x in self.leaves])
        busy = best & self._busy
        return self.leaves[int(numpy.flatnonzero(busy if busy.any() else best)[0])]


def protect(cells, axes, threshold):
    """The hidden cells of one figure's cube, as a boolean array: every small
    cell and its box.

    `cells`: the cube, an array (time node, place node, breakdown node);
    `axes`: the three Axis. The cells are visited in their array order:
    nothing depends on the request."""
    hidden = numpy.zeros(cells.shape, dtype=bool)
    sides = [{} for _axis in axes]  # node -> its side of a box, on each axis
    strides = numpy.array(hidden.strides) // hidden.itemsize
    for spot in map(tuple, numpy.argwhere((cells > 0) & (cells < threshold))):
        if hidden[spot]:
            continue  # already in a box: a box of its own would add nothing
        box = [_side(axis, known, n) for axis, known, n in zip(axes, sides, spot, strict=True)]
        flat = box[0][:, None, None] * strides[0] + box[1][None, :, None] * strides[1]
        hidden.flat[(flat + box[2][None, None, :] * strides[2]).ravel()] = True
    return hidden


def _side(axis, known, n):
    """Node `n`'s side of a box: the nodes holding its corner leaf or its
    partner, not both. The corner is the node's first leaf with activity
    (any leaf would do: a box of empty leaves hides zeros, shown as "x")."""
    if n not in known:
        members = [axis.leaves[m] for m in axis.members[n]]
        leaf = next((x for x in members if axis.busy.get(x)), members[0])
        side = axis.separating(leaf, axis.partner(leaf, axis.nodes[n]))
        known[n] = numpy.array([axis.node_index[node] for node in side])
    return known[n]
