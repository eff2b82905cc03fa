"""Quebec school calendars: Easter, statutory holidays, days off by scope and
counting school days (app/schools/calendar.py)."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from app.schools.calendar import (
    CalendarError,
    NoSchoolYear,
    NotEnoughSchoolDays,
    add_statutory_holidays,
    days_off_for_school,
    easter_sunday,
    is_school_day,
    quebec_statutory_holidays,
    school_days,
    school_year_for,
)
from app.schools.models import DayOff, DayOffKind, School, SchoolYear, ServiceCentre

YEAR_STARTS_ON, YEAR_ENDS_ON = date(2026, 8, 27), date(2027, 6, 22)
YEAR_LENGTH = (YEAR_ENDS_ON - YEAR_STARTS_ON).days


@pytest.fixture
def world(db):
    """Two centres; `school` and its `sibling` in centre A, `other` in centre B;
    the 2026-2027 school year, without any day off yet."""
    centre_a = ServiceCentre(name="Centre de services scolaire A", region_code="16")
    centre_b = ServiceCentre(name="Centre de services scolaire B", region_code="13")
    db.add_all([centre_a, centre_b])
    db.flush()

    def school(name, centre):
        return School(name=name, service_centre_id=centre.id, city="Longueuil", region_code="16")

    world = SimpleNamespace(
        centre_a=centre_a,
        centre_b=centre_b,
        school=school("École secondaire A1", centre_a),
        sibling=school("École secondaire A2", centre_a),
        other=school("École secondaire B1", centre_b),
        year=SchoolYear(label="2026-2027", starts_on=YEAR_STARTS_ON, ends_on=YEAR_ENDS_ON),
    )
    db.add_all([world.school, world.sibling, world.other, world.year])
    db.commit()
    return world


def add_day_off(db, world, starts_on, ends_on=None, *, kind, centre=None, school=None):
    day_off = DayOff(
        school_year_id=world.year.id,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        kind=kind,
        reason="test",
        service_centre_id=centre.id if centre else None,
        school_id=school.id if school else None,
    )
    db.add(day_off)
    db.commit()
    return day_off


def dates(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# Easter and the statutory holidays: pure functions


@pytest.mark.parametrize(
    "expected",
    [
        date(2024, 3, 31),
        date(2025, 4, 20),
        date(2026, 4, 5),
        date(2027, 3, 28),
        date(2000, 4, 23),
        date(2008, 3, 23),
        date(2011, 4, 24),
        date(1818, 3, 22),  # the earliest possible date
        date(2285, 3, 22),
        date(1943, 4, 25),  # the latest possible date
        date(2038, 4, 25),
    ],
)
def test_easter_sunday(expected):
    assert easter_sunday(expected.year) == expected


def test_easter_sunday_is_always_a_sunday_between_march_22_and_april_25():
    for year in range(1900, 2200):
        easter = easter_sunday(year)
        assert easter.weekday() == 6
        assert date(year, 3, 22) <= easter <= date(year, 4, 25)


def test_statutory_holidays_of_the_2026_2027_school_year():
    assert quebec_statutory_holidays(YEAR_STARTS_ON, YEAR_ENDS_ON) == [
        (date(2026, 9, 7), "labour_day"),
        (date(2026, 10, 12), "thanksgiving"),
        (date(2026, 12, 25), "christmas"),
        (date(2027, 1, 1), "new_years_day"),
        (date(2027, 3, 26), "good_friday"),
        (date(2027, 3, 29), "easter_monday"),
        (date(2027, 5, 24), "patriots_day"),
    ]


def test_statutory_holidays_of_a_calendar_year():
    assert quebec_statutory_holidays(date(2026, 1, 1), date(2026, 12, 31)) == [
        (date(2026, 1, 1), "new_years_day"),
        (date(2026, 4, 3), "good_friday"),
        (date(2026, 4, 6), "easter_monday"),
        (date(2026, 5, 18), "patriots_day"),  # May 25 is itself a Monday
        (date(2026, 6, 24), "fete_nationale"),
        (date(2026, 7, 1), "canada_day"),
        (date(2026, 9, 7), "labour_day"),
        (date(2026, 10, 12), "thanksgiving"),
        (date(2026, 12, 25), "christmas"),
    ]


def test_fete_nationale_and_canada_day_move_to_monday_when_on_a_sunday():
    # June 24 and July 1, 2029 are Sundays.
    assert quebec_statutory_holidays(date(2029, 6, 1), date(2029, 7, 31)) == [
        (date(2029, 6, 25), "fete_nationale"),
        (date(2029, 7, 2), "canada_day"),
    ]
    # On a Saturday they stay where they are (2028).
    assert quebec_statutory_holidays(date(2028, 6, 1), date(2028, 7, 31)) == [
        (date(2028, 6, 24), "fete_nationale"),
        (date(2028, 7, 1), "canada_day"),
    ]


def test_statutory_holidays_range_is_inclusive():
    assert quebec_statutory_holidays(date(2026, 9, 7), date(2026, 10, 12)) == [
        (date(2026, 9, 7), "labour_day"),
        (date(2026, 10, 12), "thanksgiving"),
    ]
    assert quebec_statutory_holidays(date(2026, 9, 8), date(2026, 10, 11)) == []


# Adding the holidays to a school year


def statutory_rows(db, year):
    return db.exec(
        select(DayOff).where(DayOff.school_year_id == year.id).order_by(DayOff.starts_on)
    ).all()


def test_add_statutory_holidays_adds_each_holiday_once_for_every_school(db, world):
    assert add_statutory_holidays(db, school_year=world.year) == 7
    db.commit()
    rows = statutory_rows(db, world.year)
    assert [(r.starts_on, r.ends_on, r.reason) for r in rows] == [
        (day, day, key) for day, key in quebec_statutory_holidays(YEAR_STARTS_ON, YEAR_ENDS_ON)
    ]
    assert {(r.kind, r.service_centre_id, r.school_id) for r in rows} == {
        (DayOffKind.STATUTORY, None, None)
    }

    assert add_statutory_holidays(db, school_year=world.year) == 0
    db.commit()
    assert len(statutory_rows(db, world.year)) == 7


def test_add_statutory_holidays_fills_in_only_what_is_missing(db, world):
    add_statutory_holidays(db, school_year=world.year)
    db.commit()
    thanksgiving = db.exec(select(DayOff).where(DayOff.reason == "thanksgiving")).one()
    db.delete(thanksgiving)
    # A centre's pedagogical day on Labour Day is not the statutory holiday.
    labour_day = db.exec(select(DayOff).where(DayOff.reason == "labour_day")).one()
    db.delete(labour_day)
    add_day_off(db, world, date(2026, 9, 7), kind=DayOffKind.PEDAGOGICAL, centre=world.centre_a)

    assert add_statutory_holidays(db, school_year=world.year) == 2
    db.commit()
    statutory = db.exec(select(DayOff.reason).where(DayOff.kind == DayOffKind.STATUTORY)).all()
    assert sorted(statutory) == sorted(
        key for _day, key in quebec_statutory_holidays(YEAR_STARTS_ON, YEAR_ENDS_ON)
    )


def test_add_statutory_holidays_flushes_but_does_not_commit(db, world):
    assert add_statutory_holidays(db, school_year=world.year) == 7
    assert len(statutory_rows(db, world.year)) == 7  # flushed: visible to the session
    db.rollback()
    assert statutory_rows(db, world.year) == []


# Which days off apply to which school


def test_days_off_apply_by_scope(db, world):
    add_statutory_holidays(db, school_year=world.year)
    db.commit()
    pedagogical_a = date(2026, 11, 13)
    pedagogical_b = date(2026, 11, 20)
    exception = date(2026, 11, 25)
    add_day_off(db, world, pedagogical_a, kind=DayOffKind.PEDAGOGICAL, centre=world.centre_a)
    add_day_off(db, world, pedagogical_b, kind=DayOffKind.PEDAGOGICAL, centre=world.centre_b)
    add_day_off(db, world, exception, kind=DayOffKind.EXCEPTION, school=world.school)

    def off(school):
        return days_off_for_school(
            db, school=school, starts_on=date(2026, 10, 1), ends_on=date(2026, 11, 30)
        )

    thanksgiving = date(2026, 10, 12)
    assert off(world.school) == {thanksgiving, pedagogical_a, exception}
    assert off(world.sibling) == {thanksgiving, pedagogical_a}
    assert off(world.other) == {thanksgiving, pedagogical_b}


def test_a_school_row_applies_only_to_that_school_even_with_its_centre_set(db, world):
    day = date(2026, 11, 25)
    db.add(
        DayOff(
            school_year_id=world.year.id,
            starts_on=day,
            ends_on=day,
            kind=DayOffKind.EXCEPTION,
            reason="test",
            service_centre_id=world.centre_a.id,
            school_id=world.school.id,
        )
    )
    db.commit()
    assert days_off_for_school(db, school=world.school, starts_on=day, ends_on=day) == {day}
    assert days_off_for_school(db, school=world.sibling, starts_on=day, ends_on=day) == set()


def test_days_off_expand_ranges_within_the_window(db, world):
    add_day_off(
        db,
        world,
        date(2026, 12, 21),
        date(2027, 1, 1),
        kind=DayOffKind.BREAK,
        centre=world.centre_a,
    )
    assert days_off_for_school(
        db, school=world.school, starts_on=date(2026, 12, 30), ends_on=date(2027, 1, 5)
    ) == {date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 1)}
    assert days_off_for_school(
        db, school=world.school, starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 22)
    ) == {date(2026, 12, 21), date(2026, 12, 22)}
    assert (
        days_off_for_school(
            db, school=world.school, starts_on=date(2027, 1, 2), ends_on=date(2027, 1, 31)
        )
        == set()
    )


def test_days_off_for_school_reads_them_in_one_query(db, world):
    add_statutory_holidays(db, school_year=world.year)
    add_day_off(db, world, date(2026, 11, 13), kind=DayOffKind.PEDAGOGICAL, centre=world.centre_a)
    add_day_off(db, world, date(2026, 11, 25), kind=DayOffKind.EXCEPTION, school=world.school)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.get_bind()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        off = days_off_for_school(
            db, school=world.school, starts_on=YEAR_STARTS_ON, ends_on=YEAR_ENDS_ON
        )
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(off) == 9
    assert len(statements) == 1
    assert "day_off" in statements[0]


# Counting school days


@pytest.fixture
def holidays(db, world):
    add_statutory_holidays(db, school_year=world.year)
    db.commit()


def test_ten_school_days_skip_a_weekend_and_thanksgiving(db, world, holidays):
    assert school_days(db, school=world.school, start=date(2026, 10, 6)) == [
        date(2026, 10, 6),
        date(2026, 10, 7),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 13),
        date(2026, 10, 14),
        date(2026, 10, 15),
        date(2026, 10, 16),
        date(2026, 10, 19),
        date(2026, 10, 20),
    ]


def test_school_days_skip_a_centres_break(db, world, holidays):
    add_day_off(
        db,
        world,
        date(2026, 12, 21),
        date(2027, 1, 1),
        kind=DayOffKind.BREAK,
        centre=world.centre_a,
    )
    days = school_days(db, school=world.school, start=date(2026, 12, 14))
    assert days == dates(date(2026, 12, 14), date(2026, 12, 18)) + dates(
        date(2027, 1, 4), date(2027, 1, 8)
    )
    # The other centre has no break: only Christmas is off.
    other_days = school_days(db, school=world.other, start=date(2026, 12, 14))
    assert other_days[-1] == date(2026, 12, 28)
    assert date(2026, 12, 25) not in other_days


def test_school_days_from_a_weekend_start_on_the_next_school_day(db, world, holidays):
    # Saturday October 10; Monday the 12th is Thanksgiving.
    assert school_days(db, school=world.school, start=date(2026, 10, 10), count=3) == [
        date(2026, 10, 13),
        date(2026, 10, 14),
        date(2026, 10, 15),
    ]


def test_school_days_up_to_the_last_day_of_the_year(db, world, holidays):
    days = school_days(db, school=world.school, start=date(2027, 6, 14), count=7)
    assert days == [*dates(date(2027, 6, 14), date(2027, 6, 18)), date(2027, 6, 21), YEAR_ENDS_ON]


def test_not_enough_school_days_before_the_end_of_the_year(db, world, holidays):
    with pytest.raises(NotEnoughSchoolDays) as raised:
        school_days(db, school=world.school, start=date(2027, 6, 14))
    assert isinstance(raised.value, CalendarError)
    assert raised.value.values == {
        "start": date(2027, 6, 14),
        "count": 10,
        "available": 7,
        "ends_on": YEAR_ENDS_ON,
    }


def test_no_school_year_covers_the_start(db, world):
    with pytest.raises(NoSchoolYear) as raised:
        school_days(db, school=world.school, start=date(2026, 7, 15))
    assert isinstance(raised.value, CalendarError)
    assert raised.value.values == {"day": date(2026, 7, 15)}


def test_school_year_for(db, world):
    assert school_year_for(db, day=YEAR_STARTS_ON).id == world.year.id
    assert school_year_for(db, day=YEAR_ENDS_ON).id == world.year.id
    assert school_year_for(db, day=YEAR_STARTS_ON - timedelta(days=1)) is None
    assert school_year_for(db, day=YEAR_ENDS_ON + timedelta(days=1)) is None


def test_is_school_day(db, world, holidays):
    add_day_off(db, world, date(2026, 11, 13), kind=DayOffKind.PEDAGOGICAL, centre=world.centre_a)
    assert is_school_day(db, school=world.school, day=date(2026, 11, 12))
    assert not is_school_day(db, school=world.school, day=date(2026, 11, 13))
    assert is_school_day(db, school=world.other, day=date(2026, 11, 13))
    assert not is_school_day(db, school=world.school, day=date(2026, 11, 14))  # Saturday
    assert not is_school_day(db, school=world.school, day=date(2026, 10, 12))  # Thanksgiving
    assert not is_school_day(db, school=world.school, day=date(2026, 8, 26))  # before the year
    assert is_school_day(db, school=world.school, day=YEAR_STARTS_ON)


# Property: whatever the start and the days off, the count is right

SCOPES = ("every_school", "centre", "school", "sibling", "other_centre")
APPLYING_SCOPES = {"every_school", "centre", "school"}


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    # One `world` for all examples is fine: it is only read; each example's
    # days off are rolled back before the next.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start_offset=st.integers(0, YEAR_LENGTH),
    count=st.integers(1, 15),
    specs=st.lists(
        st.tuples(st.integers(0, YEAR_LENGTH), st.integers(0, 12), st.sampled_from(SCOPES)),
        max_size=8,
    ),
)
def test_school_days_property(db, world, holidays, start_offset, count, specs):
    start = YEAR_STARTS_ON + timedelta(days=start_offset)
    scope_columns = {
        "every_school": {},
        "centre": {"service_centre_id": world.centre_a.id},
        "school": {"school_id": world.school.id},
        "sibling": {"school_id": world.sibling.id},
        "other_centre": {"service_centre_id": world.centre_b.id},
    }
    off = {day for day, _key in quebec_statutory_holidays(YEAR_STARTS_ON, YEAR_ENDS_ON)}
    for offset, length, scope in specs:
        first = YEAR_STARTS_ON + timedelta(days=offset)
        last = min(first + timedelta(days=length), YEAR_ENDS_ON)
        db.add(
            DayOff(
                school_year_id=world.year.id,
                starts_on=first,
                ends_on=last,
                kind=DayOffKind.BREAK,
                reason="generated",
                **scope_columns[scope],
            )
        )
        if scope in APPLYING_SCOPES:
            off.update(dates(first, last))
    db.flush()

    def is_open(day):
        return day.weekday() < 5 and day not in off

    try:
        days = school_days(db, school=world.school, start=start, count=count)
    except NotEnoughSchoolDays:
        assert len([d for d in dates(start, YEAR_ENDS_ON) if is_open(d)]) < count
        return
    finally:
        db.rollback()

    assert len(days) == count
    assert days == sorted(set(days))
    assert days[0] >= start
    assert all(is_open(day) for day in days)
    assert [d for d in dates(start, days[-1]) if is_open(d)] == days
