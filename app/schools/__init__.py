"""Schools, school service centres, class groups and school calendars."""

from app import blueprints


def init_app(app):
    """Register the schools' pages: lists and forms, imports, calendars."""
    from app.schools import calendar_views, import_views, views

    blueprints.register(app, views.bp, import_views, calendar_views)
