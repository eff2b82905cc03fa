from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.forms import Form
from app.scheduling.forms import CheckboxesField


class VisitForm(Form):
    school_id = SelectField(_l("School"), coerce=int, choices=[])
    starts_on = DateField(
        _l("First day"),
        validators=[DataRequired()],
        description=_l("The visit lasts ten school days."),
    )
    workers = CheckboxesField(
        _l("Prevention workers"), coerce=int, choices=[], validators=[DataRequired()]
    )
    police_officer_id = SelectField(
        _l("Police prevention officer (optional)"), coerce=int, choices=[]
    )

    def set_choices(self, schools, workers, officers, none_label):
        self.school_id.choices = [SelectChoice(s.id, s.name) for s in schools]
        self.workers.choices = [SelectChoice(w.id, w.name) for w in workers]
        self.police_officer_id.choices = [SelectChoice(0, none_label)] + [
            SelectChoice(o.id, o.name) for o in officers
        ]
        return self


class SessionForm(Form):
    class_group_id = SelectField(_l("Class group"), coerce=int, choices=[])
    module_id = SelectField(_l("Module"), coerce=int, choices=[])
    on_date = SelectField(_l("Day"), choices=[])
    first_period = SelectField(_l("Period"), coerce=int, choices=[])
    period_count = SelectField(
        _l("Length"), coerce=int, choices=[SelectChoice(1, "1"), SelectChoice(2, "2")]
    )
    room = StringField(_l("Room"), validators=[Optional(), Length(max=40)])
    presenters = CheckboxesField(
        _l("Presenters"), coerce=int, choices=[], validators=[DataRequired()]
    )


class SessionChangeForm(SessionForm):
    """Adjusting a session: everything but its class group."""

    class_group_id = None


class AbsenceForm(Form):
    on_date = DateField(_l("Date"), validators=[DataRequired()])
    starts_at = TimeField(
        _l("From (optional)"),
        validators=[Optional()],
        description=_l("Leave both times empty for the whole day."),
    )
    ends_at = TimeField(_l("To (optional)"), validators=[Optional()])
    note = StringField(
        _l("Note (optional)"),
        validators=[Optional(), Length(max=200)],
        description=_l("Seen by the coordinators. No personal details needed."),
    )


class DeliveryForm(Form):
    attendance = IntegerField(
        _l("Students present"), validators=[InputRequired(), NumberRange(min=0, max=60)]
    )
    girls = IntegerField(
        _l("Girls (optional)"), validators=[Optional(), NumberRange(min=0, max=60)]
    )
    boys = IntegerField(_l("Boys (optional)"), validators=[Optional(), NumberRange(min=0, max=60)])
    other = IntegerField(
        _l("Other or not stated (optional)"), validators=[Optional(), NumberRange(min=0, max=60)]
    )
    delivered_module_id = SelectField(_l("Module delivered"), coerce=int, choices=[])
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Never write a student's name."),
    )
