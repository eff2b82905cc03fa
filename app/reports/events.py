"""Reach figures of what happens beside the class sessions: presentations
held, school requests received and accepted, and campaign materials handed
out; what each counts, and how filters and regions apply, is in
app/reports/reach.py."""

from sqlalchemy import case, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from app.campaigns.models import DistributionRecord
from app.presentations.models import Presentation, PresentationStatus, RequestStatus, SchoolRequest
from app.regions.services import in_regions
from app.schools.models import School, ServiceCentre

PRESENTATION_FIGURES = ("presentations_held", "presentation_audience")
REQUEST_FIGURES = ("requests_received", "requests_accepted")
CAMPAIGN_FIGURES = ("campaign_posters", "campaign_flyers", "campaign_days", "kiosk_students")


# Presentations and requests ----------------------------------------------------------


def _place_filter(query, model, filters):
    """Restrict to a school, or a service centre (its own, or its schools'),
    and to regions (its school's; its own centre's when it names no school)."""
    if filters.regions is not None:
        query = query.where(in_regions(model, filters.regions))
    if filters.school_id is not None:
        query = query.where(model.school_id == filters.school_id)
    if filters.service_centre_id is not None:
        in_centre = select(School.id).where(School.service_centre_id == filters.service_centre_id)
        own_centre = (
            model.service_centre_id == filters.service_centre_id
            if hasattr(model, "service_centre_id")
            else literal(False)
        )
        query = query.where(or_(model.school_id.in_(in_centre), own_centre))
    return query


def _held(query, period, filters):
    query = query.where(
        Presentation.status == PresentationStatus.HELD,
        Presentation.on_date >= period.start,
        Presentation.on_date <= period.end,
    )
    return _place_filter(query, Presentation, filters)


def presentation_figures(session, period, filters):
    if filters.sessions_only or filters.topic is not None:
        return dict.fromkeys(PRESENTATION_FIGURES + REQUEST_FIGURES)
    held = session.exec(
        _held(
            select(func.count(), func.coalesce(func.sum(Presentation.actual_audience), 0)),
            period,
            filters,
        )
    ).one()
    start, end = period.utc_bounds()
    accepted = case((SchoolRequest.status == RequestStatus.ACCEPTED, 1), else_=0)
    asked = session.exec(
        _place_filter(
            select(func.count(), func.coalesce(func.sum(accepted), 0)).where(
                SchoolRequest.created_at >= start, SchoolRequest.created_at < end
            ),
            SchoolRequest,
            filters,
        )
    ).one()
    return dict(
        zip(PRESENTATION_FIGURES + REQUEST_FIGURES, (int(v) for v in (*held, *asked)), strict=True)
    )


def presentations_by_region(session, period, filters):
    """[(region code, presentations held, their audience)]; the code is None
    for presentations that name neither a school nor a service centre."""
    if filters.sessions_only or filters.topic is not None:
        return []
    centre = aliased(ServiceCentre)
    region = func.coalesce(School.region_code, centre.region_code)
    query = _held(
        select(region, func.count(), func.coalesce(func.sum(Presentation.actual_audience), 0))
        .select_from(Presentation)
        .outerjoin(School, School.id == Presentation.school_id)
        .outerjoin(centre, centre.id == Presentation.service_centre_id),
        period,
        filters,
    )
    rows = session.exec(query.group_by(region))
    found = [(code, int(n), int(people)) for code, n, people in rows]
    return sorted(found, key=lambda row: (row[0] is None, row[0] or ""))


def presentations_by_audience(session, period, filters):
    """[(audience, presentations held, their audience)]."""
    if filters.sessions_only or filters.topic is not None:
        return []
    query = _held(
        select(
            Presentation.audience,
            func.count(),
            func.coalesce(func.sum(Presentation.actual_audience), 0),
        ),
        period,
        filters,
    )
    rows = session.exec(query.group_by(Presentation.audience).order_by(Presentation.audience))
    return [(str(a), int(n), int(people)) for a, n, people in rows]


# Campaign materials ----------------------------------------------------------------------


def _distributed(query, period, filters):
    query = query.where(
        DistributionRecord.on_date >= period.start, DistributionRecord.on_date <= period.end
    )
    return _place_filter(query, DistributionRecord, filters)


CAMPAIGN_COLUMNS = (
    func.coalesce(func.sum(DistributionRecord.posters), 0),
    func.coalesce(func.sum(DistributionRecord.flyers), 0),
    func.coalesce(func.sum(case((DistributionRecord.campaign_day, 1), else_=0)), 0),
    func.coalesce(func.sum(DistributionRecord.kiosk_students), 0),
)


def campaign_figures(session, period, filters):
    if filters.sessions_only or filters.topic is not None:
        return dict.fromkeys(CAMPAIGN_FIGURES)
    row = session.exec(
        _distributed(select(*CAMPAIGN_COLUMNS).select_from(DistributionRecord), period, filters)
    ).one()
    return dict(zip(CAMPAIGN_FIGURES, (int(v) for v in row), strict=True))


def campaigns_by_campaign(session, period, filters):
    """[(campaign slug, posters, flyers, campaign days, kiosk students)]."""
    if filters.sessions_only or filters.topic is not None:
        return []
    slug = DistributionRecord.campaign_slug
    query = _distributed(select(slug, *CAMPAIGN_COLUMNS), period, filters)
    rows = session.exec(query.group_by(slug).order_by(slug))
    return [(str(key), *(int(v) for v in values)) for key, *values in rows]
