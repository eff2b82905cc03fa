from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.forms import Form
from app.regions import data as regions_data
from app.schools.models import GRADES, DayOffKind

GRADE_CHOICES = [
    ("sec1", _l("Secondary 1")),
    ("sec2", _l("Secondary 2")),
    ("sec3", _l("Secondary 3")),
    ("sec4", _l("Secondary 4")),
    ("sec5", _l("Secondary 5")),
]
assert [g for g, _label in GRADE_CHOICES] == list(GRADES)

DAY_OFF_KIND_LABELS = {
    DayOffKind.STATUTORY: _l("Statutory holiday"),
    DayOffKind.PEDAGOGICAL: _l("Pedagogical day"),
    DayOffKind.BREAK: _l("Break"),
    DayOffKind.EXCEPTION: _l("School exception"),
}


def choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


def region_choices(lang, regions=None):
    """The 17 regions, or only `regions` for a user limited to them."""
    return choices(
        (code, label)
        for code, label in regions_data.choices(lang)
        if code in (regions or regions_data.CODES)
    )


class ServiceCentreForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    region_code = SelectField(_l("Region"), choices=[], validators=[DataRequired()])

    def set_regions(self, lang, regions=None):
        self.region_code.choices = [
            SelectChoice("", _l("Choose a region")),
            *region_choices(lang, regions),
        ]
        return self


class SchoolForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    service_centre_id = SelectField(_l("School service centre"), coerce=int, choices=[])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    region_code = SelectField(
        _l("Region"),
        choices=[],
        validators=[Optional()],
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact e-mail"),
        validators=[Optional(), Email(check_deliverability=False), Length(max=254)],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    bell_schedule = TextAreaField(
        _l("Bell schedule"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "The periods of a day, in order, e.g. 08:15-09:30 09:40-10:55 11:05-12:20 13:20-14:35"
        ),
    )

    def set_centres(self, centres, lang, regions=None):
        self.service_centre_id.choices = [SelectChoice(c.id, c.name) for c in centres]
        self.region_code.choices = [
            SelectChoice("", _l("The region of its school service centre")),
            *region_choices(lang, regions),
        ]
        return self


class ClassGroupForm(Form):
    grade = SelectField(_l("Grade"), choices=choices(GRADE_CHOICES))
    name = StringField(
        _l("Group"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("As the school names it, e.g. 201"),
    )
    teacher_name = StringField(_l("Teacher"), validators=[Optional(), Length(max=200)])
    size = IntegerField(
        _l("Approximate number of students"), validators=[Optional(), NumberRange(min=1, max=60)]
    )


class SchoolYearForm(Form):
    starts_on = DateField(_l("First day of classes"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day of classes"), validators=[DataRequired()])


class DayOffForm(Form):
    starts_on = DateField(_l("From"), validators=[DataRequired()])
    ends_on = DateField(
        _l("To (included)"),
        validators=[Optional()],
        description=_l("Leave empty for a single day."),
    )
    kind = SelectField(
        _l("Kind"), choices=choices((k.value, label) for k, label in DAY_OFF_KIND_LABELS.items())
    )
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    scope = SelectField(_l("Applies to"), choices=[])

    def set_scopes(self, centres, schools, *, every_school=True):
        """`every_school`: whether "every school" is offered (not to a user
        limited to regions: a province-wide day off is every region's)."""
        self.scope.choices = (
            ([SelectChoice("all", _l("Every school"))] if every_school else [])
            + [SelectChoice(f"centre-{c.id}", c.name) for c in centres]
            + [SelectChoice(f"school-{s.id}", s.name) for s in schools]
        )
        return self


class CsvImportForm(Form):
    file = FileField(
        _l("CSV file"),
        validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Choose a .csv file."))],
    )


class ClassGroupImportForm(CsvImportForm):
    school_year_id = SelectField(_l("School year"), coerce=int, choices=[])
