"""The two secrets of the anonymous box: encrypting bodies, hashing passphrases.

Bodies: AES-256-GCM (from `cryptography`) with a random 96-bit nonce, under
keys derived (HKDF-SHA256) from those in HELP_ENCRYPTION_KEYS. A stored body
carries no time and no length:

- no time: unlike Fernet, whose tokens begin with the second they were made,
  GCM's output is the nonce, the ciphertext and the tag, nothing else;
- no length: the text is padded to one size before encrypting (a 4-byte
  length, the UTF-8 text, zeros up to PADDED_BYTES), so every body in the
  database is exactly as long as every other.

The first key encrypts; every key decrypts (keys are tried in turn, the tag
tells which one fits: there are rarely more than two). A key is rotated by
putting a new one first and running `flask help rekey`, which re-encrypts
every body under it; the old key can then be dropped. Keys are the same
32-byte URL-safe base64 strings as before (the instance folder's file did
not change when bodies moved from Fernet to GCM; migration 0013 converted the
stored bodies).

Passphrases: HMAC-SHA256 under HELP_PASSPHRASE_KEY of the normalised words.
The passphrase already carries 66 bits of randomness, so a slow hash would add
nothing against guessing; the key is what matters: without it, a database
dump cannot even be used to test a guess. The digest is deterministic, so the
conversation is found by an indexed lookup, without a per-row salt. The same
key makes the digest of a form's one-time submission token (services.py).

Both keys live outside the database (settings, or files in the instance
folder made on first start), and must be backed up apart from it.
"""

import base64
import hashlib
import hmac
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from app.instance import instance_secret

PREFIX = "g1:"
# 5,000 characters (services.MAX_BODY) of up to 4 bytes each in UTF-8.
MAX_TEXT_BYTES = 20_000
PADDED_BYTES = 4 + MAX_TEXT_BYTES
_NONCE_BYTES = 12


def new_key():
    """A new body key: 32 random bytes, URL-safe base64 (the settings' format)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def init_app(app):
    """Fill in the keys from the instance folder when the settings leave them empty."""
    if not app.config.get("HELP_ENCRYPTION_KEYS"):
        app.config["HELP_ENCRYPTION_KEYS"] = instance_secret(
            app.instance_path, "help_encryption_key", new_key
        )
    if not app.config.get("HELP_PASSPHRASE_KEY"):
        app.config["HELP_PASSPHRASE_KEY"] = instance_secret(
            app.instance_path, "help_passphrase_key"
        )
    app.extensions["help_vault"] = Vault(
        app.config["HELP_ENCRYPTION_KEYS"], app.config["HELP_PASSPHRASE_KEY"]
    )


def _derive(key, info=b"mobilis help body aes-gcm"):
    raw = base64.urlsafe_b64decode(key.encode("ascii"))
    if len(raw) != 32:
        raise ValueError("a HELP_ENCRYPTION_KEYS entry is not 32 bytes of URL-safe base64")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(raw)


def pad(text, size=PADDED_BYTES):
    """A 4-byte length, the UTF-8 text, zeros up to `size` bytes in all."""
    data = text.encode("utf-8")
    if 4 + len(data) > size:
        raise ValueError("a text longer than the padded size")
    return struct.pack(">I", len(data)) + data + bytes(size - 4 - len(data))


def unpad(padded):
    (length,) = struct.unpack(">I", padded[:4])
    return padded[4 : 4 + length].decode("utf-8")


SMALL_BYTES = 128


class Vault:
    def __init__(self, encryption_keys, passphrase_key):
        keys = [k.strip() for k in encryption_keys.split(",") if k.strip()]
        if not keys:
            raise ValueError("HELP_ENCRYPTION_KEYS holds no key")
        self._ciphers = [AESGCM(_derive(k)) for k in keys]
        self._small = AESGCM(_derive(keys[0], b"mobilis help browser session"))
        self._passphrase_key = passphrase_key.encode()

    def encrypt(self, text):
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[0].encrypt(nonce, pad(text), None)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def _open(self, token):
        if not token.startswith(PREFIX):
            raise ValueError("a body in a format this vault does not read")
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
        nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        for cipher in self._ciphers:
            try:
                return cipher.decrypt(nonce, sealed, None)
            except InvalidTag:
                continue
        raise ValueError("a body that no configured key opens")

    def decrypt(self, token):
        return unpad(self._open(token))

    def rotate(self, token):
        """The token re-encrypted under the first key."""
        return self.encrypt(self.decrypt(token))

    def seal_small(self, text):
        """A short text (a passphrase) sealed for the student's own session cookie,
        padded to SMALL_BYTES, under its own derived key; None if it does not open."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._small.encrypt(nonce, pad(text, SMALL_BYTES), None)
        return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open_small(self, token):
        try:
            raw = base64.urlsafe_b64decode(token.encode("ascii"))
            padded = self._small.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None)
        except (InvalidTag, ValueError, TypeError, AttributeError):
            return None
        return unpad(padded)

    def digest(self, normalised_passphrase):
        return hmac.new(
            self._passphrase_key, normalised_passphrase.encode("utf-8"), hashlib.sha256
        ).hexdigest()


def vault():
    return current_app.extensions["help_vault"]
