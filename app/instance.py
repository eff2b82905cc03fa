"""The instance folder: what the site makes for itself on its first start and keeps.

Settings left empty are filled from it: the secret key (made once), the SQLite
file and the PDF cache; the help's keys too (app/help/vault.py). Paths into
the project (translations, curriculum) default to the repository's folders.
"""

import os
import secrets
import tempfile
from pathlib import Path

from app.config import PROJECT_ROOT


def folder(given=None):
    """The instance folder: `given`, else MOBILIS_INSTANCE_PATH, else instance/."""
    return given or os.environ.get("MOBILIS_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")


def instance_secret(instance_path, name, make=lambda: secrets.token_hex(32)):
    """A secret kept in the instance folder (mode 600), made once by `make()`.

    It is written whole under a temporary name, then linked to its own name,
    which fails if that exists: processes starting together (gunicorn's
    workers on a first start) all read the one secret that came first, never
    an empty or half-written file, and none fails.
    """
    path = Path(instance_path) / name
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=instance_path, prefix=f".{name}-")  # mode 600
        try:
            with os.fdopen(fd, "w") as f:
                f.write(make())
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def fill_in(app):
    """Make the instance folder if need be; fill in the settings left empty."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = instance_secret(app.instance_path, "secret_key")
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'mobilis.sqlite3'}"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    if not app.config["CURRICULUM_PATH"]:
        app.config["CURRICULUM_PATH"] = str(PROJECT_ROOT / "curriculum")
    if not app.config["PDF_CACHE_DIR"]:
        app.config["PDF_CACHE_DIR"] = str(Path(app.instance_path) / "pdf-cache")
