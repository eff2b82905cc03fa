"""A month as the joint calendar shows it: whole weeks from Monday, and the
weekdays each visit runs.

The visits are read through app/scheduling/tables.py (scheduling sits below
the visits package); the view limits the statement to the user's regions by
the visit's school, which it joins.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from app.scheduling.tables import CANCELLED, visit
from app.schools.models import School


@dataclass(frozen=True)
class MonthGrid:
    first: date  # the month's first day
    last: date
    start: date  # the Monday of its first week
    end: date  # the Sunday of its last week

    @property
    def weeks(self):
        """[[7 days]] from `start` to `end`."""
        count = ((self.end - self.start).days + 1) // 7
        return [[self.start + timedelta(days=7 * w + d) for d in range(7)] for w in range(count)]

    @property
    def previous(self):
        """The month before, as "YYYY-MM"."""
        return f"{(self.first - timedelta(days=1)).replace(day=1):%Y-%m}"

    @property
    def following(self):
        return f"{self.last + timedelta(days=1):%Y-%m}"


def month_grid(value, *, today):
    """The month named "YYYY-MM" by `value`, else the one of `today`."""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return MonthGrid(
        first=first,
        last=last,
        start=first - timedelta(days=first.weekday()),
        end=last + timedelta(days=6 - last.weekday()),
    )


def visits_during(first, last):
    """A statement: (id, starts_on, ends_on, name: the school's) of the visits
    not cancelled that overlap [first, last], by school name."""
    return (
        select(visit.c.id, visit.c.starts_on, visit.c.ends_on, School.name)
        .join(School, School.id == visit.c.school_id)
        .where(visit.c.starts_on <= last, visit.c.ends_on >= first, visit.c.status != CANCELLED)
        .order_by(School.name)
    )


def visits_by_day(rows, first, last):
    """{day: [(visit row, school name)]} for each weekday of [first, last] that
    one of `rows` (from `visits_during`) runs, in the rows' order."""
    days = {}
    for row in rows:
        day = max(row.starts_on, first)
        while day <= min(row.ends_on, last):
            if day.weekday() < 5:
                days.setdefault(day, []).append((row, row.name))
            day += timedelta(days=1)
    return days
