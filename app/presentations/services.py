"""Joint presentations: the joint rule, conflicts with visits and other
presentations, the "find a time" helper, what is recorded after."""

from collections import Counter
from datetime import timedelta

from sqlmodel import select

from app.accounts.models import PartnerKind, User
from app.presentations.models import (
    Audience,
    Presentation,
    PresentationModule,
    PresentationPresenter,
    PresentationStatus,
)
from app.scheduling import busy, slots
from app.scheduling.availability import absence_spans
from app.scheduling.booking import Conflict, seconds
from app.scheduling.conflicts import conflicts_involving
from app.scheduling.ical import touch
from app.security import Role

PRESENTER_ABSENT = "presenter_absent"
SEARCH_DAYS = 42  # how far "find a time" looks ahead


class PresentationError(Exception):
    """A rule of presentations was broken; `code` names which (nothing was saved)."""

    def __init__(self, code, **values):
        super().__init__(code)
        self.code = code
        self.values = values


class PresentationConflicts(PresentationError):
    def __init__(self, conflicts):
        super().__init__("conflicts")
        self.conflicts = conflicts


def is_police(user):
    return user.role == Role.POLICE_OFFICER


def is_youth_house(user):
    """A youth-house worker: a prevention worker (the youth house runs the
    workshops), or a youth worker whose organisation is a youth house."""
    if user.role == Role.PREVENTION_WORKER:
        return True
    return (
        user.role == Role.YOUTH_WORKER
        and user.partner is not None
        and user.partner.kind == PartnerKind.YOUTH_HOUSE
    )


def _active(session, role):
    return session.exec(
        select(User).where(User.role == role, User.active).order_by(User.name, User.id)
    ).all()


def police_officers(session):
    return _active(session, Role.POLICE_OFFICER)


def youth_house_workers(session):
    people = [*_active(session, Role.PREVENTION_WORKER), *_active(session, Role.YOUTH_WORKER)]
    return sorted((p for p in people if is_youth_house(p)), key=lambda p: (p.name, p.id))


def check_presenters(presenters):
    """The joint rule: at least one police officer and one youth-house worker."""
    if any(not p.active for p in presenters):
        raise PresentationError("inactive")
    if not any(is_police(p) for p in presenters) or not any(is_youth_house(p) for p in presenters):
        raise PresentationError("joint")


FIELDS = (
    "audience",
    "organisation",
    "school_id",
    "service_centre_id",
    "on_date",
    "starts_at",
    "ends_at",
    "online",
    "place",
    "expected_audience",
    "notes",
)


def _check_values(values):
    if not (values.get("organisation") or "").strip():
        raise PresentationError("organisation")
    if values["starts_at"] >= values["ends_at"]:
        raise PresentationError("time_order")
    if not values.get("online") and not (values.get("place") or "").strip():
        raise PresentationError("place")
    if (values.get("expected_audience") or 0) < 0:
        raise PresentationError("count")
    Audience(values["audience"])


def _replace_links(session, model, presentation_id, column, wanted):
    rows = session.exec(select(model).where(model.presentation_id == presentation_id)).all()
    for row in rows:
        if getattr(row, column) not in wanted:
            session.delete(row)
    for value in wanted - {getattr(row, column) for row in rows}:
        session.add(model(presentation_id=presentation_id, **{column: value}))


def save_presentation(
    session,
    *,
    presentation=None,
    values,
    presenters,
    modules=(),
    travel_minutes,
    by=None,
):
    """Create or change a planned presentation, or raise (PresentationConflicts
    when its presenters are not free). On an error the caller rolls back."""
    _check_values(values)
    check_presenters(presenters)
    if presentation is None:
        presentation = Presentation(created_by_id=by.id if by else None)
        session.add(presentation)
    elif presentation.status != PresentationStatus.PLANNED:
        raise PresentationError("status")
    for key in FIELDS:
        setattr(presentation, key, values.get(key))
    presentation.organisation = presentation.organisation.strip()
    presentation.place = "" if presentation.online else (presentation.place or "").strip()
    presentation.notes = (presentation.notes or "").strip()
    touch(presentation)
    with session.no_autoflush:
        session.flush()
        _replace_links(
            session,
            PresentationPresenter,
            presentation.id,
            "user_id",
            {p.id for p in presenters},
        )
        _replace_links(
            session, PresentationModule, presentation.id, "module_id", {m.id for m in modules}
        )
        session.flush()
        found = presentation_conflicts(
            session, presentation=presentation, travel_minutes=travel_minutes
        )
    if found:
        raise PresentationConflicts(found)
    return presentation


def presentation_conflicts(session, *, presentation, travel_minutes):
    """The conflicts of a presentation with class sessions, other presentations
    and its presenters' absences."""
    if presentation.status == PresentationStatus.CANCELLED:
        return []
    ids = busy.presenters_of(session, [presentation.id]).get(presentation.id, set())
    own = busy.booking_of(presentation, ids)
    days = {presentation.on_date}
    others = busy.booked(session, days=days, user_ids=ids)
    found = conflicts_involving([own], others, travel_minutes=travel_minutes)
    start, end = seconds(own.starts_at), seconds(own.ends_at)
    for absent in sorted(
        {a.user_id for a in absence_spans(session, user_ids=ids, days=days) if a.covers(start, end)}
    ):
        found.append(Conflict(PRESENTER_ABSENT, (own.key,), {"presenter_id": absent}))
    return found


def find_times(
    session,
    *,
    start,
    duration_minutes,
    place,
    police=None,
    worker=None,
    travel_minutes,
    limit=5,
):
    """The first free slots from `start` (weekdays, working hours) for a
    police officer and a youth-house worker: the ones given, else anyone,
    those with the fewest presentations coming first."""
    days = [
        start + timedelta(days=n)
        for n in range(SEARCH_DAYS)
        if (start + timedelta(days=n)).weekday() < 5
    ]
    police_ids = [police.id] if police else [p.id for p in police_officers(session)]
    worker_ids = [worker.id] if worker else [w.id for w in youth_house_workers(session)]
    everyone = [*police_ids, *worker_ids]
    taken = {}

    def add(user_id, day, starts, ends, where):
        taken.setdefault((user_id, day), []).append(slots.Busy(starts, ends, where))

    talks = busy.presentation_bookings(session, days=days, user_ids=everyone)
    load = Counter(user_id for b in talks for user_id in b.presenter_ids)
    for b in [*busy.class_sessions_booked(session, days=days, user_ids=everyone), *talks]:
        for user_id in b.presenter_ids:
            add(user_id, b.day, seconds(b.starts_at), seconds(b.ends_at), b.place)
    for a in absence_spans(session, user_ids=everyone, days=days):
        add(a.user_id, a.on_date, a.starts, a.ends, None)
    return slots.free_slots(
        days=days,
        busy=taken,
        police_ids=sorted(police_ids, key=lambda i: load[i]),
        worker_ids=sorted(worker_ids, key=lambda i: load[i]),
        duration_minutes=duration_minutes,
        place=place,
        travel_minutes=travel_minutes,
        limit=limit,
    )


def record_outcome(session, *, presentation, actual_audience, follow_ups, today):
    """After the day: it was held, with its real audience and follow-ups."""
    if presentation.status == PresentationStatus.CANCELLED:
        raise PresentationError("status")
    if presentation.on_date > today:
        raise PresentationError("future")
    if actual_audience is None or actual_audience < 0:
        raise PresentationError("count")
    presentation.status = PresentationStatus.HELD
    presentation.actual_audience = actual_audience
    presentation.follow_ups = (follow_ups or "").strip()
    touch(presentation)
    session.flush()


def cancel_presentation(session, *, presentation, reason):
    if presentation.status != PresentationStatus.PLANNED:
        raise PresentationError("status")
    if not (reason or "").strip():
        raise PresentationError("reason")
    presentation.status = PresentationStatus.CANCELLED
    presentation.cancel_reason = reason.strip()
    touch(presentation)
    session.flush()


def presenters(session, *, presentation):
    return session.exec(
        select(User)
        .join(PresentationPresenter, PresentationPresenter.user_id == User.id)
        .where(PresentationPresenter.presentation_id == presentation.id)
        .order_by(User.name)
    ).all()


def upcoming_for(session, *, user, since, limit=10):
    """The next presentations `user` presents (not cancelled), soonest first."""
    return session.exec(
        select(Presentation)
        .join(PresentationPresenter)
        .where(
            PresentationPresenter.user_id == user.id,
            Presentation.on_date >= since,
            Presentation.status != PresentationStatus.CANCELLED,
        )
        .order_by(Presentation.on_date, Presentation.starts_at)
        .limit(limit)
    ).all()


def is_presenter(session, *, presentation, user):
    return session.get(PresentationPresenter, (presentation.id, user.id)) is not None
