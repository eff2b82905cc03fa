"""The base of every form: WTForms' own messages in the page's language, and no NUL byte."""

import functools

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectMultipleField
from wtforms.i18n import get_translations
from wtforms.widgets import CheckboxInput, ListWidget

from app.i18n import current_language


@functools.cache
def _wtforms_translations(lang):
    return get_translations(languages=[lang])


class TranslatedMeta:
    """WTForms' built-in messages ("This field is required.") in the language
    of the URL: the Meta of every form, nested ones included."""

    def get_translations(self, form):
        return _wtforms_translations(current_language())


class Form(FlaskForm):
    """A CSRF-protected form whose built-in messages come from WTForms'
    catalogs in the language of the URL."""

    class Meta(TranslatedMeta, FlaskForm.Meta):
        pass

    def validate(self, extra_validators=None):
        """WTForms' validation, and no NUL byte in any value: nobody types one,
        PostgreSQL refuses one in text (a 500 after the form said yes), and
        SQLite would keep it. Refused with a message, like any other mistake."""
        valid = super().validate(extra_validators)
        for field in _fields_holding_nul(self):
            field.errors.append(_("This field contains a character that is not allowed."))
            valid = False
        return valid


class CheckboxesField(SelectMultipleField):
    """Checkboxes: easier than a multiple select, on a phone and by keyboard."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _fields_holding_nul(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields_holding_nul(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _fields_holding_nul(entry.form)
                elif _holds_nul(entry.data):
                    yield entry
        elif _holds_nul(field.data):
            yield field


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_holds_nul(item) for item in value)
    return False
