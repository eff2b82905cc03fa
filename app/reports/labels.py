"""The reports' words: the name of each figure and of each period, in the
language of the request (or of `force_locale`)."""

from flask_babel import gettext as _

from app.formats import date_text


def figure_labels():
    return {
        "schools_visited": _("Schools visited"),
        "visits_done": _("Visits done"),
        "groups_reached": _("Class groups reached (distinct)"),
        "sessions_delivered": _("Sessions delivered (group reaches)"),
        "students_reached": _("Students reached (sum of attendance)"),
        "presentations_held": _("Presentations held"),
        "presentation_audience": _("Presentation audience"),
        "requests_received": _("School requests received"),
        "requests_accepted": _("School requests accepted"),
        "campaign_posters": _("Campaign posters handed out"),
        "campaign_flyers": _("Campaign flyers handed out"),
        "campaign_days": _("Campaign days held"),
        "kiosk_students": _("Students reached at a campaign kiosk"),
        "questions_received": _("Questions received"),
        "questions_answered": _("Questions answered"),
        "questions_urgent": _("Urgent questions"),
        "escalations": _("Escalations recorded"),
        "median_reply_hours": _("Median hours to a first reply"),
    }


def period_label(period):
    """The period in words, in the page's language."""
    if period.kind == "school_year":
        return _("School year %(start)s–%(end)s", start=period.year, end=period.year + 1)
    if period.kind == "fiscal_year":
        return _("Fiscal year %(start)s–%(end)s", start=period.year, end=period.year + 1)
    if period.kind == "calendar_year":
        return _("Year %(year)s", year=period.year)
    if period.kind == "quarter":
        return _("Quarter %(number)s of %(year)s", number=period.number, year=period.year)
    if period.kind == "month":
        return date_text(period.start, "month").capitalize()
    return _("%(start)s to %(end)s", start=date_text(period.start), end=date_text(period.end))
