"""The visit planner: a proposed timetable of class sessions, as plain data.

`propose_schedule()` is pure and deterministic, so it can be property-tested
against the conflict rules without a database. It is greedy, in rounds: every
group's first module still to teach, then every group's second, and so on, so
that no group takes all the early days. A module tries the days nearest its
ideal day (the group's sequence spread evenly over the visit, staggered from
group to group so the days fill evenly), then the periods of that day; its
presenters are the group's own if they are free, else the least loaded.

A demand that cannot be placed without breaking a rule is returned in
`unplaced` with a stable reason code, never as a conflicting booking.
"""

from dataclasses import dataclass
from datetime import date, time

from app.scheduling.booking import Booking, needs_travel, seconds

NO_FREE_PERIOD = "no_free_period"  # no day/period where the group and enough workers are free
NO_WORKERS = "no_workers"  # the team cannot staff a session (empty, or too small)
SEQUENCE_TOO_LONG = "sequence_too_long"  # more modules than free days for the group


@dataclass(frozen=True)
class GroupDemand:
    class_group_id: int
    grade: str  # "sec2", "sec3", …


@dataclass(frozen=True)
class PlanRequest:
    school_id: int
    days: tuple[date, ...]  # the visit's school days, in order
    periods: tuple[tuple[time, time], ...]  # the school's bell periods, in order
    groups: tuple[GroupDemand, ...]
    sequence: dict  # grade -> tuple of module slugs, in teaching order
    workers: tuple[int, ...]  # the visit's team (presenter ids)
    unavailable: frozenset = frozenset()  # {(worker_id, day, period_index)}, index from 0
    other_bookings: tuple = ()  # these workers' bookings elsewhere: to avoid
    locked: tuple = ()  # this visit's bookings that must stay as they are
    already_delivered: frozenset = frozenset()  # {(class_group_id, module)}: not planned again
    travel_minutes: int = 30
    presenters_per_session: int = 1


@dataclass(frozen=True)
class Unplaced:
    class_group_id: int
    module: str
    reason: str  # NO_FREE_PERIOD | NO_WORKERS | SEQUENCE_TOO_LONG


@dataclass(frozen=True)
class Plan:
    bookings: tuple[Booking, ...]  # the new sessions only; locked ones are not repeated
    unplaced: tuple[Unplaced, ...]


def propose_schedule(request: PlanRequest) -> Plan:
    """Place every group's remaining modules, or say why one could not be placed."""
    if request.presenters_per_session < 1:
        raise ValueError("presenters_per_session must be at least 1")
    state = _State(request)
    groups = _first_of_each(request.groups)
    todo = {g.class_group_id: state.remaining_modules(g) for g in groups}
    reasons = {}
    staffed = len(set(request.workers)) >= request.presenters_per_session
    for gid, modules in todo.items():
        if not staffed:
            reasons.update(dict.fromkeys(((gid, m) for m in modules), NO_WORKERS))
            modules.clear()
            continue
        free_days = [d for d in request.days if d not in state.group_days[gid]]
        reasons.update(
            dict.fromkeys(((gid, m) for m in modules[len(free_days) :]), SEQUENCE_TOO_LONG)
        )
        del modules[len(free_days) :]

    for round_ in range(max((len(m) for m in todo.values()), default=0)):
        for rank, group in enumerate(groups):
            modules = todo[group.class_group_id]
            if round_ < len(modules) and not state.place(group, modules[round_], modules, rank):
                reasons[group.class_group_id, modules[round_]] = NO_FREE_PERIOD

    unplaced = tuple(
        Unplaced(class_group_id=g.class_group_id, module=m, reason=reasons[g.class_group_id, m])
        for g in groups
        for m in state.sequence_of(g)
        if (g.class_group_id, m) in reasons
    )
    bookings = sorted(state.new, key=lambda b: (b.day, b.starts_at, b.class_group_id, b.module))
    return Plan(bookings=tuple(bookings), unplaced=unplaced)


def _first_of_each(groups) -> list:
    """The groups in order, a group listed twice counting once (its first listing)."""
    first = {}
    for group in groups:
        first.setdefault(group.class_group_id, group)
    return list(first.values())


class _State:
    """Who is busy when, as the plan grows; checks and records one placement at a time."""

    def __init__(self, request: PlanRequest):
        self.request = request
        self.travel = max(request.travel_minutes, 0) * 60
        self.day_index = {d: i for i, d in enumerate(request.days)}
        self.worker_rank = {w: i for i, w in enumerate(dict.fromkeys(request.workers))}
        self.busy = {}  # (worker, day) -> [(start, end, place)]
        self.group_busy = {}  # (group, day) -> [(start, end)]
        self.group_days = {g.class_group_id: set() for g in request.groups}  # days with a lesson
        self.fixed = {}  # (group, module) -> [day] of existing sessions
        self.team = {g.class_group_id: set() for g in request.groups}  # who taught the group
        self.load = dict.fromkeys(self.worker_rank, 0)
        self.new = []
        for booking in (*request.locked, *request.other_bookings):
            self._record(booking)
        for booking in request.locked:
            for worker in booking.presenter_ids & self.load.keys():
                self.load[worker] += 1
                if booking.class_group_id in self.team:
                    self.team[booking.class_group_id].add(worker)

    def _record(self, booking: Booking):
        span = (seconds(booking.starts_at), seconds(booking.ends_at))
        for worker in booking.presenter_ids:
            self.busy.setdefault((worker, booking.day), []).append((*span, booking.place))
        if booking.class_group_id is not None:
            group = booking.class_group_id
            self.group_busy.setdefault((group, booking.day), []).append(span)
            if booking.module is not None:
                self.group_days.setdefault(group, set()).add(booking.day)
                self.fixed.setdefault((group, booking.module), []).append(booking.day)

    def sequence_of(self, group: GroupDemand) -> tuple:
        return tuple(dict.fromkeys(self.request.sequence.get(group.grade, ())))

    def remaining_modules(self, group: GroupDemand) -> list:
        gid = group.class_group_id
        return [
            m
            for m in self.sequence_of(group)
            if (gid, m) not in self.request.already_delivered and (gid, m) not in self.fixed
        ]

    def place(self, group: GroupDemand, module: str, todo: list, rank: int) -> bool:
        """Book `module` for `group` on the best free day and period; False if none."""
        for day in self._candidate_days(group, module, todo, rank):
            option = self._best_option(group.class_group_id, day)
            if option is not None:
                period, workers = option
                self._book(group.class_group_id, module, day, period, workers)
                return True
        return False

    def _candidate_days(self, group: GroupDemand, module: str, todo: list, rank: int) -> list:
        gid = group.class_group_id
        # Existing sessions (locked, elsewhere, planned) bound the order, even of a module
        # also marked delivered; modules delivered before the visit only shape the spread.
        sequence = self.sequence_of(group)
        position = sequence.index(module)
        before = [d for m in sequence[:position] for d in self.fixed.get((gid, m), ())]
        after = [d for m in sequence[position + 1 :] for d in self.fixed.get((gid, m), ())]
        window = [
            d
            for d in self.request.days
            if (not before or d > max(before))
            and (not after or d < min(after))
            and d not in self.group_days[gid]
        ]
        # Keep the last days of the window for the modules that must follow before the
        # next locked one; they are only a fallback for this module.
        next_fixed = next(
            (i for i, m in enumerate(sequence) if i > position and (gid, m) in self.fixed),
            len(sequence),
        )
        still_to_come = sum(1 for m in todo if position < sequence.index(m) < next_fixed)
        main = window[: max(0, len(window) - still_to_come)]
        reserve = window[len(main) :]

        taught = [
            m
            for m in sequence
            if (gid, m) in self.fixed or (gid, m) not in self.request.already_delivered
        ]
        n_days = len(self.request.days)
        step = max(1, n_days // len(taught))
        slack = max(0, n_days - 1 - (len(taught) - 1) * step)
        ideal = rank % (slack + 1) + taught.index(module) * step
        if before:
            ideal = max(ideal, max(self.day_index.get(d, -1) for d in before) + step)
        main.sort(key=lambda d: (abs(self.day_index[d] - ideal), d))
        return main + reserve

    def _best_option(self, group: int, day: date):
        """The period and presenters for a session of `group` on `day`, or None.

        The group's own presenters count first, then the earliest period.
        """
        per_session = self.request.presenters_per_session
        best = None
        for period, (starts_at, ends_at) in enumerate(self.request.periods):
            start, end = seconds(starts_at), seconds(ends_at)
            if any(start < e and s < end for s, e in self.group_busy.get((group, day), ())):
                continue
            free = [
                w
                for w in self.worker_rank
                if (w, day, period) not in self.request.unavailable
                and not self._clashes(w, day, start, end)
            ]
            if len(free) < per_session:
                continue
            free.sort(key=lambda w: (w not in self.team[group], self.load[w], self.worker_rank[w]))
            chosen = free[:per_session]
            score = (sum(w not in self.team[group] for w in chosen), period)
            if best is None or score < best[0]:
                best = (score, period, chosen)
        return None if best is None else best[1:]

    def _clashes(self, worker: int, day: date, start: int, end: int) -> bool:
        """Overlaps a booking of the worker, or leaves too little time to travel."""
        for s, e, place in self.busy.get((worker, day), ()):
            gap = self.travel if needs_travel(place, self.request.school_id) else 0
            if start < e + gap and s < end + gap:
                return True
        return False

    def _book(self, group: int, module: str, day: date, period: int, workers: list):
        starts_at, ends_at = self.request.periods[period]
        booking = Booking(
            key=("new", group, module),
            place=self.request.school_id,
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
            presenter_ids=frozenset(workers),
            class_group_id=group,
            module=module,
        )
        self.new.append(booking)
        self._record(booking)
        for worker in workers:
            self.load[worker] += 1
            self.team[group].add(worker)
