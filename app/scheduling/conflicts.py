"""The conflict rules between bookings: pure functions, no database.

`find_conflicts()` compares only bookings that can clash: those of one
presenter on one day, or of one class group (on one day, or for one module).
Within such a bucket the bookings are swept in order of start time, and a
booking is compared only with those that start before it ends (plus the
travel time), so the work grows with the conflicts found, not with n².

Every conflict names its bookings by their keys, in a stable order, and the
lists returned are sorted by kind then keys, so the same bookings give the
same answer whatever their order. A booking's `key` must name it alone.
"""

from collections import defaultdict
from collections.abc import Iterable

from app.scheduling.booking import Booking, Conflict, needs_travel, seconds

PRESENTER_OVERLAP = "presenter_overlap"
GROUP_OVERLAP = "group_overlap"
SAME_MODULE_TWICE = "same_module_twice"
TRAVEL_TIME = "travel_time"
OUTSIDE_VISIT = "outside_visit"
DAY_OFF = "day_off"


def find_conflicts(bookings: Iterable[Booking], *, travel_minutes: int = 30) -> list[Conflict]:
    """Overlaps, repeated modules and too-short trips among `bookings`.

    Intervals are half-open: a session ending at 09:30 and one starting at
    09:30 do not overlap. A trip is too short when one presenter goes from one
    place to another in less than `travel_minutes`; the same pair and kind is
    reported once, naming the smallest shared presenter.
    """
    bookings = list(bookings)
    travel = max(travel_minutes, 0) * 60
    found: dict[tuple, Conflict] = {}

    by_presenter_day = defaultdict(list)
    by_group_day = defaultdict(list)
    by_group_module = defaultdict(list)
    for booking in bookings:
        for presenter_id in booking.presenter_ids:
            by_presenter_day[presenter_id, booking.day].append(booking)
        if booking.class_group_id is not None:
            by_group_day[booking.class_group_id, booking.day].append(booking)
            if booking.module is not None:
                by_group_module[booking.class_group_id, booking.module].append(booking)

    for (presenter_id, _day), same_day in by_presenter_day.items():
        for a, b, gap in _close_pairs(same_day, within=travel):
            if gap is None:
                _keep_smallest_presenter(found, PRESENTER_OVERLAP, a, b, presenter_id)
            elif gap < travel and needs_travel(a.place, b.place):
                _keep_smallest_presenter(found, TRAVEL_TIME, a, b, presenter_id, minutes=gap // 60)

    for (group_id, _day), same_day in by_group_day.items():
        for a, b, gap in _close_pairs(same_day, within=0):
            if gap is None:
                _add(found, GROUP_OVERLAP, a, b, class_group_id=group_id)

    for (group_id, module), same_module in by_group_module.items():
        for i, a in enumerate(same_module):
            for b in same_module[i + 1 :]:
                _add(found, SAME_MODULE_TWICE, a, b, class_group_id=group_id, module=module)

    return _sorted(found.values())


def conflicts_involving(own, others, *, travel_minutes: int = 30) -> list[Conflict]:
    """The conflicts (`find_conflicts`) among `own` and `others` that involve
    one of `own`. A booking found in both (the same key) counts once, as its
    copy in `own`."""
    mine = {booking.key: booking for booking in own}
    everyone = {booking.key: booking for booking in others} | mine
    found = find_conflicts(everyone.values(), travel_minutes=travel_minutes)
    return [c for c in found if mine.keys() & set(c.keys)]


def check_days(bookings: Iterable[Booking], *, visit_days, days_off) -> list[Conflict]:
    """Bookings on a day outside the visit (`visit_days`), or on a day without
    classes (`days_off`); a booking can break both rules."""
    found = {}
    for booking in bookings:
        if booking.day not in visit_days:
            conflict = Conflict(OUTSIDE_VISIT, (booking.key,), {"day": booking.day})
            found.setdefault((conflict.kind, conflict.keys), conflict)
        if booking.day in days_off:
            conflict = Conflict(DAY_OFF, (booking.key,), {"day": booking.day})
            found.setdefault((conflict.kind, conflict.keys), conflict)
    return _sorted(found.values())


def conflicts_by_key(conflicts: Iterable[Conflict]) -> dict[object, list[Conflict]]:
    """Each booking's key → the conflicts it is part of, in the given order."""
    flagged: dict[object, list[Conflict]] = {}
    for conflict in conflicts:
        for key in dict.fromkeys(conflict.keys):
            flagged.setdefault(key, []).append(conflict)
    return flagged


def _close_pairs(bookings, *, within):
    """(a, b, gap) for each pair of `bookings` (all on one day) that overlap
    (gap None) or, apart, are less than `within` seconds from each other
    (gap in seconds); a few more pairs may come, with their true gap.

    Sorted by start, a booking is compared with the next ones while they start
    before its end plus `within`: every later one starts later still, so its
    gap can only be as large.
    """
    spans = sorted(
        ((seconds(b.starts_at), seconds(b.ends_at), b) for b in bookings),
        key=lambda span: span[:2],
    )
    for i, (a_start, a_end, a) in enumerate(spans):
        horizon = a_end + within
        for j in range(i + 1, len(spans)):
            b_start, b_end, b = spans[j]
            if b_start >= horizon:
                break
            if a_start < b_end and b_start < a_end:
                yield a, b, None
            else:
                yield a, b, max(b_start - a_end, a_start - b_end)


def _pair(a: Booking, b: Booking) -> tuple:
    return tuple(_stable_sorted([a.key, b.key]))


def _add(found, kind, a, b, **values):
    keys = _pair(a, b)
    found.setdefault((kind, keys), Conflict(kind, keys, values))


def _keep_smallest_presenter(found, kind, a, b, presenter_id, **values):
    """Two presenters shared by one pair make one conflict, naming the smaller."""
    keys = _pair(a, b)
    held = found.get((kind, keys))
    if held is None or presenter_id < held.values["presenter_id"]:
        found[kind, keys] = Conflict(kind, keys, {"presenter_id": presenter_id, **values})


def _stable_sorted(items, key=lambda item: item):
    """Sorted naturally; by type name and repr when the items cannot be compared
    (keys of mixed types), which is stable too."""
    items = list(items)
    try:
        return sorted(items, key=key)
    except TypeError:
        return sorted(items, key=lambda item: _by_repr(key(item)))


def _by_repr(value):
    if isinstance(value, tuple):
        return ("tuple", tuple(_by_repr(part) for part in value))
    return (type(value).__name__, repr(value))


def _sorted(conflicts) -> list[Conflict]:
    return _stable_sorted(conflicts, key=lambda c: (c.kind, c.keys))
