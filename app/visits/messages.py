"""Visit rules, statuses and planner reasons in the page's language."""

from flask_babel import gettext as _


def visit_error_message(error):
    values = error.values
    messages = {
        "team": lambda: _("Choose at least one prevention worker."),
        "police": lambda: _("This person is not a police prevention officer."),
        "no_school_year": lambda: _("No school year covers this date: create it first."),
        "not_enough_school_days": lambda: _(
            "The school year ends before ten school days from this date."
        ),
        "status": lambda: _("This change of status is not possible."),
        "group": lambda: _("This class group is not from this school."),
        "period": lambda: _("This school has no such period."),
        "cancelled": lambda: _("A cancelled session cannot be delivered."),
        "attendance": lambda: _(
            "The counts must be whole numbers, and the parts cannot add up to more than "
            "the students present."
        ),
        "reason": lambda: _("Give a reason."),
        "conflicts": lambda: _("This session would create conflicts."),
    }
    return messages[error.code]() if error.code in messages else str(values)


def labels():
    """The words for statuses and planner reasons, for the visits' templates."""
    return {
        "status_labels": {
            "planned": _("planned"),
            "confirmed": _("confirmed"),
            "done": _("done"),
            "cancelled": _("cancelled"),
        },
        "session_labels": {
            "planned": _("planned"),
            "delivered": _("delivered"),
            "cancelled": _("cancelled"),
        },
        "status_actions": {
            "planned": _("Back to planned"),
            "confirmed": _("Confirm the visit"),
            "done": _("Mark the visit done"),
            "cancelled": _("Cancel the visit"),
        },
        "reason_labels": {
            "no_free_period": _("no free period for this group with a free presenter"),
            "no_workers": _("the visit has no prevention worker"),
            "sequence_too_long": _("more modules than days for this group"),
        },
    }
