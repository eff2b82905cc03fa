"""The base of every form: WTForms' own messages in the page's language."""

import functools

from flask_wtf import FlaskForm
from wtforms.i18n import get_translations

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
