"""Planning a visit: the planner (app/scheduling/planner.py, pure) run on a
visit, from the database to a PlanRequest and back to class sessions."""

from dataclasses import dataclass

from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.scheduling import busy
from app.scheduling.availability import unavailable_slots
from app.scheduling.planner import GroupDemand, PlanRequest, propose_schedule
from app.schools.models import School
from app.security import Role
from app.visits import services
from app.visits.models import ClassSession, SessionPresenter, SessionStatus


@dataclass
class PlanOutcome:
    placed: int
    unplaced: list  # [(class group, module title row, reason code)]


def plan_visit(session, *, visit, travel_minutes):
    """Replace the visit's unlocked planned sessions with the planner's proposal.

    Locked and delivered sessions stay; what cannot fit is returned, with why.
    """
    school = session.get(School, visit.school_id)
    days = tuple(services.visit_days(session, visit=visit, school=school))
    groups = services.class_groups_for(session, visit=visit)
    modules = session.exec(
        select(CurriculumModule)
        .where(CurriculumModule.active)
        .order_by(CurriculumModule.sort_order)
    ).all()
    by_slug = {m.slug: m for m in modules}
    sequence = {
        grade: tuple(m.slug for m in modules if grade in m.grades.split(","))
        for grade in {g.grade for g in groups}
    }
    workers = [u for u in services.team(session, visit=visit) if u.role == Role.PREVENTION_WORKER]

    for s in [s for s in visit.sessions if s.status == SessionStatus.PLANNED and not s.locked]:
        visit.sessions.remove(s)
    session.flush()
    kept = [s for s in visit.sessions if s.status != SessionStatus.CANCELLED]
    locked = busy.class_session_bookings(session, kept)

    worker_ids = [w.id for w in workers]
    elsewhere = session.exec(
        select(ClassSession)
        .join(SessionPresenter)
        .where(
            ClassSession.on_date.in_(days),
            ClassSession.visit_id != visit.id,
            ClassSession.status != SessionStatus.CANCELLED,
            SessionPresenter.user_id.in_(worker_ids),
        )
    ).all()
    delivered = session.exec(
        select(ClassSession.class_group_id, ClassSession.module_id).where(
            ClassSession.class_group_id.in_([g.id for g in groups]),
            ClassSession.status == SessionStatus.DELIVERED,
        )
    ).all()
    slug_of = {m.id: m.slug for m in modules}
    periods = tuple((p.starts_at, p.ends_at) for p in school.periods)
    request = PlanRequest(
        school_id=school.id,
        days=days,
        periods=periods,
        groups=tuple(GroupDemand(class_group_id=g.id, grade=g.grade) for g in groups),
        sequence=sequence,
        workers=tuple(worker_ids),
        unavailable=unavailable_slots(session, worker_ids=worker_ids, days=days, periods=periods),
        other_bookings=(
            *busy.class_session_bookings(session, {s.id: s for s in elsewhere}.values()),
            *busy.presentation_bookings(session, days=days, user_ids=worker_ids),
        ),
        locked=tuple(locked),
        already_delivered=frozenset((g, slug_of.get(m)) for g, m in delivered),
        travel_minutes=travel_minutes,
    )
    plan = propose_schedule(request)
    numbers = {(p.starts_at, p.ends_at): p.number for p in school.periods}
    for booking in plan.bookings:
        new = ClassSession(
            visit_id=visit.id,
            class_group_id=booking.class_group_id,
            module_id=by_slug[booking.module].id,
            on_date=booking.day,
            first_period=numbers[(booking.starts_at, booking.ends_at)],
        )
        visit.sessions.append(new)
        session.flush()
        for person in booking.presenter_ids:
            session.add(SessionPresenter(session_id=new.id, user_id=person))
    session.flush()
    groups_by_id = {g.id: g for g in groups}
    unplaced = [
        (groups_by_id[u.class_group_id], by_slug[u.module], u.reason) for u in plan.unplaced
    ]
    return PlanOutcome(placed=len(plan.bookings), unplaced=unplaced)
