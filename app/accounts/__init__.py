"""Users, partners and roles."""


def init_app(app):
    from app.accounts.services import PasswordHashing

    app.extensions["password_hashing"] = PasswordHashing(**app.config["PASSWORD_HASH_PARAMETERS"])
