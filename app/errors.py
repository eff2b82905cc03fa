"""Error pages in the page's language, for people and for the JSON API."""

from flask import g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.i18n import current_language

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


def render_error(code):
    g.setdefault("lang", current_language())
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    if request.path.startswith("/api/"):
        return {"error": str(title), "status": code}, code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _handle_http_error(error):
    if error.code not in ERROR_TEXTS:
        return error
    return render_error(error.code)


def _handle_csrf_error(_error):
    return render_error(400)


def _handle_server_error(error):
    return render_error(500)


def init_app(app):
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(InternalServerError, _handle_server_error)
