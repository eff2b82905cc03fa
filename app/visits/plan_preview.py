"""The planner's preview: each proposed session, and for each one moved, why.

A visit is two weeks of classes: ten weekdays from its first day. When the
school has days off in those two weeks (spring break, a pedagogical day, a
holiday), the visit runs on as many school days after them instead, and the
sessions the planner puts on those days are the ones the days off moved:
the first day off gives way to the first day added, and so on. The preview
says so for each of them ("2 March: spring break, moved to 16 March"), so
that nobody wonders why a visit asked for two weeks ends in the third.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

from app.schools import calendar

SATURDAY = 5


@dataclass(frozen=True)
class Move:
    """Why a day of the visit replaces another."""

    instead_of: date  # the weekday of the two weeks the school has off
    day_off: object  # the DayOff that takes it (None: outside any school year)


@dataclass(frozen=True)
class PreviewRow:
    day: date
    period: int  # the first bell period's number
    starts_at: time
    ends_at: time
    group: object  # ClassGroup
    module: object  # CurriculumModule
    presenters: tuple  # names
    move: Move | None


def weekdays_from(start, count):
    """The first `count` weekdays from `start` (inclusive), days off or not."""
    found, day = [], start
    while len(found) < count:
        if day.weekday() < SATURDAY:
            found.append(day)
        day += timedelta(days=1)
    return found


def moves(session, *, school, starts_on, days):
    """{day of the visit: Move} for each day the visit runs on in place of a
    weekday of its two weeks that the school has off."""
    planned = weekdays_from(starts_on, len(days))
    lost = [d for d in planned if d not in set(days)]
    if not lost:
        return {}
    added = [d for d in days if d not in set(planned)]
    reasons = calendar.days_off_by_day(session, school=school, starts_on=lost[0], ends_on=lost[-1])
    return {
        new: Move(instead_of=old, day_off=reasons.get(old))
        for old, new in zip(lost, added, strict=False)
    }


def preview_rows(session, *, proposal, names):
    """The proposal's new sessions as PreviewRows, in day and period order.

    `names`: {user id: name} of the visit's team."""
    school = proposal.school
    numbers = {(p.starts_at, p.ends_at): p.number for p in school.periods}
    moved = moves(session, school=school, starts_on=proposal.visit.starts_on, days=proposal.days)
    return [
        PreviewRow(
            day=b.day,
            period=numbers[(b.starts_at, b.ends_at)],
            starts_at=b.starts_at,
            ends_at=b.ends_at,
            group=proposal.groups[b.class_group_id],
            module=proposal.modules[b.module],
            presenters=tuple(sorted(names[i] for i in b.presenter_ids if i in names)),
            move=moved.get(b.day),
        )
        for b in proposal.bookings
    ]
