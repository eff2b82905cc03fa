"""MOBILIS Prévention: the application factory."""

import os
import secrets
import tempfile
from pathlib import Path

from dotenv import load_dotenv
from flask import Flask

from app.config import Config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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


class MobilisFlask(Flask):
    """Flask, whose log line for an unhandled exception names the route's rule
    instead of the path (a share link's path holds its token; app/jsonlog.py)."""

    def log_exception(self, exc_info):
        from flask import request

        rule = request.url_rule.rule if request.url_rule is not None else "-"
        self.logger.error("Exception on %s [%s]", rule, request.method, exc_info=exc_info)


def create_app(config=None):
    """Build the application; `config` (a mapping) overrides the environment."""
    load_dotenv(PROJECT_ROOT / ".env")
    config = dict(config or {})
    instance_path = (
        config.pop("INSTANCE_PATH", None)
        or os.environ.get("MOBILIS_INSTANCE_PATH")
        or str(PROJECT_ROOT / "instance")
    )
    app = MobilisFlask(
        __name__, instance_path=instance_path, static_folder=str(PROJECT_ROOT / "static")
    )
    app.config.from_mapping(Config.from_env())
    app.config.from_mapping(config)
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

    from app import (
        accounts,
        bodysize,
        cli,
        curriculum,
        db,
        errors,
        i18n,
        jsonlog,
        security,
        static_files,
        templating,
    )
    from app.help import alert_runner as help_alert_runner
    from app.help import logs as help_logs
    from app.help import vault as help_vault

    jsonlog.init_app(app)
    db.init_app(app)
    accounts.init_app(app)
    curriculum.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    bodysize.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    help_vault.init_app(app)
    help_logs.init_app(app)
    help_alert_runner.init_app(app)
    static_files.init_app(app)

    from app import backup, campaigns, devdata
    from app.accounts import admin as accounts_admin
    from app.accounts import views as accounts_views
    from app.core import views as core_views
    from app.curriculum import commands as curriculum_commands
    from app.curriculum import views as curriculum_views
    from app.help import assignment_views, inbox_views  # noqa: F401  (routes on help.bp)
    from app.help import commands as help_commands
    from app.help import views as help_views
    from app.presentations import (  # noqa: F401  (routes on presentations.bp)
        month_views,
        plan_views,
        request_views,
    )
    from app.presentations import views as presentations_views
    from app.regions import views as regions_views
    from app.reports import api as reports_api
    from app.reports import (  # noqa: F401  (routes on reports.bp)
        export_views,
        outcome_views,
        token_views,
    )
    from app.reports import views as reports_views
    from app.schools import calendar_views, import_views  # noqa: F401  (routes on schools.bp)
    from app.schools import views as schools_views
    from app.visits import agenda_views, session_views, share_views  # noqa: F401  (routes on visits.bp)
    from app.visits import views as visits_views

    app.register_blueprint(core_views.bp)
    app.register_blueprint(curriculum_views.bp)
    campaigns.init_app(app)
    app.register_blueprint(schools_views.bp)
    app.register_blueprint(visits_views.bp)
    app.register_blueprint(help_views.bp)
    app.register_blueprint(presentations_views.bp)
    app.register_blueprint(reports_views.bp)
    app.register_blueprint(reports_api.bp)
    app.register_blueprint(regions_views.bp)
    app.cli.add_command(curriculum_commands.curriculum_group)
    app.cli.add_command(help_commands.help_group)
    devdata.init_app(app)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(accounts_admin.bp)

    security.check_access_rules(app)
    curriculum_commands.sync_on_start(app)
    if app.config["PUBLIC_PAGE_CACHE_BYTES"]:
        from app.pagecache import PublicPageCache

        app.wsgi_app = PublicPageCache(
            app.wsgi_app,
            version=app.extensions["curriculum"].version,
            max_bytes=app.config["PUBLIC_PAGE_CACHE_BYTES"],
        )
    from app.hosts import TrustedHostsOnly

    # Before the page cache: an unknown host name is never a key there, nor
    # in the PDF cache behind the views (app/hosts.py).
    app.wsgi_app = TrustedHostsOnly(app.wsgi_app, app)
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Outermost, so that the host check, the page cache's key and the app
        # all see the visitor's scheme and host (and the rate limiter the real client).
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app
