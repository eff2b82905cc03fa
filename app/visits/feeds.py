"""iCalendar feeds (RFC 5545) of class sessions, for a person or a school
(a person's feed has their presentations too: app/presentations/feeds.py).

Each session is one VEVENT whose UID never changes (it is made of the
session's id), whose SEQUENCE is the session's revision (bumped by every
change a calendar should pick up: a move, a cancellation) and whose times
are in America/Montreal with the zone's VTIMEZONE included. A cancelled
session stays in the feed with STATUS:CANCELLED, so calendars remove it
rather than keep a stale copy.

Every text in a feed that people wrote (names, rooms, places, notes) goes
through `calendar_text`: a line break in it is written as RFC 5545's escaped
line break, never as a new line of the file, so a name cannot add a property.
"""

import re
from datetime import timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event
from icalendar.prop import vText

from app.visits.schedule import ZONE

PRODID = "-//MOBILIS Prévention//Calendar feeds//FR"
UID_DOMAIN = "mobilis-prevention"


# Control characters RFC 5545 forbids in TEXT: all but HTAB (line breaks are
# made LF, and escaped, before this applies to each line).
CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def calendar_text(value):
    """`value` as an iCalendar TEXT value.

    icalendar escapes backslash, semicolon, comma and line feeds of a vText,
    and folds lines at 75 octets; but it writes a property it does not know
    (X-WR-CALNAME) raw, and keeps control characters. So: every kind of line
    break (CR, CRLF, LS, NEL...) becomes one LF, which vText escapes; other
    control characters are dropped; and the result is always a vText."""
    lines = str(value).splitlines()
    return vText("\n".join(CONTROLS.sub("", line) for line in lines))


def session_uid(session_id):
    return f"class-session-{session_id}@{UID_DOMAIN}"


def session_event(row, *, lang, module_url, with_school):
    event = Event()
    event.add("uid", session_uid(row.session.id))
    event.add("sequence", row.session.revision)
    event.add("dtstamp", row.session.updated_at)
    event.add("last-modified", row.session.updated_at)
    event.add("dtstart", row.start())
    event.add("dtend", row.end())
    title = row.module.title(lang)
    summary = _("%(module)s — group %(group)s", module=title, group=row.group.name)
    if with_school:
        summary = f"{summary} · {row.school.name}"
    event.add("summary", calendar_text(summary))
    place = [row.school.name, row.school.address, row.school.city]
    if row.session.room:
        place.insert(0, _("Room %(room)s", room=row.session.room))
    event.add("location", calendar_text(", ".join(p for p in place if p)))
    lines = [_("Materials: %(url)s", url=module_url(row.module))]
    if row.presenters:
        lines.append(_("Presenters: %(names)s", names=", ".join(row.presenters)))
    event.add("description", calendar_text("\n".join(lines)))
    event.add("url", module_url(row.module))
    event.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def build_feed(rows, *, name, lang, module_url, with_school, extra=()):
    """The feed's bytes. Rows without bell times (a period removed since) are
    left out. `extra` adds other events, as (day, VEVENT) pairs."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_text(name))
    calendar.add("x-wr-timezone", ZONE.key)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    dated = [r for r in rows if r.starts_at is not None]
    for row in dated:
        calendar.add_component(
            session_event(row, lang=lang, module_url=module_url, with_school=with_school)
        )
    for _day, event in extra:
        calendar.add_component(event)
    days = [r.session.on_date for r in dated] + [day for day, _event in extra]
    if days:
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=366),
            last_date=max(days) + timedelta(days=366),
        )
    return calendar.to_ical()
