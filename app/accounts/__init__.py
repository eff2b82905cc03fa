"""Users, partners and roles."""


def init_app(app):
    """Password hashing, the sign-in and account pages, the admin's pages."""
    from app.accounts import admin, views
    from app.accounts.services import PasswordHashing

    app.extensions["password_hashing"] = PasswordHashing(**app.config["PASSWORD_HASH_PARAMETERS"])
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
