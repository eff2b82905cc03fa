"""Who answers a question: the school's youth workers, else the on-duty pool.

A school's youth workers are those assigned to it, and the youth workers in
the team of its current or last visit. Urgent questions go to the on-duty
pool first. Within a pool, the worker with the fewest open conversations
gets it (then the lowest id, so the choice is reproducible). When nobody is
on duty, any active youth worker; when there is none, nobody: the question
waits unassigned and coordinators see it counted.
"""

import functools

from sqlalchemy import bindparam, case, func, or_
from sqlmodel import select

from app.accounts.models import User
from app.help.errors import HelpError
from app.help.models import Conversation, ConversationStatus, OnDuty, SchoolWorker
from app.security import Role
from app.visits.models import Visit, VisitStatus, VisitWorker


def _active_youth_workers(session, ids=None):
    query = select(User.id).where(User.role == Role.YOUTH_WORKER, User.active)
    if ids is not None:
        query = query.where(User.id.in_(ids))
    return set(session.exec(query).all())


def _last_visit_query(*, school_id, today):
    return (
        select(Visit.id)
        .where(
            Visit.school_id == school_id,
            Visit.starts_on <= today,
            Visit.status != VisitStatus.CANCELLED,
        )
        .order_by(Visit.starts_on.desc())
    )


def _last_visit(session, *, school_id, today):
    """The id of the school's current or last visit that was not cancelled."""
    return session.exec(_last_visit_query(school_id=school_id, today=today)).first()


def visit_team(session, *, school_id, today):
    """The active youth workers of the school's current or last visit, by name."""
    visit_id = _last_visit(session, school_id=school_id, today=today)
    if visit_id is None:
        return []
    return session.exec(
        select(User)
        .join(VisitWorker, VisitWorker.user_id == User.id)
        .where(VisitWorker.visit_id == visit_id, User.role == Role.YOUTH_WORKER, User.active)
        .order_by(User.name, User.id)
    ).all()


def assigned(session, *, school_id):
    """The youth workers assigned to a school by a coordinator, by name."""
    return session.exec(
        select(User)
        .join(SchoolWorker, SchoolWorker.user_id == User.id)
        .where(SchoolWorker.school_id == school_id)
        .order_by(User.name, User.id)
    ).all()


def assignable(session, *, school_id):
    """The active youth workers not yet assigned to a school, by name."""
    taken = select(SchoolWorker.user_id).where(SchoolWorker.school_id == school_id)
    return session.exec(
        select(User)
        .where(User.role == Role.YOUTH_WORKER, User.active, User.id.not_in(taken))
        .order_by(User.name, User.id)
    ).all()


def assign(session, *, school_id, user):
    """Route a school's questions to a youth worker too (once is enough)."""
    if user is None or user.role != Role.YOUTH_WORKER or not user.active:
        raise HelpError("youth_worker")
    if session.get(SchoolWorker, (school_id, user.id)) is None:
        session.add(SchoolWorker(school_id=school_id, user_id=user.id))
        session.flush()


def unassign(session, *, school_id, user_id):
    """Stop routing a school's questions to someone; False if they were not assigned."""
    row = session.get(SchoolWorker, (school_id, user_id))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def on_duty(session):
    return _active_youth_workers(session, set(session.exec(select(OnDuty.user_id))))


def route(session, *, school_id, urgent, today):
    """The id of the youth worker who gets a new question, or None.

    One query: each active youth worker gets the rank of the first pool it
    belongs to (school, on duty, anyone; on duty first when urgent), and the
    lowest rank, then the fewest open conversations, then the lowest id wins.
    The first pool that has anyone holds exactly the workers of that rank, so
    this is "the least busy of the first pool that is not empty", asked once
    instead of once per pool (a question is answered while its class waits)."""
    statement = _route_statement(with_school=bool(school_id), urgent=bool(urgent))
    values = {"school_id": school_id, "today": today} if school_id else {}
    return session.exec(statement, params=values).first()


@functools.cache
def _route_statement(*, with_school, urgent):
    """route's query, made once per process for each case; the school and the
    day are bound parameters."""
    on_duty = User.id.in_(select(OnDuty.user_id))
    ranks = [(on_duty, 0 if urgent else 1)]
    if with_school:
        school_id = bindparam("school_id")
        last_visit = _last_visit_query(school_id=school_id, today=bindparam("today")).limit(1)
        in_school = or_(
            User.id.in_(select(SchoolWorker.user_id).where(SchoolWorker.school_id == school_id)),
            User.id.in_(
                select(VisitWorker.user_id).where(
                    VisitWorker.visit_id == last_visit.scalar_subquery()
                )
            ),
        )
        ranks.insert(urgent, (in_school, 1 if urgent else 0))
    open_now = (
        select(func.count())
        .where(
            Conversation.assigned_to_id == User.id,
            Conversation.status == ConversationStatus.OPEN,
        )
        .correlate(User)
        .scalar_subquery()
    )
    return (
        select(User.id)
        .where(User.role == Role.YOUTH_WORKER, User.active)
        .order_by(case(*ranks, else_=2), open_now, User.id)
        .limit(1)
    )
