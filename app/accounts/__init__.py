"""Users, partners and roles."""


def init_app(app):
    """Password hashing, the sign-in and account pages, the admin's pages and
    the commands that make accounts and partners."""
    from app.accounts import admin, commands, views
    from app.accounts.services import PasswordHashing

    app.extensions["password_hashing"] = PasswordHashing(**app.config["PASSWORD_HASH_PARAMETERS"])
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    app.cli.add_command(commands.create_user_command)
    app.cli.add_command(commands.create_partner_command)
