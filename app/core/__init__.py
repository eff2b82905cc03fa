"""The site's own pages: home, the language redirect, the health check; the
help numbers every page and PDF shows (helplines.py)."""


def init_app(app):
    """Register the home page, the language redirect and the health check."""
    from app.core import views

    app.register_blueprint(views.bp)
