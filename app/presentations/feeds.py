"""Presentations in their presenters' calendar feeds (the feed itself is
built in app/visits/feeds.py, with the class sessions).

As for class sessions: one VEVENT per presentation, a UID that never changes,
SEQUENCE from the presentation's revision, and a cancelled presentation kept
with STATUS:CANCELLED so calendars remove it.
"""

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from icalendar import Event
from sqlmodel import select

from app.accounts.models import User
from app.presentations.messages import audience_labels
from app.presentations.models import Presentation, PresentationPresenter, PresentationStatus
from app.visits.feeds import UID_DOMAIN, calendar_text
from app.visits.schedule import ZONE


def presentation_uid(presentation_id):
    return f"presentation-{presentation_id}@{UID_DOMAIN}"


def presentation_event(presentation, *, presenter_names, lang):
    event = Event()
    event.add("uid", presentation_uid(presentation.id))
    event.add("sequence", presentation.revision)
    event.add("dtstamp", presentation.updated_at)
    event.add("last-modified", presentation.updated_at)
    event.add("dtstart", datetime.combine(presentation.on_date, presentation.starts_at, ZONE))
    event.add("dtend", datetime.combine(presentation.on_date, presentation.ends_at, ZONE))
    summary = _(
        "Presentation: %(organisation)s (%(audience)s)",
        organisation=presentation.organisation,
        audience=audience_labels()[presentation.audience],
    )
    event.add("summary", calendar_text(summary))
    place = _("Online") if presentation.online else presentation.place
    event.add("location", calendar_text(place))
    url = url_for(
        "presentations.detail", lang=lang, presentation_id=presentation.id, _external=True
    )
    presenters = _("Presenters: %(names)s", names=", ".join(presenter_names))
    event.add("description", calendar_text("\n".join([presenters, url])))
    event.add("url", url)
    cancelled = presentation.status == PresentationStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def presentation_events(session, *, user, since, lang):
    """(day, VEVENT) for each presentation `user` presents from `since` on."""
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
    return [
        (p.on_date, presentation_event(p, presenter_names=names.get(p.id, []), lang=lang))
        for p in found
    ]
