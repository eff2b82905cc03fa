"""/api/v1/reports/outcomes: the outcome report with its evaluation sections,
as JSON, for programs; authenticated like the reach report (api.py)."""

from flask import abort, current_app, g, jsonify, request
from flask_babel import force_locale

from app.db import get_session
from app.reports import outcome_files, tokens
from app.reports.api import _token_user, bp
from app.reports.outcome_export_views import outcome_export
from app.reports.views import threshold
from app.security import public


@bp.route("/reports/outcomes")
@public  # to the access check; the view checks its own bearer token
def outcomes():
    found, refused = _token_user()
    if refused is not None:
        return refused
    token, user = found
    lang = request.args.get("lang") or current_app.config["DEFAULT_LANGUAGE"]
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    g.lang = lang
    with force_locale(current_app.config["LOCALES"][lang]):
        report, evaluation, method = outcome_export(user)  # the owner's regions
        body = outcome_files.to_json(report, evaluation, method, threshold=threshold())
    tokens.mark_used(get_session(), token=token)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Language"] = lang
    return response
