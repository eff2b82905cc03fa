"""What the questionnaire says when it cannot take answers, to a student ("tu")."""

from flask_babel import gettext as _

from app.formats import date_text


def closed_message(opens_on):
    if opens_on is not None:
        return _(
            "This questionnaire is not open today. It opens on %(date)s, the day of your workshop.",
            date=date_text(opens_on),
        )
    return _("This questionnaire is closed: the workshops of your class are over. Thank you!")


def refusal_message(code):
    return {
        "full": _(
            "Your class has already sent all its answers for this questionnaire: yours could "
            "not be counted. Thank you all the same!"
        ),
        "items": _("Answer every statement, then send your answers again."),
    }.get(code, closed_message(None))


def unknown_code_message():
    return _(
        "This code does not match any questionnaire. Check the letters with your youth worker, "
        "or scan the QR code on the screen."
    )
