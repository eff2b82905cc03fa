"""Joint police–youth house presentations and the requests schools send."""

from app import blueprints


def init_app(app):
    """Register the presentations' pages and the schools' request pages."""
    from app.presentations import month_views, plan_views, request_views, views

    blueprints.register(app, views.bp, month_views, plan_views, request_views)
