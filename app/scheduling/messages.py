"""Conflicts between bookings in the page's language."""

from flask_babel import gettext as _
from flask_babel import ngettext


def conflict_message(conflict):
    values = conflict.values
    messages = {
        "presenter_overlap": lambda: _("A presenter is in two places at once."),
        "group_overlap": lambda: _("A class group is booked twice at the same time."),
        "same_module_twice": lambda: _("The same module is booked twice for one class group."),
        "travel_time": lambda: ngettext(
            "A presenter has only %(num)s minute to travel between two places.",
            "A presenter has only %(num)s minutes to travel between two places.",
            values.get("minutes", 0),
        ),
        "outside_visit": lambda: _("A session is outside the visit's days."),
        "day_off": lambda: _("A session is on a day without classes."),
        "presenter_absent": lambda: _("A presenter is absent then."),
    }
    return messages[conflict.kind]()
