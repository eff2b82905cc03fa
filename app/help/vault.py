"""The two secrets of the anonymous box: encrypting bodies, hashing passphrases.

Bodies: Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under the
keys in HELP_ENCRYPTION_KEYS. The first key encrypts; every key decrypts, so
a key is rotated by putting a new one first and running `flask help rekey`,
which re-encrypts every body under it; the old key can then be dropped.

Passphrases: HMAC-SHA256 under HELP_PASSPHRASE_KEY of the normalised words.
The passphrase already carries 66 bits of randomness, so a slow hash would add
nothing against guessing; the key is what matters: without it, a database
dump cannot even be used to test a guess. The digest is deterministic, so the
conversation is found by an indexed lookup, without a per-row salt.

Both keys live outside the database (settings, or files in the instance
folder made on first start), and must be backed up apart from it.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from app import instance_secret


def init_app(app):
    """Fill in the keys from the instance folder when the settings leave them empty."""
    if not app.config.get("HELP_ENCRYPTION_KEYS"):
        app.config["HELP_ENCRYPTION_KEYS"] = instance_secret(
            app.instance_path, "help_encryption_key", lambda: Fernet.generate_key().decode()
        )
    if not app.config.get("HELP_PASSPHRASE_KEY"):
        app.config["HELP_PASSPHRASE_KEY"] = instance_secret(
            app.instance_path, "help_passphrase_key"
        )
    app.extensions["help_vault"] = Vault(
        app.config["HELP_ENCRYPTION_KEYS"], app.config["HELP_PASSPHRASE_KEY"]
    )


class Vault:
    def __init__(self, encryption_keys, passphrase_key):
        keys = [k.strip() for k in encryption_keys.split(",") if k.strip()]
        self._fernet = MultiFernet([Fernet(k) for k in keys])
        self._passphrase_key = passphrase_key.encode()

    def encrypt(self, text):
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token):
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ValueError("a body that no configured key opens") from None

    def rotate(self, token):
        """The token re-encrypted under the first key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def digest(self, normalised_passphrase):
        return hmac.new(
            self._passphrase_key, normalised_passphrase.encode("utf-8"), hashlib.sha256
        ).hexdigest()


def vault():
    return current_app.extensions["help_vault"]
