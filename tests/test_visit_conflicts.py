"""The conflict rules between bookings (app/scheduling/conflicts.py), without a database."""

import random
from datetime import date, time, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.booking import Booking, Conflict
from app.scheduling.conflicts import check_days, conflicts_by_key, find_conflicts

MONDAY, TUESDAY = date(2026, 10, 5), date(2026, 10, 6)
SCHOOL, OTHER_SCHOOL = 1, 2
ANA, BEN = 10, 11


def booking(
    key, starts, ends, *, day=MONDAY, school=SCHOOL, presenters=(), group=None, module=None
):
    return Booking(
        key=key,
        place=school,
        day=day,
        starts_at=time.fromisoformat(starts),
        ends_at=time.fromisoformat(ends),
        presenter_ids=frozenset(presenters),
        class_group_id=group,
        module=module,
    )


def found(bookings, **options):
    """What find_conflicts says, values included (Conflict equality ignores them)."""
    return [(c.kind, c.keys, c.values) for c in find_conflicts(bookings, **options)]


# presenter_overlap


def test_a_presenter_in_two_overlapping_sessions_is_a_conflict():
    bookings = [
        booking(1, "09:00", "10:15", presenters=[ANA]),
        booking(2, "10:00", "11:00", presenters=[ANA], school=OTHER_SCHOOL),
    ]
    assert found(bookings) == [("presenter_overlap", (1, 2), {"presenter_id": ANA})]


def test_a_session_inside_another_overlaps_it():
    bookings = [
        booking(1, "09:00", "12:00", presenters=[ANA]),
        booking(2, "10:00", "10:30", presenters=[ANA]),
    ]
    assert found(bookings) == [("presenter_overlap", (1, 2), {"presenter_id": ANA})]


def test_touching_sessions_do_not_overlap():
    bookings = [
        booking(1, "08:15", "09:30", presenters=[ANA], group=5),
        booking(2, "09:30", "10:45", presenters=[ANA], group=5),
    ]
    assert found(bookings) == []


def test_overlapping_times_on_different_days_or_with_different_presenters_are_fine():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "09:00", "10:00", presenters=[ANA], day=TUESDAY),
        booking(3, "09:00", "10:00", presenters=[BEN]),
        booking(4, "09:00", "10:00"),  # nobody yet
    ]
    assert found(bookings) == []


def test_a_pair_sharing_two_presenters_is_reported_once_with_the_smaller_id():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[BEN, ANA]),
        booking(2, "09:30", "10:30", presenters=[ANA, BEN]),
    ]
    assert found(bookings) == [("presenter_overlap", (1, 2), {"presenter_id": ANA})]


def test_three_overlapping_sessions_make_three_pairs():
    bookings = [booking(k, "09:00", "10:00", presenters=[ANA]) for k in (3, 1, 2)]
    assert [c.keys for c in find_conflicts(bookings)] == [(1, 2), (1, 3), (2, 3)]


# group_overlap


def test_a_class_group_booked_twice_at_once_is_a_conflict():
    bookings = [
        booking(1, "09:00", "10:00", group=7, presenters=[ANA]),
        booking(2, "09:45", "11:00", group=7, presenters=[BEN]),
        booking(3, "09:00", "10:00", group=8),
        booking(4, "09:00", "10:00", group=7, day=TUESDAY),
    ]
    assert found(bookings) == [("group_overlap", (1, 2), {"class_group_id": 7})]


def test_a_session_with_no_group_overlaps_no_group():
    bookings = [booking(1, "09:00", "10:00"), booking(2, "09:00", "10:00")]
    assert found(bookings) == []


def test_one_pair_can_break_several_rules():
    bookings = [
        booking(2, "09:00", "10:00", presenters=[ANA], group=7, module="consent"),
        booking(1, "09:00", "10:00", presenters=[ANA], group=7, module="consent"),
    ]
    assert found(bookings) == [
        ("group_overlap", (1, 2), {"class_group_id": 7}),
        ("presenter_overlap", (1, 2), {"presenter_id": ANA}),
        ("same_module_twice", (1, 2), {"class_group_id": 7, "module": "consent"}),
    ]


# same_module_twice


def test_the_same_module_twice_for_one_group_on_any_days_is_a_conflict():
    bookings = [
        booking(1, "09:00", "10:00", group=7, module="consent"),
        booking(2, "13:00", "14:00", group=7, module="consent", day=TUESDAY),
        booking(3, "09:00", "10:00", group=8, module="consent"),  # another group
        booking(4, "11:00", "12:00", group=7, module="recruitment"),  # another module
        booking(5, "11:00", "12:00", module="recruitment"),  # no group
        booking(6, "13:00", "14:00", group=7),  # no module yet
        booking(7, "14:00", "15:00", group=7),
    ]
    assert found(bookings) == [
        ("same_module_twice", (1, 2), {"class_group_id": 7, "module": "consent"})
    ]


# travel_time


def test_back_to_back_at_the_same_school_is_fine():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "10:00", "11:00", presenters=[ANA]),
    ]
    assert found(bookings, travel_minutes=30) == []


def test_a_short_trip_between_schools_is_a_conflict_with_its_gap():
    bookings = [
        booking(1, "10:20", "11:00", presenters=[ANA], school=OTHER_SCHOOL),
        booking(2, "09:00", "10:00", presenters=[ANA]),
    ]
    assert found(bookings, travel_minutes=30) == [
        ("travel_time", (1, 2), {"presenter_id": ANA, "minutes": 20})
    ]


def test_a_long_enough_trip_is_fine():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "10:45", "11:30", presenters=[ANA], school=OTHER_SCHOOL),
    ]
    assert found(bookings, travel_minutes=30) == []
    assert found(bookings, travel_minutes=60) == [
        ("travel_time", (1, 2), {"presenter_id": ANA, "minutes": 45})
    ]


def test_a_gap_of_exactly_the_travel_time_is_enough():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "10:30", "11:30", presenters=[ANA], school=OTHER_SCHOOL),
    ]
    assert found(bookings, travel_minutes=30) == []
    assert found(bookings, travel_minutes=31)[0][2] == {"presenter_id": ANA, "minutes": 30}


def test_touching_sessions_at_two_schools_leave_no_time_to_travel():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "10:00", "11:00", presenters=[ANA], school=OTHER_SCHOOL),
    ]
    assert found(bookings) == [("travel_time", (1, 2), {"presenter_id": ANA, "minutes": 0})]
    assert found(bookings, travel_minutes=0) == []


def test_overlap_at_two_schools_is_an_overlap_not_a_trip():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "09:50", "11:00", presenters=[ANA], school=OTHER_SCHOOL),
    ]
    assert [c.kind for c in find_conflicts(bookings)] == ["presenter_overlap"]


def test_a_trip_needs_the_same_presenter_and_the_same_day():
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "10:10", "11:00", presenters=[BEN], school=OTHER_SCHOOL),
        booking(3, "10:10", "11:00", presenters=[ANA], school=OTHER_SCHOOL, day=TUESDAY),
    ]
    assert found(bookings) == []


def test_a_trip_is_checked_past_a_long_session_in_between():
    # Sorted by start, 2 comes between 1 and 3; 1 → 3 is still a short trip.
    bookings = [
        booking(1, "09:00", "10:00", presenters=[ANA]),
        booking(2, "09:00", "09:10", presenters=[BEN]),
        booking(3, "10:15", "11:00", presenters=[ANA], school=OTHER_SCHOOL),
    ]
    assert found(bookings) == [("travel_time", (1, 3), {"presenter_id": ANA, "minutes": 15})]


def test_cancelled_sessions_are_simply_left_out():
    # The services pass only live sessions: what is not passed conflicts with nothing.
    live = booking(1, "09:00", "10:00", presenters=[ANA], group=7, module="consent")
    cancelled = booking(2, "09:00", "10:00", presenters=[ANA], group=7, module="consent")
    assert len(find_conflicts([live, cancelled])) == 3
    assert find_conflicts([live]) == []


# Keys, order, determinism


def test_the_result_does_not_depend_on_the_order_of_the_bookings():
    bookings = [
        booking(
            k, f"{8 + k % 5:02}:00", f"{9 + k % 5:02}:30", presenters=[ANA + k % 3], group=k % 4
        )
        for k in range(20)
    ]
    expected = found(bookings)
    assert len(expected) > 10
    for seed in range(5):
        shuffled = bookings[:]
        random.Random(seed).shuffle(shuffled)
        assert found(shuffled) == expected
    assert expected == sorted(expected, key=lambda c: (c[0], c[1]))


def test_keys_of_any_type_are_ordered_stably():
    bookings = [
        booking("b", "09:00", "10:00", presenters=[ANA]),
        booking(("session", 3), "09:00", "10:00", presenters=[ANA]),
        booking(7, "09:00", "10:00", presenters=[ANA]),
    ]
    expected = found(bookings)
    assert len(expected) == 3
    assert found(bookings[::-1]) == expected
    assert all(len(keys) == 2 for _kind, keys, _values in expected)


# check_days


def test_sessions_outside_the_visit_or_on_a_day_off_are_flagged():
    visit_days = {MONDAY, TUESDAY}
    days_off = {TUESDAY, date(2026, 10, 12)}
    bookings = [
        booking(1, "09:00", "10:00"),
        booking(2, "09:00", "10:00", day=TUESDAY),
        booking(3, "09:00", "10:00", day=date(2026, 10, 7)),
        booking(4, "09:00", "10:00", day=date(2026, 10, 12)),
    ]
    conflicts = check_days(bookings, visit_days=visit_days, days_off=days_off)
    assert [(c.kind, c.keys, c.values) for c in conflicts] == [
        ("day_off", (2,), {"day": TUESDAY}),
        ("day_off", (4,), {"day": date(2026, 10, 12)}),
        ("outside_visit", (3,), {"day": date(2026, 10, 7)}),
        ("outside_visit", (4,), {"day": date(2026, 10, 12)}),
    ]


def test_sessions_on_the_visits_school_days_are_fine():
    bookings = [booking(1, "09:00", "10:00"), booking(2, "09:00", "10:00", day=TUESDAY)]
    assert check_days(bookings, visit_days={MONDAY, TUESDAY}, days_off=set()) == []


# conflicts_by_key


def test_conflicts_by_key_flags_each_booking_involved():
    overlap = Conflict("presenter_overlap", (1, 2), {"presenter_id": ANA})
    repeat = Conflict("same_module_twice", (2, 3), {"class_group_id": 7, "module": "m"})
    day_off = Conflict("day_off", (3,), {"day": MONDAY})
    assert conflicts_by_key([overlap, repeat, day_off]) == {
        1: [overlap],
        2: [overlap, repeat],
        3: [repeat, day_off],
    }
    assert conflicts_by_key([]) == {}


# Scale


def test_thousands_of_bookings_are_checked_quickly():
    # Two weeks, 40 presenters each teaching back to back at one school all day,
    # pairs of them sharing groups: no conflict, but an O(n²) search would
    # compare some eight million pairs.
    bookings = []
    for day in range(10):
        for presenter in range(40):
            for period in range(10):
                starts = 8 * 60 + period * 45
                bookings.append(
                    booking(
                        len(bookings),
                        f"{starts // 60:02}:{starts % 60:02}",
                        f"{(starts + 45) // 60:02}:{(starts + 45) % 60:02}",
                        day=MONDAY + timedelta(days=day),
                        school=presenter,
                        presenters=[presenter],
                        group=1000 * presenter + period,
                        module=f"module-{day}",
                    )
                )
    one_clash = booking("extra", "08:10", "08:40", presenters=[0], school=0)
    conflicts = find_conflicts([*bookings, one_clash])
    assert len(bookings) == 4000
    assert [(c.kind, c.keys) for c in conflicts] == [("presenter_overlap", (0, "extra"))]
    # Speed is not asserted here (a busy machine would break it): the rules are
    # bucketed by day and person, never compared all with all.


# Against a brute-force reference


def overlap(a, b):
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def gap_minutes(a, b):
    def minutes(moment):
        return moment.hour * 60 + moment.minute

    return max(minutes(b.starts_at) - minutes(a.ends_at), minutes(a.starts_at) - minutes(b.ends_at))


def brute_force(bookings, travel_minutes):
    """Every pair against every rule, the obvious way."""
    result = []
    for a, b in combinations(bookings, 2):
        keys = tuple(sorted((a.key, b.key)))
        shared = a.presenter_ids & b.presenter_ids
        same_group = a.class_group_id is not None and a.class_group_id == b.class_group_id
        if shared and a.day == b.day and overlap(a, b):
            result.append(("presenter_overlap", keys, {"presenter_id": min(shared)}))
        if (
            shared
            and a.day == b.day
            and a.place != b.place
            and not overlap(a, b)
            and gap_minutes(a, b) < travel_minutes
        ):
            values = {"presenter_id": min(shared), "minutes": gap_minutes(a, b)}
            result.append(("travel_time", keys, values))
        if same_group and a.day == b.day and overlap(a, b):
            result.append(("group_overlap", keys, {"class_group_id": a.class_group_id}))
        if same_group and a.module is not None and a.module == b.module:
            values = {"class_group_id": a.class_group_id, "module": a.module}
            result.append(("same_module_twice", keys, values))
    return sorted(result, key=lambda c: (c[0], c[1]))


def clock_time(minutes):
    return time(minutes // 60, minutes % 60)


def bookings_from(spans):
    return [
        Booking(
            key=key,
            place=school,
            day=day,
            starts_at=clock_time(starts),
            ends_at=clock_time(starts + length),
            presenter_ids=presenters,
            class_group_id=group,
            module=module,
        )
        for key, (school, day, starts, length, presenters, group, module) in enumerate(spans)
    ]


# Up to 12 bookings crowded into two days, two schools and a few people, on a
# 5-minute grid so that touching and equal times come up often; in any order.
booking_sets = (
    st.lists(
        st.tuples(
            st.sampled_from([SCHOOL, OTHER_SCHOOL]),
            st.sampled_from([MONDAY, TUESDAY]),
            st.integers(min_value=0, max_value=30).map(lambda n: 8 * 60 + 5 * n),
            st.integers(min_value=1, max_value=15).map(lambda n: 5 * n),
            st.frozensets(st.sampled_from([1, 2, 3]), max_size=3),
            st.sampled_from([None, 1, 2]),
            st.sampled_from([None, "a", "b"]),
        ),
        max_size=12,
    )
    .map(bookings_from)
    .flatmap(st.permutations)
)


@settings(max_examples=200, deadline=None)
@given(bookings=booking_sets, travel_minutes=st.sampled_from([0, 10, 30, 60]))
def test_find_conflicts_agrees_with_a_brute_force_search(bookings, travel_minutes):
    assert found(bookings, travel_minutes=travel_minutes) == brute_force(bookings, travel_minutes)
