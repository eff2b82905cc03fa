"""Factories for service centres, schools, school years and class groups."""

from datetime import date, time

import pytest

from app.schools.models import BellPeriod, ClassGroup, School, SchoolYear, ServiceCentre


@pytest.fixture
def create_centre(db):
    counter = iter(range(1, 10_000))

    def create(name=None, region_code="16"):
        centre = ServiceCentre(
            name=name or f"Centre de services scolaire {next(counter)}", region_code=region_code
        )
        db.add(centre)
        db.commit()
        return centre

    return create


@pytest.fixture
def create_school(db, create_centre):
    counter = iter(range(1, 10_000))

    def create(
        name=None,
        centre=None,
        city="Longueuil",
        periods=((8, 15, 9, 30), (9, 40, 10, 55)),
        region_code=None,
    ):
        centre = centre or create_centre()
        school = School(
            name=name or f"École secondaire {next(counter)}",
            service_centre_id=centre.id,
            city=city,
            region_code=region_code or centre.region_code,
            periods=[
                BellPeriod(number=n, starts_at=time(a, b), ends_at=time(c, d))
                for n, (a, b, c, d) in enumerate(periods, start=1)
            ],
        )
        db.add(school)
        db.commit()
        return school

    return create


@pytest.fixture
def school_year(db):
    year = SchoolYear(label="2026-2027", starts_on=date(2026, 8, 27), ends_on=date(2027, 6, 22))
    db.add(year)
    db.commit()
    return year


@pytest.fixture
def create_group(db, school_year):
    def create(school, name="201", grade="sec2", year=None):
        group = ClassGroup(
            school_id=school.id,
            school_year_id=(year or school_year).id,
            grade=grade,
            name=name,
            teacher_name="Mme Tremblay",
            size=28,
        )
        db.add(group)
        db.commit()
        return group

    return create
