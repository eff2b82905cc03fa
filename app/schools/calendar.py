"""Quebec school calendars: statutory holidays, the days a school has no
classes, and counting school days.

Holidays are returned with stable keys ("labour_day"); the views translate them.
"""

from datetime import date, timedelta

from sqlalchemy import or_
from sqlmodel import select

from app.schools.models import DayOff, DayOffKind, SchoolYear

MONDAY, SATURDAY, SUNDAY = 0, 5, 6


class CalendarError(Exception):
    """A school calendar cannot answer; `code` names why, `values` fill the message."""

    code = "calendar_error"

    def __init__(self, **values):
        super().__init__(self.code)
        self.values = values


class NoSchoolYear(CalendarError):
    """No school year covers `day`."""

    code = "no_school_year"


class NotEnoughSchoolDays(CalendarError):
    """Fewer than `count` school days from `start` to the year's last day (`ends_on`)."""

    code = "not_enough_school_days"


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm,
    a.k.a. Meeus/Jones/Butcher)."""
    metonic = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    lunar_correction = (century + 8) // 25
    lunar_shift = (century - lunar_correction + 1) // 3
    epact = (19 * metonic + century - leap_centuries - lunar_shift + 15) % 30
    leap_years, year_rest = divmod(year_of_century, 4)
    to_sunday = (32 + 2 * century_rest + 2 * leap_years - epact - year_rest) % 7
    late_correction = (metonic + 11 * epact + 22 * to_sunday) // 451
    month, day = divmod(epact + to_sunday - 7 * late_correction + 114, 31)
    return date(year, month, day + 1)


def _nth_monday(year, month, n):
    first = date(year, month, 1)
    return first + timedelta(days=(MONDAY - first.weekday()) % 7 + 7 * (n - 1))


def _monday_before(day):
    """The last Monday strictly before `day`."""
    return day - timedelta(days=(day.weekday() - MONDAY - 1) % 7 + 1)


def _unless_sunday(day):
    """`day`, or the Monday after when it falls on a Sunday.

    The law moves Canada Day to July 2 when July 1 is a Sunday (Act respecting
    labour standards, s. 60), and the Fête nationale to June 25 for those who
    do not work on Sundays, as schools do not (National Holiday Act, s. 2).
    """
    return day + timedelta(days=1) if day.weekday() == SUNDAY else day


def _holidays_of(year):
    easter = easter_sunday(year)
    return [
        (date(year, 1, 1), "new_years_day"),
        (easter - timedelta(days=2), "good_friday"),
        (easter + timedelta(days=1), "easter_monday"),
        (_monday_before(date(year, 5, 25)), "patriots_day"),
        (_unless_sunday(date(year, 6, 24)), "fete_nationale"),
        (_unless_sunday(date(year, 7, 1)), "canada_day"),
        (_nth_monday(year, 9, 1), "labour_day"),
        (_nth_monday(year, 10, 2), "thanksgiving"),
        (date(year, 12, 25), "christmas"),
    ]


def quebec_statutory_holidays(starts_on: date, ends_on: date) -> list[tuple[date, str]]:
    """Quebec's statutory holidays from `starts_on` to `ends_on` inclusive,
    as (date, key) in date order.

    The law lets an employer choose Good Friday or Easter Monday; school
    calendars give both, so both are here.
    """
    return [
        (day, key)
        for year in range(starts_on.year, ends_on.year + 1)
        for day, key in _holidays_of(year)
        if starts_on <= day <= ends_on
    ]


def add_statutory_holidays(session, *, school_year: SchoolYear) -> int:
    """Add the statutory holidays of `school_year` (every school, reason = the
    holiday's key) that it does not have yet; return how many were added."""
    present = _expand(
        session.exec(
            select(DayOff.starts_on, DayOff.ends_on).where(
                DayOff.school_year_id == school_year.id,
                DayOff.kind == DayOffKind.STATUTORY,
                DayOff.service_centre_id.is_(None),
                DayOff.school_id.is_(None),
            )
        ).all(),
        school_year.starts_on,
        school_year.ends_on,
    )
    added = [
        DayOff(
            school_year_id=school_year.id,
            starts_on=day,
            ends_on=day,
            kind=DayOffKind.STATUTORY,
            reason=key,
        )
        for day, key in quebec_statutory_holidays(school_year.starts_on, school_year.ends_on)
        if day not in present
    ]
    session.add_all(added)
    session.flush()
    return len(added)


def _rows_for_school(session, *, school, starts_on, ends_on):
    """The DayOff rows that apply to `school` and overlap [starts_on, ends_on].

    A row applies when its school, if any, is this school and its centre, if
    any, is this school's centre: rows with neither apply to every school.
    """
    return session.exec(
        select(DayOff)
        .where(
            DayOff.starts_on <= ends_on,
            DayOff.ends_on >= starts_on,
            or_(DayOff.school_id.is_(None), DayOff.school_id == school.id),
            or_(
                DayOff.service_centre_id.is_(None),
                DayOff.service_centre_id == school.service_centre_id,
            ),
        )
        .order_by(DayOff.starts_on, DayOff.id)
    ).all()


def days_off_for_school(session, *, school, starts_on: date, ends_on: date) -> set[date]:
    """The dates from `starts_on` to `ends_on` inclusive on which `school` has
    no classes because of a day off that applies to it."""
    rows = _rows_for_school(session, school=school, starts_on=starts_on, ends_on=ends_on)
    return _expand([(row.starts_on, row.ends_on) for row in rows], starts_on, ends_on)


def days_off_by_day(session, *, school, starts_on: date, ends_on: date) -> dict:
    """{date: the DayOff that takes it} for the school's days off from
    `starts_on` to `ends_on`: what a page names when it says why a day has no
    class (the first row of a day, when two overlap)."""
    found = {}
    for row in _rows_for_school(session, school=school, starts_on=starts_on, ends_on=ends_on):
        for day in _expand([(row.starts_on, row.ends_on)], starts_on, ends_on):
            found.setdefault(day, row)
    return found


def day_off_on(session, *, school, day: date):
    """The DayOff that takes `day` from `school`, or None (a weekend, a school day)."""
    return days_off_by_day(session, school=school, starts_on=day, ends_on=day).get(day)


def centre_days_off(session, *, centre_ids, starts_on: date, ends_on: date):
    """[(DayOff, [centre ids it applies to])] overlapping [starts_on, ends_on],
    in date order: a centre's own days off, and those of every school (each
    of `centre_ids`). A single school's exceptions are left out: they are
    not a centre's calendar."""
    rows = session.exec(
        select(DayOff)
        .where(
            DayOff.starts_on <= ends_on,
            DayOff.ends_on >= starts_on,
            DayOff.school_id.is_(None),
            or_(
                DayOff.service_centre_id.is_(None),
                DayOff.service_centre_id.in_(centre_ids),
            ),
        )
        .order_by(DayOff.starts_on, DayOff.id)
    ).all()
    return [
        (row, [row.service_centre_id] if row.service_centre_id else list(centre_ids))
        for row in rows
    ]


def _expand(ranges, starts_on, ends_on):
    """Every date of the (first, last) `ranges`, kept within [starts_on, ends_on]."""
    days = set()
    for first, last in ranges:
        day, last = max(first, starts_on), min(last, ends_on)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def school_year_for(session, *, day: date) -> SchoolYear | None:
    """The school year whose first to last day includes `day`, if any."""
    return session.exec(
        select(SchoolYear)
        .where(SchoolYear.starts_on <= day, SchoolYear.ends_on >= day)
        .order_by(SchoolYear.starts_on)
    ).first()


def school_days(session, *, school, start: date, count: int = 10) -> list[date]:
    """The first `count` school days of `school` from `start` (inclusive):
    weekdays of the school year that are not days off for it.

    Raises NoSchoolYear when no school year covers `start`, and
    NotEnoughSchoolDays when that year ends before `count` school days.
    """
    if count < 0:
        raise ValueError(f"count must not be negative: {count}")
    year = school_year_for(session, day=start)
    if year is None:
        raise NoSchoolYear(day=start)
    days_off = days_off_for_school(session, school=school, starts_on=start, ends_on=year.ends_on)
    found = []
    day = start
    while len(found) < count and day <= year.ends_on:
        if day.weekday() < SATURDAY and day not in days_off:
            found.append(day)
        day += timedelta(days=1)
    if len(found) < count:
        raise NotEnoughSchoolDays(
            start=start, count=count, available=len(found), ends_on=year.ends_on
        )
    return found


def is_school_day(session, *, school, day: date) -> bool:
    """Whether `school` has classes on `day`: a weekday of a school year, not a day off."""
    if day.weekday() >= SATURDAY or school_year_for(session, day=day) is None:
        return False
    return not days_off_for_school(session, school=school, starts_on=day, ends_on=day)
