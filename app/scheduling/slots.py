"""The "find a time" helper: pure, no database.

Given who is busy when (and where), propose the first times, within working
hours, when a police officer and a youth-house worker are both free, with
time to travel from where each of them was just before and to where each
goes just after.
"""

from dataclasses import dataclass
from datetime import date, time

from app.scheduling.booking import needs_travel, seconds

WORKING_HOURS = (time(8, 0), time(17, 0))
STEP_MINUTES = 30


@dataclass(frozen=True)
class Busy:
    starts: int  # seconds since midnight
    ends: int
    place: object  # as a Booking's place; an absence is None (it blocks, no trip)


@dataclass(frozen=True)
class Slot:
    day: date
    starts_at: time
    ends_at: time
    police_id: int
    worker_id: int


def _clock(total: int) -> time:
    return time(total // 3600, total % 3600 // 60)


def is_free(busy, *, starts, ends, place, travel):
    """No busy time overlaps [starts, ends), travel time added around a trip."""
    for b in busy:
        gap = travel if needs_travel(b.place, place) else 0
        if starts < b.ends + gap and b.starts < ends + gap:
            return False
    return True


def free_slots(
    *,
    days,
    busy,
    police_ids,
    worker_ids,
    duration_minutes,
    place,
    travel_minutes,
    limit=5,
    hours=WORKING_HOURS,
    step_minutes=STEP_MINUTES,
):
    """The first `limit` slots, in time order.

    `busy` maps (user id, day) to that person's Busy times. Within a slot the
    first free person of each list is chosen, so callers order the lists by
    preference (e.g. fewest presentations first).
    """
    opens, closes = seconds(hours[0]), seconds(hours[1])
    length, step, travel = duration_minutes * 60, step_minutes * 60, travel_minutes * 60
    found = []
    for day in days:
        for starts in range(opens, closes - length + 1, step):
            ends = starts + length

            def first_free(ids, day=day, starts=starts, ends=ends):
                return next(
                    (
                        i
                        for i in ids
                        if is_free(
                            busy.get((i, day), ()),
                            starts=starts,
                            ends=ends,
                            place=place,
                            travel=travel,
                        )
                    ),
                    None,
                )

            police, worker = first_free(police_ids), first_free(worker_ids)
            if police is not None and worker is not None:
                found.append(Slot(day, _clock(starts), _clock(ends), police, worker))
                if len(found) == limit:
                    return found
    return found
