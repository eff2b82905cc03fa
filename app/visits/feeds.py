"""Class sessions as calendar events, for a person's or a school's feed
(written by app/scheduling/ical.py, with a person's presentations and the
campaigns)."""

from flask_babel import gettext as _

from app.scheduling.ical import FeedEvent, event_status, uid
from app.visits.models import SessionStatus, VisitStatus

# The visit statuses at which the school and the team hold the days.
CONFIRMED_VISITS = (VisitStatus.CONFIRMED, VisitStatus.DONE)


def session_uid(session_id):
    return uid(f"class-session-{session_id}")


def session_event(row, *, lang, module_url, with_school):
    """The event of one ScheduledSession (app/visits/schedule.py): tentative
    while its visit is only planned, confirmed once the visit is (or the
    session was delivered), cancelled with the session or the visit. The
    visit's changes of status bump each session's SEQUENCE
    (services.set_visit_status)."""
    title = row.module.title(lang)
    summary = _("%(module)s — group %(group)s", module=title, group=row.group.name)
    if with_school:
        summary = f"{summary} · {row.school.name}"
    place = [row.school.name, row.school.address, row.school.city]
    if row.session.room:
        place.insert(0, _("Room %(room)s", room=row.session.room))
    lines = [_("Materials: %(url)s", url=module_url(row.module))]
    if row.presenters:
        lines.append(_("Presenters: %(names)s", names=", ".join(row.presenters)))
    return FeedEvent(
        uid=session_uid(row.session.id),
        sequence=row.session.revision,
        stamp=row.session.updated_at,
        modified=row.session.updated_at,
        starts=row.start(),
        ends=row.end(),
        summary=summary,
        location=", ".join(p for p in place if p),
        description="\n".join(lines),
        url=module_url(row.module),
        status=event_status(
            cancelled=row.cancelled,
            confirmed=row.visit.status in CONFIRMED_VISITS
            or row.session.status == SessionStatus.DELIVERED,
        ),
    )


def session_events(rows, *, lang, module_url, with_school):
    """The events of `rows`, in order; a row without bell times (a period
    removed since) is left out."""
    return [
        session_event(row, lang=lang, module_url=module_url, with_school=with_school)
        for row in rows
        if row.starts_at is not None
    ]
