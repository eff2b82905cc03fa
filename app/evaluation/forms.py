"""The questionnaire's form, made for each class (its modules' statements),
and the teacher's feedback form."""

import secrets

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional, Regexp

from app.evaluation.models import Wave
from app.formats import date_text
from app.forms import Form


def _new_submission():
    return secrets.token_urlsafe(24)


def _answer_choices(item, scale):
    if item.confidence:
        return [SelectChoice(str(n), label) for n, label in enumerate(scale, start=1)]
    return [
        SelectChoice("true", _("True")),
        SelectChoice("false", _("False")),
        SelectChoice("unsure", _("I don't know")),
    ]


def wave_labels():
    return {
        Wave.BEFORE: _("At the start of the workshop"),
        Wave.AFTER: _("At the end of the workshop"),
    }


class QuestionnaireBase(Form):
    # A one-time token made when the page is shown: the same page sent twice
    # (a phone restoring its tab) counts once (views.py).
    submission = HiddenField(
        default=_new_submission,
        validators=[Optional(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]+$")],
    )

    def answers(self, items):
        """{item key: answer given} from the fields q1, q2, …"""
        return {item.key: self[f"q{n}"].data for n, item in enumerate(items, start=1)}

    def missing(self):
        return sum(1 for field in self if field.name.startswith("q") and field.errors)


def questionnaire_form(items, *, lang, scale, ask_wave):
    """A form with one set of choices per item (fields q1, q2, …) and, when
    both waves are open (`ask_wave`), the wave the student answers."""

    class QuestionnaireForm(QuestionnaireBase):
        pass

    required = InputRequired(message=_l("Choose an answer."))
    for n, item in enumerate(items, start=1):
        field = RadioField(
            item.statement.text[lang],
            choices=_answer_choices(item, scale.get(lang, ())),
            validators=[required],
        )
        setattr(QuestionnaireForm, f"q{n}", field)
    if ask_wave:
        QuestionnaireForm.wave = RadioField(
            _l("When are you answering?"),
            choices=[SelectChoice(w.value, label) for w, label in wave_labels().items()],
            validators=[
                InputRequired(message=_l("Say whether the workshop is starting or ending."))
            ],
        )
    return QuestionnaireForm()


class FeedbackForm(Form):
    """A teacher's rating of a visit, with a comment (checked for names)."""

    visit_id = SelectField(_l("Visit"), coerce=int, validators=[InputRequired()])
    rating = RadioField(
        _l("How useful was the visit for your students?"),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l(
            "Write no name, neither a student's nor a staff member's: a coordinator reads "
            "every comment before it appears, without names, in the partnership's reports."
        ),
    )

    def set_choices(self, visits):
        self.visit_id.choices = [
            SelectChoice(
                v.id,
                _(
                    "Visit from %(start)s to %(end)s",
                    start=date_text(v.starts_on),
                    end=date_text(v.ends_on),
                ),
            )
            for v in visits
        ]
        self.rating.choices = [
            SelectChoice(n, label) for n, label in zip(range(1, 6), rating_labels(), strict=True)
        ]
        return self


def rating_labels():
    return [
        _("1 — not useful"),
        _("2 — a little useful"),
        _("3 — useful"),
        _("4 — very useful"),
        _("5 — essential"),
    ]


class DecisionForm(Form):
    status = HiddenField(validators=[InputRequired(), AnyOf(["approved", "rejected"])])
