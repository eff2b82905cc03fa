from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from app.accounts.models import PartnerKind
from app.accounts.services import MIN_PASSWORD_LENGTH
from app.security import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.PREVENTION_WORKER: _l("Prevention worker"),
    Role.POLICE_OFFICER: _l("Police prevention officer"),
    Role.YOUTH_WORKER: _l("Youth worker"),
}

PARTNER_KIND_LABELS = {
    PartnerKind.YOUTH_HOUSE: _l("Youth house"),
    PartnerKind.POLICE: _l("Police"),
    PartnerKind.YOUTH_CENTRE: _l("Youth centre"),
    PartnerKind.OTHER: _l("Other"),
}


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
        description=_l(
            "At least %(count)s characters. A few unrelated words make a strong password.",
            count=MIN_PASSWORD_LENGTH,
        ),
    )
    confirm_password = PasswordField(
        _l("New password, again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two passwords do not match.")),
        ],
    )


def _partner_choices(partners):
    return [("", _l("— None —"))] + [(str(p.id), p.name) for p in partners]


class UserForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(
        _l("Role"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired()],
    )
    partner = SelectField(_l("Partner organisation"), choices=[])

    def set_partners(self, partners):
        self.partner.choices = _partner_choices(partners)
        return self

    def validate_partner(self, field):
        valid = {value for value, _label in field.choices}
        if field.data not in valid:
            raise ValidationError(_l("Choose an organisation from the list."))


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
        description=_l(
            "At least %(count)s characters. The person will be asked to choose their own "
            "at first sign-in.",
            count=MIN_PASSWORD_LENGTH,
        ),
    )


class ConfirmForm(FlaskForm):
    """An empty form: a POST with its CSRF token confirms an action."""
