"""Two-week school visits, their class sessions, conflicts and the planner.

Start with services.py (visits and sessions), then records.py (what was
delivered, corrected, withdrawn, and the one rule for what a session
taught), planning.py and plan_preview.py (the planner, previewed before it
is applied), sharing.py and feeds.py (the school's link and calendars).
"""

from app import blueprints


def init_app(app):
    """Register the visits' pages: visits, class sessions, the agenda, share links."""
    from app.visits import agenda_views, record_views, session_views, share_views, views

    blueprints.register(app, views.bp, agenda_views, record_views, session_views, share_views)
