"""E-mails to the person who sent a school's request, in their language."""

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.mail import send_mail
from app.presentations.messages import labels


def mail_requester(found, template, **values):
    """`template` is received, declined or accepted (templates/presentations/email/)."""
    with force_locale(found.lang):
        subject = {
            "received": _("We received your request"),
            "declined": _("Your request"),
            "accepted": _("Your request is accepted"),
        }[template]
        body = render_template(
            f"presentations/email/{template}.txt", found=found, **labels(), **values
        )
    send_mail(to=[found.contact_email], subject=f"MOBILIS Prévention – {subject}", body=body)
