"""Visits and class sessions: creating them, their conflicts, cancelling and
locking them. What a delivered session recorded is in records.py."""

from datetime import timedelta

from sqlmodel import select

from app.accounts.models import User
from app.scheduling import busy
from app.scheduling.conflicts import check_days, conflicts_involving
from app.scheduling.ical import touch
from app.schools import calendar
from app.schools.models import BellPeriod, ClassGroup, School
from app.security import Role
from app.visits.models import (
    ClassSession,
    SessionPresenter,
    SessionStatus,
    Visit,
    VisitStatus,
    VisitWorker,
)

VISIT_DAYS = 10


class VisitError(Exception):
    """A rule of visits was broken; `code` names which, `values` fill the message."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


class SessionConflicts(VisitError):
    """Saving would create conflicts: `conflicts` says which (nothing was saved)."""

    def __init__(self, conflicts):
        super().__init__("conflicts")
        self.conflicts = conflicts


def visit_days(session, *, visit, school=None):
    """The visit's ten school days (weekends and the school's days off skipped)."""
    school = school or session.get(School, visit.school_id)
    return calendar.school_days(session, school=school, start=visit.starts_on, count=VISIT_DAYS)


def create_visit(session, *, school, starts_on, workers, police_officer=None, by=None):
    """A visit of ten school days from `starts_on`, which must be a school day
    of the school: a start the school calendar would move is refused, with
    the reason and the next school day (VisitError "not_a_school_day"), so
    that only the worker ever chooses another."""
    if not workers or any(w.role != Role.PREVENTION_WORKER for w in workers):
        raise VisitError("team")
    if police_officer is not None and police_officer.role != Role.POLICE_OFFICER:
        raise VisitError("police")
    try:
        days = calendar.school_days(session, school=school, start=starts_on, count=VISIT_DAYS)
    except calendar.CalendarError as error:
        raise VisitError(error.code, **error.values) from None
    if days[0] != starts_on:
        raise VisitError(
            "not_a_school_day",
            day=starts_on,
            day_off=calendar.day_off_on(session, school=school, day=starts_on),
            next_day=days[0],
        )
    visit = Visit(
        school_id=school.id,
        starts_on=starts_on,
        ends_on=days[-1],
        created_by_id=by.id if by else None,
    )
    session.add(visit)
    session.flush()
    for member in [*workers, *([police_officer] if police_officer else [])]:
        session.add(VisitWorker(visit_id=visit.id, user_id=member.id))
    session.flush()
    return visit


def team(session, *, visit):
    return session.exec(
        select(User)
        .join(VisitWorker, VisitWorker.user_id == User.id)
        .where(VisitWorker.visit_id == visit.id)
        .order_by(User.name)
    ).all()


NEXT_STATUSES = {
    VisitStatus.PLANNED: (VisitStatus.CONFIRMED, VisitStatus.CANCELLED),
    VisitStatus.CONFIRMED: (VisitStatus.DONE, VisitStatus.PLANNED, VisitStatus.CANCELLED),
    VisitStatus.DONE: (),
    VisitStatus.CANCELLED: (),
}


def set_visit_status(session, *, visit, status):
    """Move the visit to `status`. Its sessions' events change with it in the
    calendars (tentative, confirmed, cancelled: app/visits/feeds.py), so each
    session's SEQUENCE goes up."""
    status = VisitStatus(status)
    if status not in NEXT_STATUSES[visit.status]:
        raise VisitError("status", status=status.value)
    visit.status = status
    for class_session in visit.sessions:
        touch(class_session)
    session.flush()


def _periods(session, school_ids):
    rows = session.exec(select(BellPeriod).where(BellPeriod.school_id.in_(school_ids))).all()
    return {(p.school_id, p.number): p for p in rows}


def visit_conflicts(session, *, visit, travel_minutes):
    """Every conflict that involves one of this visit's sessions (presentations
    of the same people count too)."""
    own = [s for s in visit.sessions if s.status != SessionStatus.CANCELLED]
    if not own:
        return []
    own_bookings = busy.class_session_bookings(session, own)
    others = busy.booked(
        session,
        days={s.on_date for s in own},
        user_ids={p for b in own_bookings for p in b.presenter_ids},
        class_group_ids={s.class_group_id for s in own},
    )
    school = session.get(School, visit.school_id)
    days = set(visit_days(session, visit=visit, school=school))
    days_off = calendar.days_off_for_school(
        session,
        school=school,
        starts_on=visit.starts_on - timedelta(days=7),
        ends_on=visit.ends_on + timedelta(days=7),
    )
    found = conflicts_involving(own_bookings, others, travel_minutes=travel_minutes)
    return found + check_days(own_bookings, visit_days=days, days_off=days_off)


def add_session(
    session,
    *,
    visit,
    class_group,
    module,
    on_date,
    first_period,
    period_count=1,
    room="",
    presenters,
    travel_minutes,
):
    """Add a class session, or raise SessionConflicts (and add nothing)."""
    if class_group.school_id != visit.school_id:
        raise VisitError("group")
    _check_periods(session, visit=visit, first_period=first_period, period_count=period_count)
    new = ClassSession(
        visit_id=visit.id,
        class_group_id=class_group.id,
        module_id=module.id,
        on_date=on_date,
        first_period=first_period,
        period_count=period_count,
        room=room.strip(),
    )
    with session.no_autoflush:
        visit.sessions.append(new)
        session.flush()
        for person in presenters:
            session.add(SessionPresenter(session_id=new.id, user_id=person.id))
        session.flush()
        conflicts = visit_conflicts(session, visit=visit, travel_minutes=travel_minutes)
        mine = [c for c in conflicts if new.id in c.keys]
    if mine:
        raise SessionConflicts(mine)
    return new


def _check_periods(session, *, visit, first_period, period_count):
    periods = _periods(session, [visit.school_id])
    last = first_period + period_count - 1
    if (visit.school_id, first_period) not in periods or (visit.school_id, last) not in periods:
        raise VisitError("period")


def update_session(
    session,
    *,
    class_session,
    module,
    on_date,
    first_period,
    period_count,
    room,
    presenters,
    travel_minutes,
):
    """Move or change a planned session, or raise SessionConflicts.

    On conflicts the session is left changed in the database session: the
    caller rolls back, so nothing of the change is saved.
    """
    if class_session.status != SessionStatus.PLANNED:
        raise VisitError("status", status=class_session.status.value)
    visit = class_session.visit
    _check_periods(session, visit=visit, first_period=first_period, period_count=period_count)
    with session.no_autoflush:
        class_session.module_id = module.id
        class_session.on_date = on_date
        class_session.first_period = first_period
        class_session.period_count = period_count
        class_session.room = room.strip()
        rows = session.exec(
            select(SessionPresenter).where(SessionPresenter.session_id == class_session.id)
        ).all()
        wanted = {p.id for p in presenters}
        for row in rows:
            if row.user_id not in wanted:
                session.delete(row)
        for user_id in wanted - {row.user_id for row in rows}:
            session.add(SessionPresenter(session_id=class_session.id, user_id=user_id))
        touch(class_session)
        session.flush()
        conflicts = visit_conflicts(session, visit=visit, travel_minutes=travel_minutes)
        mine = [c for c in conflicts if class_session.id in c.keys]
    if mine:
        raise SessionConflicts(mine)
    return class_session


def cancel_session(session, *, class_session, reason):
    if class_session.status != SessionStatus.PLANNED:
        raise VisitError("status", status=class_session.status.value)
    if not reason.strip():
        raise VisitError("reason")
    class_session.status = SessionStatus.CANCELLED
    class_session.cancel_reason = reason.strip()
    touch(class_session)
    session.flush()


def class_groups_for(session, *, visit):
    year = calendar.school_year_for(session, day=visit.starts_on)
    if year is None:
        return []
    return session.exec(
        select(ClassGroup)
        .where(ClassGroup.school_id == visit.school_id, ClassGroup.school_year_id == year.id)
        .order_by(ClassGroup.grade, ClassGroup.name)
    ).all()


def toggle_lock(session, *, class_session):
    class_session.locked = not class_session.locked
    session.flush()
