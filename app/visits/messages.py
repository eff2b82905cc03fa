"""Visit rules, statuses and planner reasons in the page's language."""

from flask_babel import gettext as _

from app.formats import date_text
from app.schools.calendar_views import day_off_label


def _not_a_school_day(day, day_off, next_day):
    if day_off is None:
        return _(
            "%(day)s falls on a weekend. The visit can start on %(next)s, the school's next "
            "school day: choose that day or another.",
            day=date_text(day, "weekday"),
            next=date_text(next_day, "weekday"),
        )
    return _(
        "%(day)s is a day off at this school: %(reason)s. The visit can start on %(next)s, "
        "the school's next school day: choose that day or another.",
        day=date_text(day, "weekday"),
        reason=day_off_label(day_off),
        next=date_text(next_day, "weekday"),
    )


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
        "visit_cancelled": lambda: _("The visit is cancelled: its sessions cannot be recorded."),
        "attendance": lambda: _(
            "The counts must be whole numbers, and the parts cannot add up to more than "
            "the students present."
        ),
        "not_a_school_day": lambda: _not_a_school_day(**values),
        "too_early": lambda: _(
            "This session is on %(day)s: it can be recorded from that day on.",
            day=date_text(values["day"], "weekday"),
        ),
        "over_class_size": lambda: _(
            "Group %(group)s has %(size)s students: fewer can be present, not more. If the "
            "group has grown, change its size on the school's page first.",
            group=values["group"],
            size=values["size"],
        ),
        "already_delivered": lambda: _("This session is already recorded: correct its record."),
        "not_delivered": lambda: _("This session has no delivery record."),
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
        "record_actions": {
            "delivered": _("recorded the delivery"),
            "corrected": _("corrected the record"),
            "withdrawn": _("put the session back to planned"),
        },
        "record_fields": {
            "attendance": _("students present"),
            "attendance_girls": _("girls"),
            "attendance_boys": _("boys"),
            "attendance_other": _("other or not stated"),
            "delivered_module_id": _("module delivered"),
            "notes": _("notes"),
        },
        "reason_labels": {
            "no_free_period": _("no free period for this group with a free presenter"),
            "no_workers": _("the visit has no prevention worker"),
            "sequence_too_long": _("more modules than days for this group"),
        },
    }
