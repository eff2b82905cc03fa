"""The partner figures form: one group of fields (figure, source, note) per
partner indicator, named `<indicator>-value`, `<indicator>-source`,
`<indicator>-note`. The form checks each field's shape; the rules that tie
them (a source for every figure, no emptied figure) are
`outcomes.enter_figures`'s, whose codes `add_problems` turns into messages."""

import wtforms
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FormField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from app.forms import Form, TranslatedMeta
from app.reports import objectives, outcomes

COUNT = _l("Give a whole number, 0 or more.")


class FigureEntryForm(wtforms.Form):
    """One indicator's fields (no CSRF of its own: the page's form has it)."""

    class Meta(TranslatedMeta):
        pass

    value = IntegerField(
        _l("Figure for this period"),
        validators=[Optional(), NumberRange(min=0, max=outcomes.MAX_VALUE, message=COUNT)],
    )
    source = StringField(
        _l("Source"),
        validators=[Length(max=outcomes.SOURCE_LENGTH)],
        description=_l(
            "Where the figure comes from, e.g. the police's quarterly report. Printed in the PDF."
        ),
    )
    note = TextAreaField(
        _l("Note"),
        validators=[Length(max=outcomes.NOTE_LENGTH)],
        description=_l("For the partnership only: not printed in the PDF. No names."),
        render_kw={"rows": 2},
    )


class PartnerFiguresForm(Form):
    def entries(self):
        """{indicator: (value, source, note)} as typed, leaving out the
        indicators with a field in the wrong shape (not a number, too long)."""
        return {
            key: (self[key].value.data, self[key].source.data or "", self[key].note.data or "")
            for key in objectives.PARTNER_KEYS
            if not self[key].errors
        }

    def add_problems(self, problems):
        for indicator, fields in problems.items():
            for name, code in fields.items():
                if indicator in objectives.PARTNER_KEYS and name in ("value", "source", "note"):
                    self[indicator][name].errors.append(problem_message(name, code))


for _key in objectives.PARTNER_KEYS:
    setattr(PartnerFiguresForm, _key, FormField(FigureEntryForm))


def figures_form(current):
    """The form, filled with the current entries ({indicator: entry or None})."""
    data = {
        key: {"value": entry.value, "source": entry.source, "note": entry.note}
        for key, entry in current.items()
        if entry is not None
    }
    return PartnerFiguresForm(data=data)


def problem_message(field, code):
    if code == "required" and field == "value":
        return _("Give the figure, or leave the source and note empty.")
    if code == "required":
        return _("Say where the figure comes from.")
    if code == "keep":
        return _("A figure cannot be removed: enter the corrected figure (0 if there were none).")
    if code == "count":
        return _("Give a whole number, 0 or more.")
    return _("This is too long.")
