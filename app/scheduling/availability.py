"""Workers' absences: times they cannot present, which the planner and
presentations' conflicts respect."""

from sqlmodel import select

from app.scheduling.booking import seconds
from app.scheduling.models import Absence


class AbsenceError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def add_absence(session, *, user, on_date, starts_at=None, ends_at=None, note=""):
    """Record an absence: the whole day when both times are empty."""
    if (starts_at is None) != (ends_at is None):
        raise AbsenceError("both_times")
    if starts_at is not None and starts_at >= ends_at:
        raise AbsenceError("order")
    absence = Absence(
        user_id=user.id, on_date=on_date, starts_at=starts_at, ends_at=ends_at, note=note.strip()
    )
    session.add(absence)
    session.flush()
    return absence


def absences_of(session, *, user, since):
    return session.exec(
        select(Absence)
        .where(Absence.user_id == user.id, Absence.on_date >= since)
        .order_by(Absence.on_date, Absence.starts_at)
    ).all()


class AbsenceSpan:
    """An absence as seconds since midnight: the whole day when it has no times."""

    def __init__(self, row):
        self.user_id, self.on_date = row.user_id, row.on_date
        self.starts = 0 if row.starts_at is None else seconds(row.starts_at)
        self.ends = 24 * 3600 if row.ends_at is None else seconds(row.ends_at)

    def covers(self, starts, ends):
        return self.starts < ends and starts < self.ends


def absence_spans(session, *, user_ids, days):
    """The absences of `user_ids` on `days`, as AbsenceSpans."""
    rows = session.exec(
        select(Absence).where(Absence.user_id.in_(user_ids), Absence.on_date.in_(days))
    ).all()
    return [AbsenceSpan(row) for row in rows]


def unavailable_slots(session, *, worker_ids, days, periods):
    """{(worker id, day, period index)} the planner must leave free.

    `periods` are the school's (start, end) times in order; an absence covers
    a period it overlaps, and every period when it is for the whole day.
    """
    absences = session.exec(
        select(Absence).where(Absence.user_id.in_(worker_ids), Absence.on_date.in_(days))
    ).all()
    return frozenset(
        (a.user_id, a.on_date, index)
        for a in absences
        for index, (start, end) in enumerate(periods)
        if a.starts_at is None or (a.starts_at < end and start < a.ends_at)
    )
