"""What schools ask for, a presentation or a two-week visit: recording the
request, and accepting or declining it. A request is accepted by the form
that plans its presentation or its visit, in the same transaction."""

from sqlmodel import select

from app.db import utcnow
from app.presentations.models import (
    Audience,
    Presentation,
    RequestKind,
    RequestStatus,
    SchoolRequest,
)
from app.presentations.services import PresentationError


def accept_request(session, *, request, by, presentation=None, visit=None):
    """Mark a request accepted, with what was made of it."""
    if request.status != RequestStatus.OPEN:
        raise PresentationError("request_closed")
    expected = RequestKind.PRESENTATION if presentation is not None else RequestKind.VISIT
    if request.kind != expected:
        raise PresentationError("request_kind")
    request.status = RequestStatus.ACCEPTED
    request.decided_by_id = by.id if by else None
    request.decided_at = utcnow()
    if presentation is not None:
        presentation.request_id = request.id
    else:
        request.visit_id = visit.id
    session.flush()


def decline_request(session, *, request, by, message):
    if request.status != RequestStatus.OPEN:
        raise PresentationError("request_closed")
    if not (message or "").strip():
        raise PresentationError("message")
    request.status = RequestStatus.DECLINED
    request.decision_message = message.strip()
    request.decided_by_id = by.id if by else None
    request.decided_at = utcnow()
    session.flush()


REQUEST_FIELDS = (
    "kind",
    "audience",
    "organisation",
    "school_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "preferred_periods",
    "group_count",
    "notes",
)


def create_request(session, *, values, lang):
    """Record a school's request (the form has checked each value)."""
    kind = RequestKind(values["kind"])
    clean = {
        k: (values.get(k) or "").strip() if isinstance(values.get(k), str) else values.get(k)
        for k in REQUEST_FIELDS
    }
    clean["school_id"] = clean["school_id"] or None
    # Each kind keeps only what it asked: an audience, or a number of groups.
    clean["audience"] = Audience(clean["audience"]) if kind == RequestKind.PRESENTATION else None
    clean["kind"] = kind
    clean["group_count"] = clean["group_count"] if kind == RequestKind.VISIT else None
    found = SchoolRequest(**clean, lang=lang)
    session.add(found)
    session.flush()
    return found


def presentation_made(session, *, request):
    """The presentation an accepted request became, or None (the visit one
    became is the request's `visit_id`)."""
    return session.exec(select(Presentation).where(Presentation.request_id == request.id)).first()
