"""Awareness campaigns on the staff side: what workers hand out to schools
(distribution records), and the campaigns' periods in staff calendars. The
campaigns themselves are content (app/curriculum/campaigns.py)."""


def init_app(app):
    """Register the distribution records' pages."""
    from app.distribution import views

    app.register_blueprint(views.bp)
