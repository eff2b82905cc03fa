"""Whose view is limited to which regions, and which rows lie in them.

The rule, in one place: an admin sees every region; any other staff member
with rows in `user_region` sees only those regions (school list, school pages,
reports, exports and the API); one with none is provincial and sees them all.

Where a row lies is `region_rule(model, regions)`, one condition per kind of
row. Every view loads a row through `load_in_regions` (a row outside the
user's regions is not found: a 404, as if it did not exist) and limits every
list, count and choice through `only_in_regions`; docs/security.md, "Regions".
"""

import sqlalchemy as sa
from sqlalchemy import and_, false, inspect, or_
from sqlmodel import delete, select

from app.regions.data import CODES
from app.regions.models import UserRegion
from app.security import Role


class UnknownRegion(ValueError):
    """A code that is not one of the 17."""


def user_regions(session, user_id):
    """The user's region codes, in code order ([] for a provincial user)."""
    rows = session.exec(
        select(UserRegion.region_code)
        .where(UserRegion.user_id == user_id)
        .order_by(UserRegion.region_code)
    ).all()
    return list(rows)


def set_user_regions(session, *, user, codes):
    """Replace the user's regions by `codes` (none: provincial). Raises
    UnknownRegion before changing anything."""
    codes = sorted(set(codes))
    unknown = [code for code in codes if code not in CODES]
    if unknown:
        raise UnknownRegion(", ".join(unknown))
    session.exec(delete(UserRegion).where(UserRegion.user_id == user.id))
    session.add_all(UserRegion(user_id=user.id, region_code=code) for code in codes)
    session.flush()
    return codes


def limited_regions(session, user):
    """The region codes `user` is limited to, as a tuple, or None when they
    see every region (admins, and users with no region)."""
    if user is None or not getattr(user, "is_authenticated", True) or user.role == Role.ADMIN:
        return None
    return tuple(user_regions(session, user.id)) or None


def _named_table(column):
    """The table a foreign-key column points at: a row's school, centre or visit.

    Read from the schema, so that this package imports no other domain's
    models (they import this one to limit their lists).
    """
    (key,) = column.foreign_keys
    return key.column.table


def _columns(model):
    return model.c if isinstance(model, sa.Table) else model.__table__.c


def in_regions(model, regions):
    """A condition: `model`'s row lies in `regions` through its school, or,
    for a row that names no school, its own service centre (when it has
    one). The reports' rule too (app/reports/reach.py). `model` may be a
    table (a class session's visit)."""
    columns = _columns(model)
    school = _named_table(columns.school_id)
    condition = columns.school_id.in_(select(school.c.id).where(school.c.region_code.in_(regions)))
    if "service_centre_id" in columns:
        centre = _named_table(columns.service_centre_id)
        centres = select(centre.c.id).where(centre.c.region_code.in_(regions))
        condition = or_(
            condition, and_(columns.school_id.is_(None), columns.service_centre_id.in_(centres))
        )
    return condition


# The largest id either database stores (SQLite's INTEGER, PostgreSQL's
# bigint): SQLite's driver refuses to look up a larger one (OverflowError).
LARGEST_ID = 2**63 - 1


# The models whose place is not their school's, by name (this package
# imports no other domain's models). Schools and centres lie where their own
# code says; a class session and a teacher's feedback where their visit does;
# a partner figure is the whole partnership's, so in no limited view.
BY_OWN_CODE = ("School", "ServiceCentre")
BY_VISIT = ("ClassSession", "TeacherFeedback")
IN_NO_REGION = ("PartnerFigure",)

# What is everyone's when it names no school and no centre: a presentation to
# the public, a request from a school not yet listed, a province-wide day off.
# A question naming no school is no region's, as in the reports.
SHARED_WHEN_PLACELESS = ("Presentation", "SchoolRequest", "DayOff")


def _placeless(model):
    """The condition "names no school and no centre" for the models of
    SHARED_WHEN_PLACELESS (None for the others)."""
    if model.__name__ not in SHARED_WHEN_PLACELESS:
        return None
    condition = model.school_id.is_(None)
    if hasattr(model, "service_centre_id"):
        condition = and_(condition, model.service_centre_id.is_(None))
    return condition


def region_rule(model, regions, *, shared=True):
    """The condition that a row of `model` lies in `regions` (a tuple of codes).

    Schools and centres by their own code; a class session by its visit; a
    partner figure in none; any other row by its school, else its centre
    (`in_regions`). With `shared`, a row that names no place (`_placeless`)
    is in every region; without it (changing a province-wide day off), in none.
    """
    name, columns = model.__name__, _columns(model)
    if name in BY_OWN_CODE:
        return columns.region_code.in_(regions)
    if name in BY_VISIT:
        visit = _named_table(columns.visit_id)
        return columns.visit_id.in_(select(visit.c.id).where(in_regions(visit, regions)))
    if name in IN_NO_REGION:
        return false()
    if "school_id" not in columns:
        raise TypeError(f"no region rule for {name}")
    condition = in_regions(model, regions)
    placeless = _placeless(model)
    if shared and placeless is not None:
        condition = or_(condition, placeless)
    return condition


def only_in_regions(statement, model, regions, *, shared=True):
    """`statement` limited to the rows of `model` in `regions` (unchanged
    when `regions` is None: a provincial user or an admin)."""
    if regions is None:
        return statement
    return statement.where(region_rule(model, regions, shared=shared))


def load_in_regions(session, user, model, key, *, shared=True):
    """The row of `model` with primary key `key`, or None when there is none
    or it lies outside the regions `user` is limited to: the caller answers
    both the same way, so a limited user learns nothing of other regions."""
    if not isinstance(key, int) or not 0 < key <= LARGEST_ID:
        return None
    row = session.get(model, key)
    regions = limited_regions(session, user)
    if row is None or regions is None:
        return row
    (column,) = inspect(model).primary_key
    inside = session.exec(
        select(column).where(column == key, region_rule(model, regions, shared=shared))
    ).first()
    return row if inside is not None else None
