"""Campaign periods in staff calendars: a line on each day of a campaign in
the joint month view, and an all-day event per campaign and year in each
person's calendar feed.

A campaign's period comes back every year (`Campaign.period_in(year)`); a
run is one year's period. A run's feed event has a UID made of the campaign
and the year, so it never changes; it is TRANSPARENT (a campaign does not
make anyone busy).
"""

from datetime import UTC, datetime, timedelta

from flask import url_for
from flask_babel import gettext as _

from app.campaigns.loader import get_campaigns
from app.scheduling.ical import FeedEvent, uid

# A person's feed shows the campaigns this far ahead (sessions and
# presentations are planned months ahead; campaigns come back every year).
FEED_DAYS_AHEAD = 366


def campaign_uid(slug, year):
    return uid(f"campaign-{slug}-{year}")


def runs(catalogue, first, last):
    """[(campaign, year, first day, last day)] of the runs that overlap [first, last],
    by first day. A run may start the year before `first` (a school-year campaign)."""
    found = []
    for campaign in catalogue.campaigns:
        for year in range(first.year - 1, last.year + 1):
            start, end = campaign.period_in(year)
            if start <= last and end >= first:
                found.append((campaign, year, start, end))
    return sorted(found, key=lambda run: (run[2], run[0].slug))


def campaign_days(first, last, *, lang):
    """{day: [(slug, title)]} for each day of [first, last] that a campaign runs."""
    days = {}
    for campaign, _year, start, end in runs(get_campaigns(), first, last):
        day = max(start, first)
        while day <= min(end, last):
            days.setdefault(day, []).append((campaign.slug, campaign.title(lang)))
            day += timedelta(days=1)
    return days


def campaign_event(campaign, year, *, lang):
    start, end = campaign.period_in(year)
    url = url_for("campaigns.detail", lang=lang, slug=campaign.slug, _external=True)
    return FeedEvent(
        uid=campaign_uid(campaign.slug, year),
        # Stable, so the feed's bytes change only when a campaign does: the
        # first moment of the run's year, before the run.
        stamp=datetime(year, 1, 1, tzinfo=UTC),
        starts=start,
        ends=end + timedelta(days=1),  # an all-day event's end is the day after
        summary=_("Campaign: %(title)s", title=campaign.title(lang)),
        description="\n".join([campaign.key_message(lang), url]),
        url=url,
        busy=False,
    )


def campaign_events(*, since, today, lang):
    """The event of each campaign run from `since` to a year after `today`."""
    until = today + timedelta(days=FEED_DAYS_AHEAD)
    return [
        campaign_event(campaign, year, lang=lang)
        for campaign, year, _start, _end in runs(get_campaigns(), since, until)
    ]
