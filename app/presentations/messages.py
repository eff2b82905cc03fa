"""Presentations' rules, statuses and audiences in the page's language."""

from flask_babel import gettext as _


def presentation_error_message(error):
    return {
        "joint": lambda: _(
            "A joint presentation needs at least one police officer and at least one "
            "youth-house worker."
        ),
        "inactive": lambda: _("A chosen presenter's account is deactivated."),
        "organisation": lambda: _("Name the organisation it is for."),
        "time_order": lambda: _("The end must come after the start."),
        "place": lambda: _("Give the place, or tick “Online”."),
        "count": lambda: _("Give a whole number, 0 or more."),
        "status": lambda: _("This presentation can no longer be changed."),
        "future": lambda: _("A presentation is recorded as held on its day or after."),
        "reason": lambda: _("Give a reason."),
        "message": lambda: _("Write the message to the requester."),
        "request_closed": lambda: _("This request was already answered."),
        "request_kind": lambda: _("This request is for something else."),
        "conflicts": lambda: _("Not saved: a presenter is not free then."),
    }[error.code]()


def audience_labels():
    return {
        "board": _("School service centre board"),
        "staff": _("School staff"),
        "parents": _("Parents"),
        "students": _("Students"),
        "partners": _("Community partners"),
    }


def labels():
    """The words the presentations' templates need."""
    return {
        "audience_labels": audience_labels(),
        "presentation_status_labels": {
            "planned": _("planned"),
            "held": _("held"),
            "cancelled": _("cancelled"),
        },
        "request_kind_labels": {
            "presentation": _("a presentation"),
            "visit": _("a two-week visit"),
        },
        "request_status_labels": {
            "open": _("to answer"),
            "accepted": _("accepted"),
            "declined": _("declined"),
        },
    }
