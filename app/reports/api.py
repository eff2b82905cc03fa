"""/api/v1/: the reach report as JSON, for programs, and its OpenAPI document.

The API is authenticated by a personal token only (`Authorization: Bearer
…`, made at /<lang>/reports/tokens), never by the site's session cookie: a
page open in a browser cannot lend its session to a script, and a browser
never sends the header on its own, so there is no cross-site request to
forge (CSRF does not apply; the API only answers GET anyway).
"""

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_babel import force_locale

from app.accounts.models import User
from app.config import PROJECT_ROOT
from app.db import get_session
from app.reports import files, tokens
from app.reports.report import build_report
from app.reports.views import READERS, requested_scope, threshold
from app.security import Role, csrf, public

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

OPENAPI_FILE = PROJECT_ROOT / "docs" / "openapi.yaml"
ALLOWED_ROLES = frozenset(READERS) | {Role.ADMIN}


def _refuse(status, error, message):
    response = jsonify({"error": error, "message": message, "status": status})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Bearer realm="mobilis", error="{error}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _bearer_token():
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def _token_user():
    """(token, user) of the request's bearer token, or an error response."""
    session = get_session()
    token = tokens.find_by_token(session, _bearer_token())
    if token is None:
        return None, _refuse(
            401, "invalid_token", "A valid personal API token is required (Authorization: Bearer)."
        )
    user = session.get(User, token.user_id)
    if user is None or not user.active or user.role not in ALLOWED_ROLES:
        return None, _refuse(
            403, "insufficient_scope", "This token's account may no longer read the reports."
        )
    return (token, user), None


def token_json(body_for):
    """The JSON answer `body_for(user)` makes for the owner of the request's
    bearer token, in the language asked (?lang=), marking the token used; or
    the error response. Every report of the API answers through it."""
    found, refused = _token_user()
    if refused is not None:
        return refused
    token, user = found
    lang = request.args.get("lang") or current_app.config["DEFAULT_LANGUAGE"]
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    g.lang = lang  # module titles and the error pages follow it too
    with force_locale(current_app.config["LOCALES"][lang]):
        body = body_for(user)
    tokens.mark_used(get_session(), token=token)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = lang
    return response


@bp.route("/reports/reach")
@public  # to the access check; the view checks its own bearer token (token_json)
def reach():
    return token_json(_reach_body)


def _reach_body(user):
    period, filters = requested_scope(user)  # limited to the owner's regions
    report = build_report(get_session(), period, filters, threshold=threshold())
    return files.to_json(report, threshold=threshold())


@bp.route("/openapi.yaml")
@public
def openapi():
    response = current_app.response_class(OPENAPI_FILE.read_bytes(), mimetype="application/yaml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
