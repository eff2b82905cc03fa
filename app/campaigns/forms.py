from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, StopValidation

from app.campaigns import services
from app.forms import Form

COUNT_MESSAGE = _l("Give a whole number, 0 or more.")


class CountField(IntegerField):
    """A whole number from 0; empty is 0, since most records give one or two
    counts. A value that is not a whole number gets one message, not two."""

    def process_formdata(self, valuelist):
        if valuelist and not valuelist[0].strip():
            self.data = 0
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()


def _count(label, description):
    return CountField(
        label,
        validators=[NumberRange(min=0, max=services.MAX_COUNT, message=COUNT_MESSAGE)],
        invalid_value_message=COUNT_MESSAGE,
        description=description,
        default=0,
        render_kw={"min": 0},
    )


class DistributionForm(Form):
    # Choices are checked by the service, whose messages say what to choose.
    campaign_slug = SelectField(_l("Campaign"), choices=[], validate_choice=False)
    school_id = SelectField(_l("School"), coerce=int, choices=[], validate_choice=False)
    on_date = DateField(_l("Date"), validators=[Optional()])
    posters = _count(_l("Posters handed out"), _l("Leave 0 if none."))
    flyers = _count(_l("Flyers handed out"), _l("Leave 0 if none."))
    campaign_day = BooleanField(_l("A campaign day was held at the school that day"))
    kiosk_students = _count(
        _l("Students reached at a kiosk"),
        _l("Students who stopped at the kiosk, counted, not named. Leave 0 if none."),
    )
    note = TextAreaField(
        _l("Note (optional)"),
        validators=[Length(max=services.NOTE_LENGTH)],
        description=_l("For the partnership. No names."),
        render_kw={"rows": 3},
    )

    def values(self):
        """The values as typed: None for a field in the wrong shape, 0 for an empty count."""

        def value(name, empty=None):
            field = self[name]
            if field.errors:
                return None
            return empty if field.data is None else field.data

        return {
            "campaign_slug": value("campaign_slug"),
            "school_id": value("school_id"),
            "on_date": value("on_date"),
            **{name: value(name, empty=0) for name in services.COUNTS},
            "campaign_day": bool(self.campaign_day.data),
            "note": value("note", empty="") or "",
        }

    def add_problems(self, problems):
        """Put each problem's message on its field (or under the counts), unless
        the field already shows one."""
        from app.campaigns.messages import problem_message

        for name, code in problems.items():
            field = self["posters"] if name == "nothing" else self[name]
            if not field.errors:
                field.errors = [*field.errors, problem_message(code)]
