"""Rules for service centres, schools, bell schedules, years, days off and class groups."""

import re
from datetime import datetime, time

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.db import LOCAL_ZONE, utcnow
from app.regions.services import limited_regions, only_in_regions, region_rule
from app.schools.models import (
    GRADES,
    BellPeriod,
    ClassGroup,
    DayOff,
    DayOffKind,
    School,
    SchoolYear,
    ServiceCentre,
)


class SchoolError(Exception):
    """A rule of schools was broken; `code` names which, `values` fill the message."""

    code = "school_error"

    def __init__(self, **values):
        super().__init__(self.code)
        self.values = values


class DuplicateName(SchoolError):
    code = "duplicate_name"


class BadBellSchedule(SchoolError):
    code = "bad_bell_schedule"


class BadDates(SchoolError):
    code = "bad_dates"


class InUse(SchoolError):
    code = "in_use"


class OutsideRegions(SchoolError):
    """A user limited to regions would put a school or centre in another one."""

    code = "outside_regions"


def _check_region(region_code, regions):
    if regions is not None and region_code not in regions:
        raise OutsideRegions(region=region_code)


PERIOD_RE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_bell_schedule(text):
    """[(start, end), …] from '08:15-09:30 09:40-10:55 …' (spaces, commas or lines).

    Raises BadBellSchedule(period=…) for the first period that is not a valid
    time range, ends before it starts or overlaps the one before.
    """
    periods = []
    for item in re.split(r"[\s,;]+", (text or "").strip()):
        if not item:
            continue
        match = PERIOD_RE.match(item)
        try:
            start = time(int(match[1]), int(match[2]))
            end = time(int(match[3]), int(match[4]))
        except (TypeError, ValueError):
            raise BadBellSchedule(period=item) from None
        if end <= start or (periods and start < periods[-1][1]):
            raise BadBellSchedule(period=item)
        periods.append((start, end))
    return periods


def format_bell_schedule(periods):
    return " ".join(f"{p.starts_at:%H:%M}-{p.ends_at:%H:%M}" for p in periods)


def list_service_centres(session, regions=None, *, keep=None):
    """The centres in `regions` (every one when None), and the centre of id
    `keep` whatever its region (the one a school being edited already has)."""
    statement = select(ServiceCentre)
    if regions is not None:
        statement = statement.where(
            or_(region_rule(ServiceCentre, regions), ServiceCentre.id == keep)
        )
    return session.exec(statement.order_by(ServiceCentre.name)).all()


def school_counts(session, regions=None):
    """{centre id: its number of schools in `regions`}."""
    statement = only_in_regions(
        select(School.service_centre_id, func.count()), School, regions
    ).group_by(School.service_centre_id)
    return dict(session.exec(statement).all())


def save_service_centre(session, *, centre=None, name, region_code, regions=None):
    """Create or update a centre; `region_code` is one of the 17 (the
    database refuses any other) and, for a user limited to `regions`, one of
    theirs (OutsideRegions)."""
    _check_region(region_code, regions)
    name = name.strip()
    existing = session.exec(select(ServiceCentre).where(ServiceCentre.name == name)).first()
    if existing is not None and existing is not centre:
        raise DuplicateName(name=name)
    centre = centre or ServiceCentre(name=name, region_code=region_code)
    centre.name, centre.region_code = name, region_code
    session.add(centre)
    session.flush()
    return centre


def search_schools(session, *, page, query="", regions=None):
    """One page of schools (app/paging.py) by name (matching `query` in name or
    city), only in `regions` when given (a user limited to regions); (schools, total)."""
    if "\x00" in query:
        # No name holds one (forms refuse it), and PostgreSQL refuses one in text.
        return [], 0
    statement = only_in_regions(select(School), School, regions)
    if query:
        like = f"%{query.strip().lower()}%"
        statement = statement.where(
            or_(func.lower(School.name).like(like), func.lower(School.city).like(like))
        )
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    schools = session.exec(page.of(statement.order_by(School.name, School.id))).all()
    return schools, total


def list_all_schools(session, regions=None):
    statement = only_in_regions(select(School), School, regions)
    return session.exec(statement.order_by(School.name, School.id)).all()


def may_see_school(session, user, school_id):
    """Whether `user` may see what names this school (None: what names no
    school belongs to no region, and every region sees it)."""
    limited = limited_regions(session, user)
    if limited is None or school_id is None:
        return True
    school = session.get(School, school_id)
    return school is not None and school.region_code in limited


def save_school(session, *, school=None, values, bell_schedule, regions=None):
    """Create or update a school with its bell periods (all or nothing). An
    empty `region_code` is its service centre's. A user limited to `regions`
    keeps the school in one of them (OutsideRegions)."""
    periods = parse_bell_schedule(bell_schedule)
    if not values.get("region_code"):
        centre = session.get(ServiceCentre, values["service_centre_id"])
        values = {**values, "region_code": centre.region_code if centre else ""}
    _check_region(values["region_code"], regions)
    name = values["name"].strip()
    duplicate = session.exec(
        select(School).where(
            School.service_centre_id == values["service_centre_id"], School.name == name
        )
    ).first()
    if duplicate is not None and duplicate is not school:
        raise DuplicateName(name=name)
    school = school or School(**{**values, "name": name})
    for key, value in values.items():
        setattr(school, key, value.strip() if isinstance(value, str) else value)
    school.updated_at = utcnow()
    if school.periods:
        # Deleted first: the new periods reuse their (school, number) pairs.
        school.periods.clear()
        session.flush()
    school.periods = [
        BellPeriod(number=n, starts_at=start, ends_at=end)
        for n, (start, end) in enumerate(periods, start=1)
    ]
    session.add(school)
    session.flush()
    return school


def list_school_years(session):
    return session.exec(select(SchoolYear).order_by(SchoolYear.starts_on.desc())).all()


def current_school_year(session, *, today):
    """The year containing `today`, else the next one, else the latest."""
    years = list_school_years(session)
    for year in years:
        if year.starts_on <= today <= year.ends_on:
            return year
    upcoming = [y for y in years if y.starts_on > today]
    if upcoming:
        return min(upcoming, key=lambda y: y.starts_on)
    return years[0] if years else None


def create_school_year(session, *, starts_on, ends_on):
    if ends_on <= starts_on or (ends_on - starts_on).days > 366:
        raise BadDates()
    label = f"{starts_on.year}-{ends_on.year}"
    if session.exec(select(SchoolYear).where(SchoolYear.label == label)).first():
        raise DuplicateName(name=label)
    year = SchoolYear(label=label, starts_on=starts_on, ends_on=ends_on)
    session.add(year)
    session.flush()
    return year


def add_day_off(
    session, *, school_year, starts_on, ends_on, kind, reason, centre=None, school=None
):
    kind = DayOffKind(kind)
    if ends_on < starts_on or starts_on < school_year.starts_on or ends_on > school_year.ends_on:
        raise BadDates()
    day_off = DayOff(
        school_year_id=school_year.id,
        starts_on=starts_on,
        ends_on=ends_on,
        kind=kind,
        reason=reason.strip(),
        service_centre_id=centre.id if centre else None,
        school_id=school.id if school else None,
    )
    session.add(day_off)
    session.flush()
    return day_off


def list_days_off(session, *, school_year, regions=None):
    """The year's days off: with `regions`, those of their schools and
    centres, and the province-wide ones."""
    statement = select(DayOff).where(DayOff.school_year_id == school_year.id)
    statement = only_in_regions(statement, DayOff, regions)
    return session.exec(statement.order_by(DayOff.starts_on, DayOff.id)).all()


def list_class_groups(session, *, school, school_year):
    return session.exec(
        select(ClassGroup)
        .where(ClassGroup.school_id == school.id, ClassGroup.school_year_id == school_year.id)
        .order_by(ClassGroup.grade, ClassGroup.name)
    ).all()


def save_class_group(session, *, group=None, school, school_year, grade, name, teacher_name, size):
    if grade not in GRADES:
        raise ValueError(grade)
    name = name.strip()
    duplicate = session.exec(
        select(ClassGroup).where(
            ClassGroup.school_id == school.id,
            ClassGroup.school_year_id == school_year.id,
            ClassGroup.name == name,
        )
    ).first()
    if duplicate is not None and duplicate is not group:
        raise DuplicateName(name=name)
    group = group or ClassGroup(school_id=school.id, school_year_id=school_year.id)
    group.grade, group.name = grade, name
    group.teacher_name, group.size = teacher_name.strip(), size
    session.add(group)
    session.flush()
    return group


def delete(session, *, thing):
    """Delete `thing`, or raise InUse (and change nothing) if records still refer to it."""
    try:
        with session.begin_nested():
            session.delete(thing)
    except IntegrityError:
        raise InUse() from None


def local_today():
    return datetime.now(LOCAL_ZONE).date()
