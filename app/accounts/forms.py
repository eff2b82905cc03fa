from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.accounts.models import AccountEventKind, PartnerKind
from app.accounts.passwords import MIN_PASSWORD_LENGTH, PolicyViolation
from app.forms import Form
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


ACCOUNT_EVENT_LABELS = {
    AccountEventKind.SIGNED_IN: _l("Signed in"),
    AccountEventKind.WRONG_PASSWORD: _l("Wrong password"),
    AccountEventKind.LOCKED: _l("Attempts paused after repeated failures"),
    AccountEventKind.WRONG_CODE: _l("Wrong two-factor code"),
    AccountEventKind.SIGNED_OUT: _l("Signed out"),
    AccountEventKind.PASSWORD_CHANGED: _l("Password changed"),
    AccountEventKind.PASSWORD_RESET: _l("Password reset by an administrator (link sent)"),
    AccountEventKind.TWO_FACTOR_ENROLLED: _l("Two-factor sign-in set up"),
    AccountEventKind.TWO_FACTOR_RESET: _l("Two-factor sign-in reset by an administrator"),
    AccountEventKind.EMAIL_CHANGED: _l("E-mail address changed"),
}

# Why a password was refused (app/accounts/passwords.py), said to whoever typed it.
PASSWORD_POLICY_MESSAGES = {
    PolicyViolation.TOO_SHORT: _l(
        "This password is too short: use at least %(count)s characters.",
        count=MIN_PASSWORD_LENGTH,
    ),
    PolicyViolation.COMMON: _l(
        "This password is one of the most common ones found in data breaches, even with "
        "digits or symbols added at the end. Choose another: a few unrelated words are "
        "easy to remember and hard to guess."
    ),
    PolicyViolation.PERSONAL: _l(
        "The password must not contain the name or the e-mail address of the account."
    ),
}


def _password_length():
    return Length(
        min=MIN_PASSWORD_LENGTH,
        max=1024,
        message=_l("Use at least %(min)d characters (and at most %(max)d)."),
    )


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])


class PasswordChangeForm(Form):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), _password_length()],
        description=_l(
            "At least %(count)s characters, not a common password, not your name or e-mail. "
            "A few unrelated words make a strong password.",
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


class NewPasswordForm(PasswordChangeForm):
    """The password chosen through a reset link (no current one to give)."""

    current_password = None  # WTForms drops a field a subclass sets to None


def _partner_choices(partners):
    return [SelectChoice("", _l("— None —"))] + [SelectChoice(str(p.id), p.name) for p in partners]


class UserForm(Form):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        validators=[DataRequired()],
    )
    partner = SelectField(_l("Partner organization"), choices=[])

    def set_partners(self, partners):
        self.partner.choices = _partner_choices(partners)
        return self


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), _password_length()],
        description=_l(
            "At least %(count)s characters. The person will be asked to choose their own "
            "at first sign-in.",
            count=MIN_PASSWORD_LENGTH,
        ),
    )


class ConfirmForm(Form):
    """An empty form: a POST with its CSRF token confirms an action."""


class CodeForm(Form):
    """The six-digit code of an authenticator app."""

    code = StringField(
        _l("Six-digit code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The code your authenticator app shows now for MOBILIS Prévention."),
        # Phones offer the digit keypad and, on some, the code from the app.
        render_kw={"inputmode": "numeric", "spellcheck": "false", "autocapitalize": "off"},
    )
