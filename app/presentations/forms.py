from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.forms import Form
from app.scheduling.forms import CheckboxesField

COUNT = NumberRange(min=0, max=100_000, message=_l("Give a whole number, 0 or more."))


class PresentationForm(Form):
    audience = SelectField(_l("Audience"), choices=[], validators=[InputRequired()])
    organisation = StringField(
        _l("Organization"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Who it is for, e.g. the school service centre's board."),
    )
    school_id = SelectField(_l("School"), coerce=int, choices=[])
    service_centre_id = SelectField(_l("School service centre"), coerce=int, choices=[])
    on_date = DateField(_l("Date"), validators=[InputRequired()])
    starts_at = TimeField(_l("Start"), validators=[InputRequired()])
    ends_at = TimeField(_l("End"), validators=[InputRequired()])
    online = BooleanField(_l("Online"))
    place = StringField(
        _l("Place"),
        validators=[Length(max=200)],
        description=_l("The address or the room; leave empty when online."),
    )
    police_ids = CheckboxesField(_l("Police officers"), coerce=int, choices=[])
    worker_ids = CheckboxesField(_l("Youth-house workers"), coerce=int, choices=[])
    expected_audience = IntegerField(
        _l("Expected audience"), validators=[Optional(), COUNT], description=_l("People.")
    )
    module_ids = CheckboxesField(
        _l("Modules used"),
        coerce=int,
        choices=[],
        description=_l("Their slide decks are offered on the presentation's page."),
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])
    request_id = HiddenField()


class FindTimeForm(Form):
    class Meta:
        csrf = False  # a search (GET): it changes nothing

    start = DateField(_l("From"), validators=[InputRequired()])
    duration = IntegerField(
        _l("Length (minutes)"),
        validators=[InputRequired(), NumberRange(min=15, max=480)],
    )
    police_id = SelectField(_l("Police officer"), coerce=int, choices=[])
    worker_id = SelectField(_l("Youth-house worker"), coerce=int, choices=[])


class OutcomeForm(Form):
    actual_audience = IntegerField(
        _l("Actual audience"), validators=[InputRequired(), COUNT], description=_l("People.")
    )
    follow_ups = TextAreaField(
        _l("Follow-ups"),
        validators=[Length(max=2000)],
        description=_l("What was asked or promised: a visit, documents, another meeting."),
    )


class RequestForm(Form):
    kind = RadioField(
        _l("What would you like?"),
        choices=[],
        validators=[InputRequired(message=_l("Choose a presentation or a visit."))],
    )
    audience = SelectField(_l("For whom is the presentation?"), choices=[])
    organisation = StringField(
        _l("School or school service centre"), validators=[DataRequired(), Length(max=200)]
    )
    school_id = SelectField(_l("Your school, if it is in this list"), coerce=int, choices=[])
    contact_name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    contact_email = EmailField(
        _l("Your e-mail"),
        validators=[
            DataRequired(),
            Email(
                check_deliverability=False,
                message=_l("Write a whole e-mail address, like name@school.ca."),
            ),
            Length(max=254),
        ],
        description=_l("We send a confirmation there."),
    )
    contact_phone = StringField(_l("Your phone (optional)"), validators=[Length(max=40)])
    preferred_periods = TextAreaField(
        _l("When would suit you?"),
        validators=[DataRequired(), Length(max=1000)],
        description=_l("Weeks, days or times of day that suit you, and those to avoid."),
    )
    group_count = IntegerField(
        _l("Number of class groups"),
        validators=[Optional(), NumberRange(min=1, max=60, message=_l("From 1 to 60."))],
        description=_l("For a two-week visit: the secondary 1 to 3 groups to meet."),
    )
    notes = TextAreaField(_l("Anything else we should know"), validators=[Length(max=2000)])
    # Spam defences: a field people do not see (bots fill it in), and when the
    # form was shown, signed (bots send it back at once).
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()

    def validate(self, extra_validators=None):
        """What each kind needs: the audience of a presentation, the number of
        groups of a visit (checked here: Optional() ends a field's own chain)."""
        valid = super().validate(extra_validators)
        needs = {"presentation": self.audience, "visit": self.group_count}.get(self.kind.data)
        if needs is not None and not needs.data and not needs.errors:
            needs.errors = [*needs.errors, str(NEEDED[needs.name])]
            valid = False
        return valid


NEEDED = {
    "audience": _l("Choose the audience."),
    "group_count": _l("Give the number of class groups."),
}


class DeclineForm(Form):
    message = TextAreaField(
        _l("Message to the requester"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Sent by e-mail. Say why, and what they could do instead."),
    )
