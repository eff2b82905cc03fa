"""Two-week school visits, their class sessions, conflicts and the planner."""

from app import blueprints


def init_app(app):
    """Register the visits' pages: visits, class sessions, the agenda, share links."""
    from app.visits import agenda_views, record_views, session_views, share_views, views

    blueprints.register(app, views.bp, agenda_views, record_views, session_views, share_views)
