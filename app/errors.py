"""Error pages in the page's language, for people and for the JSON API."""

import logging

from flask import g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.db import is_database_unavailable
from app.i18n import current_language

logger = logging.getLogger(__name__)

# Seconds a client should wait before trying again when the database is away.
RETRY_AFTER_SECONDS = 30

ERROR_TEXTS = {
    400: (
        _l("Bad request"),
        _l(
            "The form could not be accepted. It may have been open too long: "
            "go back, reload the page and try again."
        ),
    ),
    403: (_l("Access denied"), _l("Your account does not give access to this page.")),
    404: (
        _l("Page not found"),
        _l("This page does not exist or has moved. Check the address, or start from home."),
    ),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    # Worded without « tu » or « vous »: the same words for staff and students.
    413: (
        _l("Too much sent at once"),
        _l(
            "What was sent is larger than this page accepts. Shorten the text or "
            "choose a smaller file, then try again."
        ),
    ),
    429: (
        _l("Too many requests"),
        _l("You tried too many times in a short while. Wait a minute, then try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("The site ran into an error. Nothing was saved. Please try again in a moment."),
    ),
    503: (
        _l("Service unavailable"),
        _l("The site cannot reach its database right now. Please try again in a few minutes."),
    ),
}


def _to_a_student(code):
    """The message of a page a student may see, in a student's voice.

    Anyone not signed in is addressed as a student is on the rest of the site:
    « tu » in French. Signed-in staff keep ERROR_TEXTS' « vous ». The English is
    the same; the context tells the translations apart.
    """
    messages = {
        400: pgettext(
            "to a student",
            "The form could not be accepted. It may have been open too long: "
            "go back, reload the page and try again.",
        ),
        404: pgettext(
            "to a student",
            "This page does not exist or has moved. Check the address, or start from home.",
        ),
        429: pgettext(
            "to a student",
            "You tried too many times in a short while. Wait a minute, then try again.",
        ),
        500: pgettext(
            "to a student",
            "The site ran into an error. Nothing was saved. Please try again in a moment.",
        ),
        503: pgettext(
            "to a student",
            "The site cannot reach its database right now. Please try again in a few minutes.",
        ),
    }
    return messages.get(code)


def render_error(code):
    g.setdefault("lang", current_language())
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == 503 else {}
    if request.path.startswith("/api/"):
        return {"error": str(title), "status": code}, code, headers
    if not current_user.is_authenticated:
        message = _to_a_student(code if code in ERROR_TEXTS else 500) or message
    page = render_template("errors/error.html", code=code, title=title, message=message)
    return page, code, headers


def _handle_http_error(error):
    if error.code not in ERROR_TEXTS:
        return error
    return render_error(error.code)


def _handle_csrf_error(_error):
    return render_error(400)


def _handle_server_error(error):
    # A commit that failed after the view (app.db.DatabaseUnavailable) arrives here.
    if is_database_unavailable(error.original_exception):
        return render_error(503)
    return render_error(500)


def _handle_database_error(error):
    if not is_database_unavailable(error):
        raise error  # a bug or a broken rule: logged, and the 500 page
    # The kind of error and the route only: the error's text may quote SQL
    # parameters, and the path may hold a token.
    rule = request.url_rule.rule if request.url_rule else "?"
    original = error.orig
    logger.warning(
        "database unavailable on %s %s: %s %s %s",
        request.method,
        rule,
        type(error).__name__,
        type(original).__name__,
        getattr(original, "sqlstate", None) or "",
    )
    return render_error(503)


def init_app(app):
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(InternalServerError, _handle_server_error)
    app.register_error_handler(DBAPIError, _handle_database_error)
