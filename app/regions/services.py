"""Whose view is limited to which regions.

The rule, in one place: an admin sees every region; any other staff member
with rows in `user_region` sees only those regions (school list, school pages,
reports, exports and the API); one with none is provincial and sees them all.
"""

from sqlalchemy import and_, or_
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


def may_see_school(session, user, school_id):
    """Whether `user` may see what names this school (None: what names no
    school belongs to no region, and every region sees it)."""
    from app.schools.models import School

    limited = limited_regions(session, user)
    if limited is None or school_id is None:
        return True
    school = session.get(School, school_id)
    return school is not None and school.region_code in limited


def in_regions(model, regions):
    """A condition: `model`'s row lies in `regions` through its school, or,
    for a row that names no school, its own service centre (when it has
    one). The reports' rule too (app/reports/reach.py)."""
    from app.schools.models import School, ServiceCentre

    schools = select(School.id).where(School.region_code.in_(regions))
    condition = model.school_id.in_(schools)
    if hasattr(model, "service_centre_id"):
        centres = select(ServiceCentre.id).where(ServiceCentre.region_code.in_(regions))
        condition = or_(
            condition, and_(model.school_id.is_(None), model.service_centre_id.in_(centres))
        )
    return condition
