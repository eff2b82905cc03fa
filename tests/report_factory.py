"""Delivered sessions in bulk, for the reports' tests: rows written directly
(a visit, a class group, a session), without the planner's checks, so that
many schools and months cost little."""

import pytest
from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.schools.models import ClassGroup
from app.visits.models import ClassSession, SessionStatus, Visit, VisitStatus


@pytest.fixture
def deliver(db, school_year):
    """deliver(school, day, attendance, grade="sec2", module=0, done=False):
    one session delivered to the school's group of that grade."""
    groups = {}
    modules = db.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all()

    def make(school, day, attendance, *, grade="sec2", module=0, done=False):
        group = groups.get((school.id, grade))
        if group is None:
            group = ClassGroup(
                school_id=school.id,
                school_year_id=school_year.id,
                grade=grade,
                name=f"{grade}-{len(groups)}",
                teacher_name="Mme Roy",
                size=30,
            )
            db.add(group)
            db.flush()
            groups[school.id, grade] = group
        visit = Visit(
            school_id=school.id,
            starts_on=day,
            ends_on=day,
            status=VisitStatus.DONE if done else VisitStatus.PLANNED,
        )
        db.add(visit)
        db.flush()
        chosen = modules[module]
        db.add(
            ClassSession(
                visit_id=visit.id,
                class_group_id=group.id,
                module_id=chosen.id,
                delivered_module_id=chosen.id,
                on_date=day,
                first_period=1,
                status=SessionStatus.DELIVERED,
                attendance=attendance,
            )
        )
        db.commit()

    return make
