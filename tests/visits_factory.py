"""A school set up for visits: periods, groups, workers, a police officer, a holiday."""

from datetime import date

import pytest
from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.schools.models import DayOff, DayOffKind
from app.security import Role
from app.visits import records, services

TRAVEL = 30


@pytest.fixture
def setting(db, app, create_school, create_group, create_user, school_year):
    """A school with four periods, two groups, two workers, a police officer and
    Thanksgiving off; the curriculum's two test modules mirrored."""
    school = create_school(
        periods=((8, 15, 9, 30), (9, 40, 10, 55), (11, 5, 12, 20), (13, 20, 14, 35))
    )
    db.add(
        DayOff(
            school_year_id=school_year.id,
            starts_on=date(2026, 10, 12),
            ends_on=date(2026, 10, 12),
            kind=DayOffKind.STATUTORY,
            reason="thanksgiving",
        )
    )
    db.commit()
    modules = db.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all()
    return {
        "school": school,
        "groups": [create_group(school, "201", "sec2"), create_group(school, "301", "sec3")],
        "workers": [create_user(Role.PREVENTION_WORKER), create_user(Role.PREVENTION_WORKER)],
        "police": create_user(Role.POLICE_OFFICER),
        "modules": modules,
    }


def make_visit(db, setting, start=date(2026, 10, 6)):
    visit = services.create_visit(
        db,
        school=setting["school"],
        starts_on=start,
        workers=setting["workers"],
        police_officer=setting["police"],
    )
    db.commit()
    return visit


def add_session(db, visit, setting, group=0, module=0, day=date(2026, 10, 6), period=1, worker=0):
    new = services.add_session(
        db,
        visit=visit,
        class_group=setting["groups"][group],
        module=setting["modules"][module],
        on_date=day,
        first_period=period,
        presenters=[setting["workers"][worker]],
        travel_minutes=TRAVEL,
    )
    db.commit()
    return new


# A day after every session of the fixtures' school year: a record is refused
# before its session's day (app/visits/records.py).
AFTER_THE_YEAR = date(2027, 6, 30)


def deliver(db, class_session, *, attendance, module, by=None, today=AFTER_THE_YEAR):
    """Record `class_session` as delivered to `attendance` students."""
    records.record_delivery(
        db,
        class_session=class_session,
        record=records.Record(attendance=attendance, delivered_module_id=module.id),
        by=by,
        today=today,
    )
