"""The visit planner, called directly: placements, the conflict rules, and a property test."""

from collections import Counter
from dataclasses import replace
from datetime import date, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.booking import Booking
from app.scheduling.conflicts import find_conflicts
from app.scheduling.planner import GroupDemand, Plan, PlanRequest, Unplaced, propose_schedule

SCHOOL = 1
# Two school weeks: Monday 2025-03-03 to Friday 2025-03-14.
DAYS = tuple(
    date(2025, 3, 3) + timedelta(days=i)
    for i in range(14)
    if (date(2025, 3, 3) + timedelta(days=i)).weekday() < 5
)
FOUR_PERIODS = (
    (time(8, 30), time(9, 45)),
    (time(10, 0), time(11, 15)),
    (time(12, 30), time(13, 45)),
    (time(14, 0), time(15, 15)),
)
SEQUENCE = {"sec2": ("consent", "online", "gangs"), "sec3": ("recruit", "exploit", "help")}


def make_request(**overrides):
    """Six groups (three per grade), three modules each, two workers, ten days of four periods."""
    values = {
        "school_id": SCHOOL,
        "days": DAYS,
        "periods": FOUR_PERIODS,
        "groups": tuple(GroupDemand(g, "sec2" if g <= 3 else "sec3") for g in range(1, 7)),
        "sequence": SEQUENCE,
        "workers": (10, 20),
    }
    return PlanRequest(**(values | overrides))


def booking(key, day, starts_at, ends_at, *, presenters=(), group=None, module=None, school=SCHOOL):
    return Booking(
        key=key,
        place=school,
        day=day,
        starts_at=starts_at,
        ends_at=ends_at,
        presenter_ids=frozenset(presenters),
        class_group_id=group,
        module=module,
    )


def new_conflicts(request, plan):
    """The conflicts that involve a booking of the plan, among it and the existing ones."""
    everything = [*plan.bookings, *request.locked, *request.other_bookings]
    new_keys = {b.key for b in plan.bookings}
    found = find_conflicts(everything, travel_minutes=request.travel_minutes)
    return [(c.kind, c.keys) for c in found if new_keys & set(c.keys)]


def by_group(plan):
    groups = {}
    for b in sorted(plan.bookings, key=lambda b: (b.day, b.starts_at)):
        groups.setdefault(b.class_group_id, []).append(b)
    return groups


def test_normal_visit_places_everything_in_order_on_distinct_days():
    request = make_request()
    plan = propose_schedule(request)

    assert plan.unplaced == ()
    assert len(plan.bookings) == 18
    assert new_conflicts(request, plan) == []
    for group, sessions in by_group(plan).items():
        grade = "sec2" if group <= 3 else "sec3"
        assert tuple(b.module for b in sessions) == SEQUENCE[grade]
        indexes = [DAYS.index(b.day) for b in sessions]
        # Spread out: at least one day without the module between two sessions.
        assert all(later - earlier >= 2 for earlier, later in pairwise(indexes))
        assert len({b.presenter_ids for b in sessions}) == 1  # the group keeps its worker
    for b in plan.bookings:
        assert b.key == ("new", b.class_group_id, b.module)
        assert b.place == SCHOOL and (b.starts_at, b.ends_at) in FOUR_PERIODS
        assert len(b.presenter_ids) == 1
    load = Counter(w for b in plan.bookings for w in b.presenter_ids)
    assert load == {10: 9, 20: 9}


def test_locked_bookings_stay_and_the_sequence_continues_after_them():
    locked = (
        booking("s1", DAYS[2], *FOUR_PERIODS[1], presenters={20}, group=1, module="consent"),
        # Worker 10 is taken for two periods on day 6.
        booking(
            "s2",
            DAYS[6],
            FOUR_PERIODS[0][0],
            FOUR_PERIODS[1][1],
            presenters={10},
            group=4,
            module="exploit",
        ),
    )
    request = make_request(locked=locked)
    plan = propose_schedule(request)

    assert plan.unplaced == ()
    assert new_conflicts(request, plan) == []
    assert not {b.key for b in plan.bookings} & {"s1", "s2"}
    group_1 = by_group(plan)[1]
    assert [b.module for b in group_1] == ["online", "gangs"]
    assert all(b.day > DAYS[2] for b in group_1)
    assert {b.presenter_ids for b in group_1} == {frozenset({20})}  # keeps its locked worker
    group_4 = by_group(plan)[4]
    assert [b.module for b in group_4] == ["recruit", "help"]
    assert group_4[0].day < DAYS[6] < group_4[1].day


def test_a_locked_later_module_bounds_the_earlier_ones():
    locked = (booking("s1", DAYS[1], *FOUR_PERIODS[0], presenters={10}, group=1, module="gangs"),)
    request = make_request(groups=(GroupDemand(1, "sec2"),), locked=locked)
    plan = propose_schedule(request)

    assert [(b.module, b.day) for b in plan.bookings] == [("consent", DAYS[0])]
    assert plan.unplaced == (Unplaced(1, "online", "no_free_period"),)


def test_other_bookings_block_the_worker_with_travel_time():
    periods = ((time(9, 0), time(10, 20)), (time(10, 40), time(12, 0)), (time(13, 0), time(14, 0)))
    elsewhere = booking("away", DAYS[0], time(8, 0), time(10, 30), presenters={10}, school=2)
    request = make_request(
        days=DAYS[:1],
        periods=periods,
        groups=(GroupDemand(1, "sec2"),),
        sequence={"sec2": ("consent",)},
        workers=(10,),
        other_bookings=(elsewhere,),
    )

    (placed,) = propose_schedule(request).bookings
    assert placed.starts_at == time(13, 0)  # 10:40 leaves ten minutes to travel

    (placed,) = propose_schedule(replace(request, travel_minutes=10)).bookings
    assert placed.starts_at == time(10, 40)

    # The same booking at this school leaves no travel to do: only the overlap counts.
    here = replace(request, other_bookings=(replace(elsewhere, place=SCHOOL),))
    (placed,) = propose_schedule(here).bookings
    assert placed.starts_at == time(10, 40)


def test_an_other_booking_moves_the_session_to_another_worker():
    elsewhere = tuple(
        booking(("away", d), day, time(8, 0), time(16, 0), presenters={10}, school=2)
        for d, day in enumerate(DAYS)
    )
    request = make_request(other_bookings=elsewhere)
    plan = propose_schedule(request)

    assert plan.unplaced == ()
    assert {b.presenter_ids for b in plan.bookings} == {frozenset({20})}


def test_unavailable_periods_are_never_used():
    free = (DAYS[5], 2)
    unavailable = frozenset(
        (10, day, p) for day in DAYS for p in range(len(FOUR_PERIODS)) if (day, p) != free
    )
    request = make_request(
        groups=(GroupDemand(1, "sec2"),),
        sequence={"sec2": ("consent", "online")},
        workers=(10,),
        unavailable=unavailable,
    )
    plan = propose_schedule(request)

    assert [(b.module, b.day, b.starts_at) for b in plan.bookings] == [
        ("consent", DAYS[5], FOUR_PERIODS[2][0])
    ]
    assert plan.unplaced == (Unplaced(1, "online", "no_free_period"),)


def test_already_delivered_modules_are_not_planned_again():
    request = make_request(already_delivered=frozenset({(1, "consent"), (5, "help")}))
    plan = propose_schedule(request)

    assert plan.unplaced == ()
    assert [b.module for b in by_group(plan)[1]] == ["online", "gangs"]
    assert [b.module for b in by_group(plan)[5]] == ["recruit", "exploit"]
    assert len(plan.bookings) == 16


def test_too_much_demand_is_unplaced_with_reasons_and_the_rest_planned():
    request = make_request(
        days=DAYS[:2],
        periods=FOUR_PERIODS[:1],
        groups=(GroupDemand(1, "sec2"), GroupDemand(2, "sec2"), GroupDemand(3, "sec3")),
        sequence={"sec2": ("consent", "online", "gangs"), "sec3": ("help",)},
        workers=(10,),
    )
    plan = propose_schedule(request)

    assert new_conflicts(request, plan) == []
    assert len(plan.bookings) == 2
    reasons = {(u.class_group_id, u.module): u.reason for u in plan.unplaced}
    assert reasons[1, "gangs"] == reasons[2, "gangs"] == "sequence_too_long"
    assert set(reasons.values()) == {"sequence_too_long", "no_free_period"}
    placed = {(b.class_group_id, b.module) for b in plan.bookings}
    assert len(placed) + len(reasons) == 7
    assert not placed & reasons.keys()


def test_an_empty_team_leaves_every_demand_unplaced():
    request = make_request(workers=(), already_delivered=frozenset({(2, "consent")}))
    plan = propose_schedule(request)

    assert plan.bookings == ()
    assert len(plan.unplaced) == 17
    assert {u.reason for u in plan.unplaced} == {"no_workers"}
    assert plan.unplaced[0] == Unplaced(1, "consent", "no_workers")


def test_two_presenters_per_session():
    plan = propose_schedule(make_request(presenters_per_session=2))
    assert len(plan.bookings) == 18
    assert {b.presenter_ids for b in plan.bookings} == {frozenset({10, 20})}

    short = propose_schedule(make_request(workers=(10,), presenters_per_session=2))
    assert short.bookings == () and {u.reason for u in short.unplaced} == {"no_workers"}

    with pytest.raises(ValueError):
        propose_schedule(make_request(presenters_per_session=0))


def test_same_request_same_plan():
    locked = (booking("s1", DAYS[3], *FOUR_PERIODS[2], presenters={20}, group=2, module="online"),)
    request = make_request(locked=locked, unavailable=frozenset({(10, DAYS[0], 0)}))
    assert propose_schedule(request) == propose_schedule(replace(request))


def test_a_large_visit_is_planned():
    periods = tuple((time(8 + i, 0), time(8 + i, 50)) for i in range(6))
    request = make_request(
        periods=periods,
        groups=tuple(GroupDemand(g, "sec2" if g % 2 else "sec3") for g in range(1, 26)),
        sequence={"sec2": ("a", "b", "c", "d"), "sec3": ("e", "f", "g", "h")},
        workers=(10, 20, 30),
    )
    plan = propose_schedule(request)

    assert plan.unplaced == ()
    assert len(plan.bookings) == 100
    assert new_conflicts(request, plan) == []
    load = Counter(w for b in plan.bookings for w in b.presenter_ids)
    assert max(load.values()) - min(load.values()) <= 8


# The property test: random small visits, with bookings elsewhere and locked sessions.

PROPERTY_PERIODS = tuple((time(8 + i, 10), time(9 + i, 0)) for i in range(4))
PROPERTY_SEQUENCE = {"sec2": ("m1", "m2", "m3"), "sec3": ("n1", "n2")}


@st.composite
def plan_requests(draw):
    days = DAYS[: draw(st.integers(1, 4))]
    periods = PROPERTY_PERIODS[: draw(st.integers(1, 4))]
    groups = tuple(
        GroupDemand(g, draw(st.sampled_from(["sec2", "sec3"])))
        for g in range(1, draw(st.integers(1, 4)) + 1)
    )
    workers = tuple(range(10, 10 + draw(st.integers(0, 3))))
    people = st.frozensets(st.sampled_from((*workers, 99)), max_size=2)
    group_modules = [(g.class_group_id, m) for g in groups for m in PROPERTY_SEQUENCE[g.grade]]
    travel = draw(st.sampled_from([-15, 0, 15, 30, 60]))

    locked_specs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(days),
                st.integers(0, len(periods) - 1),
                st.integers(1, 2),  # periods long
                people,
                st.sampled_from([*group_modules, *((g.class_group_id, None) for g in groups)]),
            ),
            max_size=5,
        )
    )
    other_specs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(days),
                st.integers(7 * 6, 15 * 6),  # start, in tens of minutes
                st.integers(2, 12),  # length, in tens of minutes
                people,
                st.sampled_from([SCHOOL, 2, 3]),
                st.sampled_from([None, *group_modules]),
            ),
            max_size=6,
        )
    )
    candidates = []
    for n, (day, first, length, presenters, (group, module)) in enumerate(locked_specs):
        last = min(first + length - 1, len(periods) - 1)
        candidates.append(
            (
                "locked",
                booking(
                    ("locked", n),
                    day,
                    periods[first][0],
                    periods[last][1],
                    presenters=presenters,
                    group=group,
                    module=module,
                ),
            )
        )
    for n, (day, start, length, presenters, school, demand) in enumerate(other_specs):
        starts_at = time(start // 6, start % 6 * 10)
        end = start + length
        group, module = demand or (None, None)
        candidates.append(
            (
                "other",
                booking(
                    ("other", n),
                    day,
                    starts_at,
                    time(end // 6, end % 6 * 10),
                    presenters=presenters,
                    group=group,
                    module=module,
                    school=school,
                ),
            )
        )
    # The existing bookings must be conflict-free among themselves: keep those that are.
    kept = []
    for origin, candidate in candidates:
        if not find_conflicts([*(b for _, b in kept), candidate], travel_minutes=travel):
            kept.append((origin, candidate))

    unavailable = draw(
        st.frozensets(
            st.tuples(
                st.sampled_from(workers), st.sampled_from(days), st.integers(0, len(periods) - 1)
            ),
            max_size=8,
        )
        if workers
        else st.just(frozenset())
    )
    return PlanRequest(
        school_id=SCHOOL,
        days=days,
        periods=periods,
        groups=groups,
        sequence=PROPERTY_SEQUENCE,
        workers=workers,
        unavailable=unavailable,
        other_bookings=tuple(b for origin, b in kept if origin == "other"),
        locked=tuple(b for origin, b in kept if origin == "locked"),
        already_delivered=draw(st.frozensets(st.sampled_from(group_modules), max_size=3)),
        travel_minutes=travel,
        presenters_per_session=draw(st.integers(1, 2)),
    )


@settings(max_examples=200, deadline=None, database=None)
@given(request=plan_requests())
def test_plans_never_conflict_and_account_for_every_demand(request):
    plan = propose_schedule(request)
    assert plan == propose_schedule(request)
    assert isinstance(plan, Plan)

    assert new_conflicts(request, plan) == []

    existing = [*request.locked, *request.other_bookings]
    taken = {(b.class_group_id, b.module) for b in existing} | request.already_delivered
    demand = {
        (g.class_group_id, m)
        for g in request.groups
        for m in request.sequence[g.grade]
        if (g.class_group_id, m) not in taken
    }
    placed = [(b.class_group_id, b.module) for b in plan.bookings]
    unplaced = [(u.class_group_id, u.module) for u in plan.unplaced]
    assert len(placed) + len(unplaced) == len(demand)
    assert set(placed) | set(unplaced) == demand
    assert {u.reason for u in plan.unplaced} <= {
        "no_free_period",
        "no_workers",
        "sequence_too_long",
    }
    if len(request.workers) < request.presenters_per_session:
        assert plan.bookings == ()

    for b in plan.bookings:
        assert b.key == ("new", b.class_group_id, b.module)
        assert b.place == SCHOOL and b.day in request.days
        period = request.periods.index((b.starts_at, b.ends_at))
        assert len(b.presenter_ids) == request.presenters_per_session
        assert b.presenter_ids <= set(request.workers)
        assert not any((w, b.day, period) in request.unavailable for w in b.presenter_ids)

    # A group's modules come in sequence order, on different days (locked ones included).
    grade = {g.class_group_id: g.grade for g in request.groups}
    new_keys = {b.key for b in plan.bookings}
    sessions = [b for b in (*plan.bookings, *existing) if b.class_group_id in grade]
    for a in sessions:
        for b in sessions:
            if a.key not in new_keys or a.class_group_id != b.class_group_id or a is b:
                continue
            order = request.sequence[grade[a.class_group_id]]
            if b.module in order and order.index(b.module) < order.index(a.module):
                assert b.day < a.day
            if b.module in order and order.index(b.module) > order.index(a.module):
                assert b.day > a.day
