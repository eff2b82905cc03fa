"""A campaign's week against the school calendars of the centres it reaches.

A campaign of a few days (the March week) meant for every school loses its
point where the schools are closed: the March week falls during spring
break in many centres. The campaign's page says so, naming the centres and
their days off, so that the schools there plan it for their school days.

The centres a campaign targets are the school service centres on the list
that have schools: the program's campaigns are for all its schools. A
single school's exceptional day off is not a centre's calendar, and is left
out. A campaign running all year (a whole school year, with every holiday
in it) has nothing to learn from this: only periods of at most
`SHORT_CAMPAIGN_DAYS` are compared.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import select

from app.schools import calendar
from app.schools.models import School, ServiceCentre

SHORT_CAMPAIGN_DAYS = 14


@dataclass(frozen=True)
class Overlap:
    """Days off, within the campaign's dates, shared by some centres."""

    day_off: object  # a DayOff (its kind and reason name it)
    starts_on: date  # within the campaign's dates
    ends_on: date
    centres: tuple  # the centres' names, in order


def targeted_centres(session):
    """The service centres that have schools, by name."""
    return session.exec(
        select(ServiceCentre)
        .where(ServiceCentre.id.in_(select(School.service_centre_id)))
        .order_by(ServiceCentre.name)
    ).all()


def days_off_during(session, *, first, last):
    """[Overlap] of the targeted centres' days off with the campaign's
    [first, last], in date order; the same days off (same dates, same
    reason) of several centres are one Overlap naming them all."""
    if (last - first).days + 1 > SHORT_CAMPAIGN_DAYS:
        return []
    centres = targeted_centres(session)
    names = {c.id: c.name for c in centres}
    found = {}
    for day_off, centre_ids in calendar.centre_days_off(
        session, centre_ids=list(names), starts_on=first, ends_on=last
    ):
        span = (max(day_off.starts_on, first), min(day_off.ends_on, last))
        key = (*span, day_off.kind, day_off.reason)
        entry = found.setdefault(key, (day_off, []))
        entry[1].extend(names[i] for i in centre_ids if names[i] not in entry[1])
    return [
        Overlap(day_off=day_off, starts_on=key[0], ends_on=key[1], centres=tuple(sorted(who)))
        for key, (day_off, who) in found.items()
    ]
