"""Who is busy when: class sessions and presentations as Bookings, read from
the database.

One place answers it for every rule, so that the conflict rules (one person,
one place; travel time between places) hold across visits and presentations:
a visit's conflicts, a presentation's, the planner's other bookings and
"find a time" all see each person's sessions and presentations the same way.
The tables are read through app/scheduling/tables.py.
"""

from sqlmodel import and_, or_, select

from app.curriculum.models import CurriculumModule
from app.scheduling.booking import Booking
from app.scheduling.tables import (
    CANCELLED,
    class_session,
    presentation,
    presentation_presenter,
    session_presenter,
    visit,
)
from app.schools.models import BellPeriod


def _by_key(session, key, user_id, keys):
    """{key: {user ids}} of a link table's rows whose `key` is in `keys`."""
    found = {}
    for row_key, user in session.exec(select(key, user_id).where(key.in_(keys))).all():
        found.setdefault(row_key, set()).add(user)
    return found


# Class sessions ---------------------------------------------------------------


def class_session_bookings(session, class_sessions):
    """Bookings (times from each school's bell schedule) for the live ones of
    `class_sessions` (models or rows); a session whose periods its school no
    longer has is left out."""
    live = [s for s in class_sessions if s.status != CANCELLED]
    schools = dict(
        session.exec(
            select(visit.c.id, visit.c.school_id).where(visit.c.id.in_({s.visit_id for s in live}))
        ).all()
    )
    periods = {
        (p.school_id, p.number): p
        for p in session.exec(
            select(BellPeriod).where(BellPeriod.school_id.in_(set(schools.values())))
        ).all()
    }
    presenters = _by_key(
        session, session_presenter.c.session_id, session_presenter.c.user_id, [s.id for s in live]
    )
    slugs = dict(session.exec(select(CurriculumModule.id, CurriculumModule.slug)).all())
    bookings = []
    for s in live:
        school_id = schools[s.visit_id]
        first = periods.get((school_id, s.first_period))
        last = periods.get((school_id, s.first_period + s.period_count - 1))
        if first is None or last is None:
            continue
        bookings.append(
            Booking(
                key=s.id,
                place=school_id,
                day=s.on_date,
                starts_at=first.starts_at,
                ends_at=last.ends_at,
                presenter_ids=frozenset(presenters.get(s.id, ())),
                class_group_id=s.class_group_id,
                module=slugs.get(s.module_id),
            )
        )
    return bookings


def class_sessions_booked(session, *, days, user_ids, class_group_ids=()):
    """Bookings of the live class sessions that any of `user_ids` presents on
    one of `days`, and of those of `class_group_ids` (any day)."""
    presented = select(session_presenter.c.session_id).where(
        session_presenter.c.user_id.in_(user_ids)
    )
    rows = session.exec(
        select(*class_session.c).where(
            class_session.c.status != CANCELLED,
            or_(
                and_(class_session.c.on_date.in_(days), class_session.c.id.in_(presented)),
                class_session.c.class_group_id.in_(class_group_ids),
            ),
        )
    ).all()
    return class_session_bookings(session, rows)


# Presentations ----------------------------------------------------------------


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
    link = presentation_presenter.c
    return _by_key(session, link.presentation_id, link.user_id, presentation_ids)


def presentation_bookings(session, *, days, user_ids):
    """Bookings of the presentations, not cancelled, that any of `user_ids`
    presents on one of `days`."""
    if not days or not user_ids:
        return []
    presented = select(presentation_presenter.c.presentation_id).where(
        presentation_presenter.c.user_id.in_(user_ids)
    )
    found = session.exec(
        select(*presentation.c).where(
            presentation.c.on_date.in_(days),
            presentation.c.status != CANCELLED,
            presentation.c.id.in_(presented),
        )
    ).all()
    presenters = presenters_of(session, [p.id for p in found])
    return [booking_of(p, presenters.get(p.id, ())) for p in found]


def booked(session, *, days, user_ids, class_group_ids=()):
    """Everything booked for any of `user_ids` on `days` (class sessions and
    presentations), and the class sessions of `class_group_ids`."""
    return [
        *class_sessions_booked(
            session, days=days, user_ids=user_ids, class_group_ids=class_group_ids
        ),
        *presentation_bookings(session, days=days, user_ids=user_ids),
    ]
