"""iCalendar (RFC 5545): the one place calendar feeds are written.

Class sessions (app/visits/feeds.py), presentations
(app/presentations/feeds.py) and campaigns (app/distribution/calendar.py)
describe their events as FeedEvents, plain data; `feed()` writes them.

Each event's UID never changes (`uid()`: made of what it is and its id or
slug). A session's or presentation's SEQUENCE is its revision, bumped by
`touch()` on every change a calendar should pick up (a move, a
cancellation), and its times are in America/Montreal with the zone's
VTIMEZONE included; a campaign is all-day DATE values. A cancelled event
stays in the feed with STATUS:CANCELLED, so calendars remove it rather than
keep a stale copy; a session of a visit still being planned is TENTATIVE
(`event_status()`).

Every text in a feed that people wrote (names, rooms, places, notes) goes
through `calendar_text`: a line break in it is written as RFC 5545's escaped
line break, never as a new line of the file, so a name cannot add a property.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from icalendar.prop import vText

from app.db import LOCAL_ZONE, utcnow

PRODID = "-//MOBILIS Prévention//Calendar feeds//FR"
UID_DOMAIN = "mobilis-prevention"
ZONE = LOCAL_ZONE


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


def uid(name):
    """The UID of the event `name` ("class-session-12"): the same in every
    feed and every time, so a calendar updates its copy instead of adding one."""
    return f"{name}@{UID_DOMAIN}"


def event_status(*, cancelled, confirmed):
    """An event's RFC 5545 STATUS: CANCELLED, else CONFIRMED once what it
    belongs to is confirmed, else TENTATIVE (pencilled in: a planned visit).

    A calendar shows a tentative event as such, and updates its copy when
    the STATUS changes, provided the SEQUENCE goes up with it (`touch()`)."""
    if cancelled:
        return "CANCELLED"
    return "CONFIRMED" if confirmed else "TENTATIVE"


def touch(row):
    """Mark a change calendars should pick up: a class session's or a
    presentation's `revision` (the event's SEQUENCE) and `updated_at`."""
    row.revision += 1
    row.updated_at = utcnow()


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT. Optional properties left None are not written."""

    uid: str
    starts: datetime | date  # a time in ZONE, or a date for an all-day event
    ends: datetime | date  # for an all-day event, the day after the last
    stamp: datetime  # DTSTAMP
    summary: str  # the texts are written through calendar_text
    description: str
    url: str
    location: str | None = None
    sequence: int | None = None
    modified: datetime | None = None  # LAST-MODIFIED
    status: str | None = None  # event_status(): TENTATIVE, CONFIRMED or CANCELLED
    busy: bool = True  # TRANSP: OPAQUE, or TRANSPARENT (a campaign makes nobody busy)

    @property
    def day(self):
        """The event's first day."""
        return self.starts.date() if isinstance(self.starts, datetime) else self.starts


def _vevent(found):
    event = Event()
    event.add("uid", found.uid)
    if found.sequence is not None:
        event.add("sequence", found.sequence)
    event.add("dtstamp", found.stamp)
    if found.modified is not None:
        event.add("last-modified", found.modified)
    event.add("dtstart", found.starts)
    event.add("dtend", found.ends)
    event.add("summary", calendar_text(found.summary))
    if found.location is not None:
        event.add("location", calendar_text(found.location))
    event.add("description", calendar_text(found.description))
    event.add("url", found.url)
    if found.status is not None:
        event.add("status", found.status)
    event.add("transp", "OPAQUE" if found.busy else "TRANSPARENT")
    return event


def feed(events, *, name):
    """The feed's bytes: a calendar called `name` with `events`, in order."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_text(name))
    calendar.add("x-wr-timezone", ZONE.key)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(_vevent(event))
    days = [event.day for event in events]
    if days:
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=366),
            last_date=max(days) + timedelta(days=366),
        )
    return calendar.to_ical()
