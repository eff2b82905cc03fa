"""E-mails that tell staff what an administrator did to their account.

Staff have no language on record, so each message is in French, then in
English. They are sent before the request commits: when one cannot be sent
(`SEND_ERRORS`), the caller rolls back, so nothing is done that the person
was not told of.
"""

import smtplib

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app.mail import send_mail

SEND_ERRORS = (smtplib.SMTPException, OSError)
LANGUAGES = ("fr", "en")
SEPARATOR = "\n\n* * *\n\n"


def _send_in_both_languages(*, to, subject, template, **values):
    subjects, bodies = [], []
    for lang in LANGUAGES:
        with force_locale(lang):
            subjects.append(subject())
            bodies.append(render_template(f"accounts/email/{template}.txt", lang=lang, **values))
    send_mail(
        to=[to],
        subject=f"MOBILIS Prévention – {' / '.join(subjects)}",
        body=SEPARATOR.join(bodies),
    )


def send_reset_link(*, user, token, by, hours):
    """The link to choose a new password, to `user`'s own address."""
    _send_in_both_languages(
        to=user.email,
        subject=lambda: _("Choose a new password"),
        template="reset_link",
        user=user,
        token=token,
        by=by,
        hours=hours,
    )


def send_email_changed(*, old_email, user, by, held_until=None):
    """To the address an administrator just replaced: the person hears of it
    where they still read their mail, and until when no reset of their
    account can be made (`held_until`, password_reset.py)."""
    _send_in_both_languages(
        to=old_email,
        subject=lambda: _("The e-mail address of your account was changed"),
        template="email_changed",
        user=user,
        by=by,
        held_until=held_until,
    )


def send_two_factor_reset(*, user, by):
    _send_in_both_languages(
        to=user.email,
        subject=lambda: _("Your two-factor sign-in was reset"),
        template="two_factor_reset",
        user=user,
        by=by,
    )
