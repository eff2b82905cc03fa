"""The anonymous box's words: topics and errors, in the page's language."""

from flask_babel import gettext as _


def topic_labels():
    return {
        "relationships": _("Relationships, love, consent"),
        "online": _("Online: photos, messages, social media"),
        "pressure": _("Pressure, money, gifts, debts"),
        "gangs": _("Gangs"),
        "friend": _("I am worried about a friend"),
        "other": _("Something else"),
    }


def help_error_message(code):
    return {
        "empty": lambda: _("Write your message first."),
        "too_long": lambda: _("Your message is too long: keep it under 5,000 characters."),
        "encoding": lambda: _(
            "Your message has characters we cannot read. Type it again, or copy it without "
            "special symbols."
        ),
        "markup": lambda: _(
            "Your message looks like computer code (it has < and > around words). Write it "
            "as plain text."
        ),
        "service": lambda: _("Name the service."),
        "service_character": lambda: _("The service's name has a character that is not allowed."),
        "youth_worker": lambda: _("Choose an active youth worker."),
        "already_sent": lambda: _("This was already sent."),
        "closed": lambda: _(
            "This conversation is closed. You can ask a new question whenever you want."
        ),
    }[code]()


def escalation_labels():
    return {
        "youth_protection": _("Report to youth protection (DPJ), under the Youth Protection Act"),
        "police": _("Referral to the police"),
        "other_service": _("Referral to another service"),
    }


def urgency_labels():
    """Why a question is marked urgent, as the worker reads it beside the mark."""
    return {
        "suicide": _("suicide or self-harm"),
        "exploitation": _("sexual exploitation"),
        "confinement": _("held, cannot leave"),
        "sexual_assault": _("sexual assault"),
        "sextortion": _("sextortion or threats with pictures"),
        "violence": _("violence or threats"),
        "grooming": _("an adult approaching a minor"),
        "worker": _("marked by a youth worker"),
    }
