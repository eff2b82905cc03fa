"""Class sessions as a schedule: who, where, what and when, for pages and feeds.

The agenda, the school's share page, the schedule PDF and the calendar feeds
all show the same thing: sessions with their school, class group, module and
bell times. `scheduled_sessions` builds it in four queries, whatever the count.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import select

from app.accounts.models import User
from app.curriculum.models import CurriculumModule
from app.scheduling.ical import ZONE
from app.schools.models import BellPeriod, ClassGroup, School
from app.visits.models import ClassSession, SessionPresenter, SessionStatus, Visit, VisitStatus


@dataclass(frozen=True)
class ScheduledSession:
    session: ClassSession
    visit: Visit
    school: School
    group: ClassGroup
    module: CurriculumModule
    starts_at: time | None  # None if the school's bell schedule lost the period
    ends_at: time | None
    presenters: tuple[str, ...]

    @property
    def cancelled(self):
        return (
            self.session.status == SessionStatus.CANCELLED
            or self.visit.status == VisitStatus.CANCELLED
        )

    def start(self):
        return datetime.combine(self.session.on_date, self.starts_at, tzinfo=ZONE)

    def end(self):
        return datetime.combine(self.session.on_date, self.ends_at, tzinfo=ZONE)


def scheduled_sessions(
    session,
    *,
    presenter=None,
    school=None,
    visit=None,
    since=None,
    until=None,
    live_only=False,
    status=None,
):
    """Sessions in date and period order, filtered by any of the arguments.

    `presenter`: a user, their sessions; `school`, `visit`: that one's; `since`
    and `until`: dates, inclusive; `live_only`: neither the session nor its
    visit is cancelled; `status`: sessions in that status only.
    """
    query = (
        select(ClassSession, Visit, School, ClassGroup, CurriculumModule)
        .join(Visit, Visit.id == ClassSession.visit_id)
        .join(School, School.id == Visit.school_id)
        .join(ClassGroup, ClassGroup.id == ClassSession.class_group_id)
        .join(CurriculumModule, CurriculumModule.id == ClassSession.module_id)
        .order_by(ClassSession.on_date, ClassSession.first_period, ClassSession.id)
    )
    if presenter is not None:
        query = query.where(
            ClassSession.id.in_(
                select(SessionPresenter.session_id).where(SessionPresenter.user_id == presenter.id)
            )
        )
    if school is not None:
        query = query.where(Visit.school_id == school.id)
    if visit is not None:
        query = query.where(ClassSession.visit_id == visit.id)
    if since is not None:
        query = query.where(ClassSession.on_date >= since)
    if until is not None:
        query = query.where(ClassSession.on_date <= until)
    if status is not None:
        query = query.where(ClassSession.status == status)
    if live_only:
        query = query.where(
            ClassSession.status != SessionStatus.CANCELLED,
            Visit.status != VisitStatus.CANCELLED,
        )
    rows = session.exec(query).all()
    if not rows:
        return []
    periods = {
        (p.school_id, p.number): p
        for p in session.exec(
            select(BellPeriod).where(BellPeriod.school_id.in_({r[2].id for r in rows}))
        ).all()
    }
    names = {}
    for session_id, name in session.exec(
        select(SessionPresenter.session_id, User.name)
        .join(User, User.id == SessionPresenter.user_id)
        .where(SessionPresenter.session_id.in_([r[0].id for r in rows]))
        .order_by(User.name)
    ).all():
        names.setdefault(session_id, []).append(name)
    found = []
    for class_session, visit_, school_, group, module in rows:
        number = class_session.first_period
        first = periods.get((school_.id, number))
        last = periods.get((school_.id, number + class_session.period_count - 1))
        found.append(
            ScheduledSession(
                session=class_session,
                visit=visit_,
                school=school_,
                group=group,
                module=module,
                starts_at=first.starts_at if first and last else None,
                ends_at=last.ends_at if first and last else None,
                presenters=tuple(names.get(class_session.id, ())),
            )
        )
    return found


def presenters_by_session(session, session_ids):
    """{session id: {user ids of its presenters}}."""
    rows = session.exec(
        select(SessionPresenter).where(SessionPresenter.session_id.in_(session_ids))
    ).all()
    found = {}
    for row in rows:
        found.setdefault(row.session_id, set()).add(row.user_id)
    return found


def presenter_names(session, *, visit):
    """{session id: [presenter names]} for the visit's sessions."""
    rows = session.exec(
        select(SessionPresenter.session_id, User.name)
        .join(User, User.id == SessionPresenter.user_id)
        .join(ClassSession, ClassSession.id == SessionPresenter.session_id)
        .where(ClassSession.visit_id == visit.id)
        .order_by(User.name)
    ).all()
    names = {}
    for session_id, name in rows:
        names.setdefault(session_id, []).append(name)
    return names


def by_day(rows):
    """[(date, [rows of that day])], in order."""
    days = {}
    for row in rows:
        days.setdefault(row.session.on_date, []).append(row)
    return sorted(days.items())


def modules_of(rows):
    """The distinct modules of these rows, in the program's order."""
    found = {row.module.id: row.module for row in rows}
    return sorted(found.values(), key=lambda m: (m.sort_order, m.slug))


def shared_visits(session, *, school, today: date, days_back=60):
    """The school's visits a share page shows: not cancelled, not long over."""
    return session.exec(
        select(Visit)
        .where(
            Visit.school_id == school.id,
            Visit.status != VisitStatus.CANCELLED,
            Visit.ends_on >= today - timedelta(days=days_back),
        )
        .order_by(Visit.starts_on)
    ).all()
