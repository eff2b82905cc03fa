"""Distribution records: the rules for recording one, listing and deleting.

`record_distribution` checks every value first and raises DistributionError
with a code per field, adding nothing, or adds the record (flush only: the
request commits).
"""

from datetime import date

from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import User
from app.campaigns.models import DistributionRecord
from app.regions.services import only_in_regions
from app.schools.models import School
from app.security import Role

COUNTS = ("posters", "flyers", "kiosk_students")
MAX_COUNT = 100_000
NOTE_LENGTH = 500
# Who records and reads the records (admins always may).
RECORDERS = (Role.COORDINATOR, Role.PREVENTION_WORKER, Role.YOUTH_WORKER)


class DistributionError(Exception):
    """Nothing was saved; `problems` is {field: code}."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


# The largest id either database stores (SQLite's INTEGER, PostgreSQL's
# bigint): a larger number from the form names no school, and SQLite's driver
# refuses to even look it up (OverflowError, which was a 500).
LARGEST_ID = 2**63 - 1


def check_record(session, *, campaigns, values, today, regions=None):
    """{field: problem code} of a record about to be made ({} when it may be).

    `campaigns` is the campaigns' catalogue (`get_campaigns()`), `values` has
    campaign_slug, school_id, on_date, posters, flyers, campaign_day,
    kiosk_students and note; `today` is the local day. With `regions` (the
    recorder's, when limited: app/regions), a school outside them is unknown.
    """
    problems = {}
    slug = values.get("campaign_slug")
    if not slug or campaigns.get(slug) is None:
        problems["campaign_slug"] = "unknown_campaign"
    school_id = values.get("school_id")
    if not _school_exists(session, school_id, regions):
        problems["school_id"] = "unknown_school"
    on_date = values.get("on_date")
    if not isinstance(on_date, date):
        problems["on_date"] = "required"
    elif on_date > today:
        problems["on_date"] = "future"
    for name in COUNTS:
        if not _is_count(values.get(name)):
            problems[name] = "count"
    if len(values.get("note") or "") > NOTE_LENGTH:
        problems["note"] = "too_long"
    counts_valid = not problems.keys() & set(COUNTS)
    if counts_valid and not values.get("campaign_day") and not any(values[n] for n in COUNTS):
        problems["nothing"] = "nothing"
    placed = not problems.keys() & {"campaign_slug", "school_id", "on_date"}
    if (
        values.get("campaign_day")
        and placed
        and _campaign_day_recorded(session, slug=slug, school_id=school_id, on_date=on_date)
    ):
        problems["campaign_day"] = "day_recorded"
    return problems


def _school_exists(session, school_id, regions):
    """Whether `school_id` names a school in `regions` (any school when None)."""
    if not isinstance(school_id, int) or not 0 < school_id <= LARGEST_ID:
        return False
    found = select(School.id).where(School.id == school_id)
    return session.exec(only_in_regions(found, School, regions)).first() is not None


def _campaign_day_recorded(session, *, slug, school_id, on_date):
    """A campaign day held at a school on a day counts once, whoever records it."""
    return (
        session.exec(
            select(DistributionRecord.id).where(
                DistributionRecord.campaign_slug == slug,
                DistributionRecord.school_id == school_id,
                DistributionRecord.on_date == on_date,
                DistributionRecord.campaign_day,
            )
        ).first()
        is not None
    )


def record_distribution(session, *, campaigns, values, by, today, regions=None):
    """Add the record of `values`, made by `by`; DistributionError when a value breaks a rule."""
    problems = check_record(
        session, campaigns=campaigns, values=values, today=today, regions=regions
    )
    if problems:
        raise DistributionError(problems)
    record = DistributionRecord(
        campaign_slug=values["campaign_slug"],
        school_id=values["school_id"],
        on_date=values["on_date"],
        posters=values["posters"],
        flyers=values["flyers"],
        campaign_day=bool(values.get("campaign_day")),
        kiosk_students=values["kiosk_students"],
        note=(values.get("note") or "").strip(),
        recorded_by_id=by.id if by is not None else None,
    )
    session.add(record)
    session.flush()
    return record


def _listed(query, campaign_slug, regions):
    if campaign_slug:
        query = query.where(DistributionRecord.campaign_slug == campaign_slug)
    return only_in_regions(query, DistributionRecord, regions)


def count_records(session, *, campaign_slug=None, regions=None):
    query = select(func.count()).select_from(DistributionRecord)
    return session.exec(_listed(query, campaign_slug, regions)).one()


def list_records(session, *, campaign_slug=None, regions=None, page=None):
    """[(record, school name, recorder's name or None)], the latest day first:
    all of them, or those of `page` (an app.paging.Page)."""
    query = (
        select(DistributionRecord, School.name, User.name)
        .join(School, School.id == DistributionRecord.school_id)
        .outerjoin(User, User.id == DistributionRecord.recorded_by_id)
        .order_by(DistributionRecord.on_date.desc(), DistributionRecord.id.desc())
    )
    query = _listed(query, campaign_slug, regions)
    return session.exec(page.of(query) if page else query).all()


def may_delete(user, record):
    """The record's author, or a coordinator (or an admin)."""
    return user.has_role(Role.COORDINATOR) or (
        record.recorded_by_id is not None and record.recorded_by_id == user.id
    )


def delete_record(session, *, record):
    session.delete(record)
    session.flush()
