import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from app.forms import Form
from app.help.services import MAX_BODY

EMPTY = _l("Write your message first.")
TOO_LONG = _l("Your message is too long: keep it under 5,000 characters.")


def _new_submission():
    return secrets.token_urlsafe(24)


def submission_field():
    """A one-time token made when the form is shown: the same form sent twice
    saves once (services.AlreadySent). Optional: a form without one is saved,
    only without that protection."""
    return HiddenField(
        default=_new_submission,
        validators=[Optional(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")],
    )


class AskForm(Form):
    submission = submission_field()
    body = TextAreaField(
        _l("Your question"),
        validators=[InputRequired(message=EMPTY), Length(max=MAX_BODY, message=TOO_LONG)],
        description=_l(
            "Do not write your name, or anyone else's: we do not need them to help you."
        ),
    )
    # "Something else" is chosen already: a teen in danger must not be stopped
    # by a question about the topic.
    topic = RadioField(
        _l("What is it about?"), choices=[], default="other", validators=[Optional()]
    )
    # Its choices are only listed to draw the form: a school sent that is not,
    # or no longer, in the list is dropped by services.ask and the question
    # kept, so a class's questions do not each load every school.
    school_id = SelectField(
        _l("Your school (optional)"), coerce=int, choices=[], validate_choice=False
    )


class CheckForm(Form):
    passphrase = StringField(
        _l("Your passphrase"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The six words you were given. Capitals and accents do not matter."),
    )


class ReplyForm(Form):
    submission = submission_field()
    passphrase = HiddenField(validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Write back"),
        validators=[InputRequired(message=EMPTY), Length(max=MAX_BODY, message=TOO_LONG)],
        description=_l("Do not write names."),
    )


class WorkerReplyForm(Form):
    body = TextAreaField(
        _l("Your reply"),
        validators=[InputRequired(message=EMPTY), Length(max=MAX_BODY, message=TOO_LONG)],
        description=_l("The student reads it with their passphrase. No names, no contact details."),
    )


class NoteForm(Form):
    body = TextAreaField(
        _l("Internal note"),
        validators=[InputRequired(message=EMPTY), Length(max=MAX_BODY, message=TOO_LONG)],
        description=_l(
            "Seen by the youth workers who handle this conversation, never by the student."
        ),
    )


class EscalationForm(Form):
    kind = RadioField(_l("What was done"), choices=[], validators=[InputRequired()])
    service = StringField(_l("Which service (for another service)"), validators=[Length(max=200)])


class ReassignForm(Form):
    to = SelectField(_l("Hand it to"), coerce=int, choices=[])


class SchoolWorkerForm(Form):
    # The service checks the choice (an active youth worker) and names the problem.
    user_id = SelectField(_l("Youth worker"), coerce=int, choices=[], validate_choice=False)


class UrgencyForm(Form):
    """A worker marks a question urgent, or takes the mark off."""

    urgent = HiddenField(validators=[DataRequired(), Regexp(r"^[01]$")])
