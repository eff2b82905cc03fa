"""Planning a visit: the planner (app/scheduling/planner.py, pure) run on a
visit, from the database to a PlanRequest and back to class sessions.

Planning is two steps, so that nothing changes before the worker has seen
it: `propose_plan` reads and writes nothing, and its Proposal is what the
preview shows (app/visits/plan_preview.py says why a session sits where it
does); `apply_plan` then replaces the visit's unlocked planned sessions with
it. The proposal's `fingerprint` lets the page check, when the worker
confirms, that the plan applied is still the one they saw.
"""

import hashlib
from dataclasses import dataclass, field, replace

from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.scheduling import busy
from app.scheduling.availability import unavailable_slots
from app.scheduling.planner import GroupDemand, PlanRequest, propose_schedule
from app.schools.models import School
from app.security import Role
from app.visits import records, services
from app.visits.models import ClassSession, SessionPresenter, SessionStatus
from app.visits.records import taught_module_id


@dataclass
class Proposal:
    """The planner's proposal for a visit, not applied yet."""

    visit: object
    school: School
    days: tuple  # the visit's school days
    bookings: tuple  # the new sessions (app/scheduling/booking.py), in order
    unplaced: list  # [(class group, module, reason code)]
    replaced: list  # the planned sessions the proposal replaces
    kept: list  # the locked and delivered sessions, which stay
    groups: dict = field(default_factory=dict)  # class group id -> ClassGroup
    modules: dict = field(default_factory=dict)  # slug -> CurriculumModule

    @property
    def fingerprint(self):
        """Names this exact proposal: the same sessions in the same places,
        replacing the same ones, give the same value."""
        parts = [
            (b.day, b.starts_at, b.class_group_id, b.module, sorted(b.presenter_ids))
            for b in self.bookings
        ]
        parts.append(sorted(s.id for s in self.replaced))
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@dataclass
class PlanOutcome:
    placed: int
    unplaced: list  # [(class group, module, reason code)]


def _replaceable(class_session):
    return class_session.status == SessionStatus.PLANNED and not class_session.locked


def propose_plan(session, *, visit, travel_minutes):
    """What the planner would do on this visit now; nothing is written.

    Locked and delivered sessions stay; the other planned ones would be
    replaced; what cannot fit is returned, with why.
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
    slug_of = {m.id: m.slug for m in modules}
    replaced = [s for s in visit.sessions if _replaceable(s)]
    kept = [s for s in visit.sessions if s.status != SessionStatus.CANCELLED and s not in replaced]
    worker_ids = [w.id for w in workers]
    periods = tuple((p.starts_at, p.ends_at) for p in school.periods)
    request = PlanRequest(
        school_id=school.id,
        days=days,
        periods=periods,
        groups=tuple(GroupDemand(class_group_id=g.id, grade=g.grade) for g in groups),
        sequence=sequence,
        workers=tuple(worker_ids),
        unavailable=unavailable_slots(session, worker_ids=worker_ids, days=days, periods=periods),
        other_bookings=_elsewhere(session, visit=visit, days=days, worker_ids=worker_ids),
        locked=_kept_bookings(session, visit=visit, kept=kept, slug_of=slug_of),
        already_delivered=_taught(session, groups=groups, slug_of=slug_of),
        travel_minutes=travel_minutes,
    )
    plan = propose_schedule(request)
    groups_by_id = {g.id: g for g in groups}
    return Proposal(
        visit=visit,
        school=school,
        days=days,
        bookings=plan.bookings,
        unplaced=[
            (groups_by_id[u.class_group_id], by_slug[u.module], u.reason) for u in plan.unplaced
        ],
        replaced=replaced,
        kept=kept,
        groups=groups_by_id,
        modules=by_slug,
    )


def _elsewhere(session, *, visit, days, worker_ids):
    """The team's bookings on the visit's days outside this visit."""
    sessions = session.exec(
        select(ClassSession)
        .join(SessionPresenter)
        .where(
            ClassSession.on_date.in_(days),
            ClassSession.visit_id != visit.id,
            ClassSession.status != SessionStatus.CANCELLED,
            SessionPresenter.user_id.in_(worker_ids),
        )
    ).all()
    return (
        *busy.class_session_bookings(session, {s.id: s for s in sessions}.values()),
        *busy.presentation_bookings(session, days=days, user_ids=worker_ids),
    )


def _kept_bookings(session, *, visit, kept, slug_of):
    """The kept sessions as bookings the planner leaves in place; a delivered
    one stands for the module it taught, not the one it had planned."""
    taught = records.taught_modules(session, visit=visit)
    return tuple(
        replace(b, module=slug_of.get(taught[b.key])) if b.key in taught else b
        for b in busy.class_session_bookings(session, kept)
    )


def _taught(session, *, groups, slug_of):
    """{(class group id, module slug)} the groups were taught: by the module
    each delivered session recorded (records.taught_module_id), never the
    one it had planned."""
    rows = session.exec(
        select(ClassSession.class_group_id, taught_module_id()).where(
            ClassSession.class_group_id.in_([g.id for g in groups]),
            taught_module_id().is_not(None),
        )
    ).all()
    return frozenset((group, slug_of.get(module)) for group, module in rows)


def apply_plan(session, *, proposal):
    """Replace the visit's unlocked planned sessions with the proposal's."""
    visit, school = proposal.visit, proposal.school
    for old in proposal.replaced:
        visit.sessions.remove(old)
    session.flush()
    numbers = {(p.starts_at, p.ends_at): p.number for p in school.periods}
    for booking in proposal.bookings:
        new = ClassSession(
            visit_id=visit.id,
            class_group_id=booking.class_group_id,
            module_id=proposal.modules[booking.module].id,
            on_date=booking.day,
            first_period=numbers[(booking.starts_at, booking.ends_at)],
        )
        visit.sessions.append(new)
        session.flush()
        for person in booking.presenter_ids:
            session.add(SessionPresenter(session_id=new.id, user_id=person))
    session.flush()
    return PlanOutcome(placed=len(proposal.bookings), unplaced=proposal.unplaced)


def plan_visit(session, *, visit, travel_minutes):
    """Propose and apply at once: for the demo data and the tests' set-ups,
    never a page (a page previews first)."""
    proposal = propose_plan(session, visit=visit, travel_minutes=travel_minutes)
    return apply_plan(session, proposal=proposal)
