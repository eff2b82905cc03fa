"""/api/v1/reports/outcomes: the outcome report with its evaluation sections,
as JSON, for programs; authenticated like the reach report (api.py)."""

from app.reports import outcome_files
from app.reports.api import bp, token_json
from app.reports.outcome_export_views import outcome_export
from app.reports.views import threshold
from app.security import public


@bp.route("/reports/outcomes")
@public  # to the access check; the view checks its own bearer token (token_json)
def outcomes():
    return token_json(_outcomes_body)


def _outcomes_body(user):
    report, evaluation, method = outcome_export(user)  # the owner's regions
    return outcome_files.to_json(report, evaluation, method, threshold=threshold())
