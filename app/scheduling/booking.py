"""What the conflict rules and the planner reason about: plain, database-free data.

A Booking is one person-free description of a session in time and place;
busy.py turns class sessions and presentations into bookings, so the rules
can be tested and property-tested without a database.
"""

from dataclasses import dataclass, field
from datetime import date, time


@dataclass(frozen=True)
class Booking:
    key: object  # the session's id, or any hashable naming it
    # Where it happens, for travel times: a school's id, another place's
    # folded name, or None for an online meeting (no trip to or from it).
    place: object
    day: date
    starts_at: time  # start of its first period
    ends_at: time  # end of its last period
    presenter_ids: frozenset = field(default_factory=frozenset)
    class_group_id: int | None = None
    module: str | None = None  # the curriculum module's slug


def seconds(moment: time) -> int:
    """A clock time as seconds since midnight."""
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def needs_travel(here, there) -> bool:
    """True when going from one place to the other takes travel time."""
    return here is not None and there is not None and here != there


@dataclass(frozen=True)
class Conflict:
    """A rule broken by `keys` (the bookings involved); `kind` names the rule."""

    kind: str  # presenter_overlap | group_overlap | same_module_twice | travel_time
    #            | outside_visit | day_off
    keys: tuple
    values: dict = field(default_factory=dict, hash=False, compare=False)
