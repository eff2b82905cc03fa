"""Presentations in their presenters' calendar feeds (written by
app/scheduling/ical.py, with the class sessions and the campaigns).

As for class sessions: one VEVENT per presentation, a UID that never changes,
SEQUENCE from the presentation's revision, and a cancelled presentation kept
with STATUS:CANCELLED so calendars remove it.
"""

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from sqlmodel import select

from app.accounts.models import User
from app.presentations.messages import audience_labels
from app.presentations.models import Presentation, PresentationPresenter, PresentationStatus
from app.scheduling.ical import ZONE, FeedEvent, uid


def presentation_uid(presentation_id):
    return uid(f"presentation-{presentation_id}")


def presentation_event(presentation, *, presenter_names, lang):
    summary = _(
        "Presentation: %(organisation)s (%(audience)s)",
        organisation=presentation.organisation,
        audience=audience_labels()[presentation.audience],
    )
    url = url_for(
        "presentations.detail", lang=lang, presentation_id=presentation.id, _external=True
    )
    presenters = _("Presenters: %(names)s", names=", ".join(presenter_names))
    cancelled = presentation.status == PresentationStatus.CANCELLED
    return FeedEvent(
        uid=presentation_uid(presentation.id),
        sequence=presentation.revision,
        stamp=presentation.updated_at,
        modified=presentation.updated_at,
        starts=datetime.combine(presentation.on_date, presentation.starts_at, ZONE),
        ends=datetime.combine(presentation.on_date, presentation.ends_at, ZONE),
        summary=summary,
        location=_("Online") if presentation.online else presentation.place,
        description="\n".join([presenters, url]),
        url=url,
        status="CANCELLED" if cancelled else "CONFIRMED",
    )


def presentation_events(session, *, user, since, lang):
    """The event of each presentation `user` presents from `since` on."""
    found = session.exec(
        select(Presentation)
        .join(PresentationPresenter)
        .where(PresentationPresenter.user_id == user.id, Presentation.on_date >= since)
        .order_by(Presentation.on_date, Presentation.starts_at)
    ).all()
    names = {}
    for presentation_id, name in session.exec(
        select(PresentationPresenter.presentation_id, User.name)
        .join(User, User.id == PresentationPresenter.user_id)
        .where(PresentationPresenter.presentation_id.in_([p.id for p in found]))
        .order_by(User.name)
    ):
        names.setdefault(presentation_id, []).append(name)
    return [presentation_event(p, presenter_names=names.get(p.id, []), lang=lang) for p in found]
