"""Presentations as bookings, so that the conflict rules of class sessions
(one person, one place; travel time between places) hold across visits and
presentations. The visits' services read these; this module reads only the
presentations' tables, so the two packages do not import each other in a loop.
"""

from sqlmodel import select

from app.presentations.models import Presentation, PresentationPresenter, PresentationStatus
from app.scheduling.booking import Booking


def presentation_key(presentation_id):
    """A booking key that cannot be mistaken for a class session's id."""
    return ("presentation", presentation_id)


def place_of(presentation):
    """Where a presentation is, for travel: its school, else the place's
    folded name, else nowhere (online: no trip to or from it)."""
    if presentation.online:
        return None
    if presentation.school_id is not None:
        return presentation.school_id
    return " ".join(presentation.place.casefold().split()) or None


def booking_of(presentation, presenter_ids):
    return Booking(
        key=presentation_key(presentation.id),
        place=place_of(presentation),
        day=presentation.on_date,
        starts_at=presentation.starts_at,
        ends_at=presentation.ends_at,
        presenter_ids=frozenset(presenter_ids),
    )


def presenters_of(session, presentation_ids):
    """{presentation id: {user ids of its presenters}}."""
    rows = session.exec(
        select(PresentationPresenter).where(
            PresentationPresenter.presentation_id.in_(presentation_ids)
        )
    ).all()
    found = {}
    for row in rows:
        found.setdefault(row.presentation_id, set()).add(row.user_id)
    return found


def presentation_bookings(session, *, days, user_ids):
    """Bookings of the presentations, not cancelled, that any of `user_ids`
    presents on one of `days`."""
    if not days or not user_ids:
        return []
    found = session.exec(
        select(Presentation)
        .join(PresentationPresenter)
        .where(
            Presentation.on_date.in_(days),
            Presentation.status != PresentationStatus.CANCELLED,
            PresentationPresenter.user_id.in_(user_ids),
        )
    ).all()
    presentations = {p.id: p for p in found}
    presenters = presenters_of(session, list(presentations))
    return [booking_of(p, presenters.get(p.id, ())) for p in presentations.values()]
