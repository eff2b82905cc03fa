"""The base of every form: WTForms' own messages in the page's language, and no NUL byte.

`CsrfSessions` makes, outside any request, what a public form's first visit
makes inside one: a CSRF token and the session cookie that holds its raw
value, for the page cache's form pages (app/pagecache.py).
"""

import functools
import hashlib
import os

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
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


class CsrfSessions:
    """New CSRF sessions for an app, as Flask-WTF's `generate_csrf` and Flask's
    session interface make them on a visitor's first form: a raw token of
    40 hex digits kept in the session (its only key), the page's token being
    it signed with the CSRF salt. A form posted with them is checked by
    Flask-WTF as any other."""

    def __init__(self, app):
        self.app = app
        self.cookie_name = app.config["SESSION_COOKIE_NAME"]
        self.field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        self._serializers = None

    def _made(self):
        # Built on first use: the secret key is the app's by then.
        if self._serializers is None:
            secret = self.app.config.get("WTF_CSRF_SECRET_KEY") or self.app.secret_key
            self._serializers = (
                self.app.session_interface.get_signing_serializer(self.app),
                URLSafeTimedSerializer(secret, salt="wtf-csrf-token"),
            )
        return self._serializers

    def mint(self):
        """(session cookie value, CSRF token for the page) of a new session."""
        session, csrf = self._made()
        # Flask-WTF's own raw token: 64 random bytes, hashed to 40 hex digits.
        raw = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324
        return session.dumps({self.field: raw}), csrf.dumps(raw)

    def holds_only(self, cookie_value, csrf_token):
        """Whether a session cookie holds the raw value of `csrf_token`, and nothing else."""
        session, csrf = self._made()
        try:
            return session.loads(cookie_value) == {self.field: csrf.loads(csrf_token)}
        except BadData:
            return False
