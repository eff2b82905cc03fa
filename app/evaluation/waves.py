"""A class's questionnaire: which modules it asks about, which wave is open.

A class group's sessions in a visit (those not cancelled) decide everything:
the "before" wave belongs to its first session's day, the "after" wave to
its last session's day, and each accepts answers from the day before to the
day after (a session moved by a day, a class that answers at home that
evening). When the two windows meet (a class seen once, or two days in a
row), both waves are open: the slide's link names the wave
(`?wave=before` on the first slide, `after` on the last), and without it
the student says which.

The statements are those of every module planned or delivered for the
class in the visit, in the order of its sessions, so the same ones before
and after. At most the class's size × 1.2 students send each wave (a few
come back from absence; a flood does not count): a class whose size was
not entered counts as DEFAULT_CLASS_SIZE.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.evaluation.models import Wave
from app.schools.models import ClassGroup
from app.visits.models import ClassSession, SessionStatus, Visit, VisitStatus

WINDOW = timedelta(days=1)
DEFAULT_CLASS_SIZE = 32


def cap_of(size):
    """The most answers a wave accepts: the class's size × 1.2, rounded up."""
    return -(-(size or DEFAULT_CLASS_SIZE) * 6 // 5)


@dataclass(frozen=True)
class ClassQuestionnaire:
    code: object  # EvaluationCode
    visit: Visit
    group: ClassGroup
    days: dict  # Wave -> the day of its session
    modules: tuple  # CurriculumModule, in the order the class sees them
    cap: int

    def open_waves(self, today):
        """The waves that accept answers on `today`, "before" first."""
        if self.visit.status == VisitStatus.CANCELLED:
            return []
        return [wave for wave in Wave if abs(today - self.days[wave]) <= WINDOW]

    def opens_on(self, today):
        """The next day a wave opens after `today`, or None when none will."""
        later = [day - WINDOW for day in self.days.values() if day - WINDOW > today]
        return min(later, default=None)


def questionnaire_of(session, code):
    """The ClassQuestionnaire of `code`, or None when its class has no session
    left in the visit (all cancelled)."""
    visit = session.get(Visit, code.visit_id)
    rows = session.exec(
        select(ClassSession)
        .where(
            ClassSession.visit_id == code.visit_id,
            ClassSession.class_group_id == code.class_group_id,
            ClassSession.status != SessionStatus.CANCELLED,
        )
        .order_by(ClassSession.on_date, ClassSession.first_period, ClassSession.id)
    ).all()
    if visit is None or not rows:
        return None
    module_ids = list(dict.fromkeys(r.delivered_module_id or r.module_id for r in rows))
    modules = {
        m.id: m
        for m in session.exec(select(CurriculumModule).where(CurriculumModule.id.in_(module_ids)))
    }
    group = session.get(ClassGroup, code.class_group_id)
    return ClassQuestionnaire(
        code=code,
        visit=visit,
        group=group,
        days={Wave.BEFORE: rows[0].on_date, Wave.AFTER: rows[-1].on_date},
        modules=tuple(modules[i] for i in module_ids if i in modules),
        cap=cap_of(group.size),
    )


def first_and_last(session, *, visit):
    """{class group id: (id of its first session, id of its last)} in `visit`."""
    rows = session.exec(
        select(ClassSession.class_group_id, ClassSession.id)
        .where(ClassSession.visit_id == visit.id, ClassSession.status != SessionStatus.CANCELLED)
        .order_by(ClassSession.on_date, ClassSession.first_period, ClassSession.id)
    ).all()
    found = {}
    for group_id, session_id in rows:
        first, _last = found.get(group_id, (session_id, None))
        found[group_id] = (first, session_id)
    return found
