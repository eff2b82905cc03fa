"""Distribution records' problems in the page's language."""

from flask_babel import gettext as _


def problem_message(code):
    return {
        "unknown_campaign": lambda: _("Choose one of the campaigns."),
        "unknown_school": lambda: _("Choose one of the schools."),
        "required": lambda: _("Give the date."),
        "future": lambda: _("Record what was done: the date cannot be in the future."),
        "count": lambda: _("Give a whole number, 0 or more."),
        "too_long": lambda: _("This is too long."),
        "nothing": lambda: _(
            "Nothing to record: give a number of posters, flyers or students, "
            "or tick the campaign day."
        ),
        "day_recorded": lambda: _(
            "A campaign day of this campaign is already recorded at this school on that "
            "day: untick it, it counts once."
        ),
    }[code]()
