"""Workers' absences: times they cannot present, which the planner respects."""

from sqlmodel import select

from app.visits.models import Absence


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
