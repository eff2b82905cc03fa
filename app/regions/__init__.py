"""Quebec's administrative regions: what schools and service centres are in,
and which of them a staff member's reports and school lists cover."""


def init_app(app):
    """Register the page where an admin sets a staff member's regions."""
    from app.regions import views

    app.register_blueprint(views.bp)
