"""Reach and outcome reports: figures computed in SQL, exports, partner figures."""

from app import blueprints


def init_app(app):
    """Register the reports' pages and the API."""
    from app.reports import (
        api,
        coordination_views,
        evaluation_views,
        export_views,
        outcome_api,
        outcome_export_views,
        outcome_views,
        token_views,
        views,
    )

    blueprints.register(
        app,
        views.bp,
        coordination_views,
        export_views,
        outcome_views,
        outcome_export_views,
        evaluation_views,
        token_views,
    )
    blueprints.register(app, api.bp, outcome_api)
