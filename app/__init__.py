"""MOBILIS Prévention: the application factory."""

from dotenv import load_dotenv
from flask import Flask

from app import instance
from app.config import PROJECT_ROOT, Config


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
    app = MobilisFlask(
        __name__,
        instance_path=instance.folder(config.pop("INSTANCE_PATH", None)),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(Config.from_env())
    app.config.from_mapping(config)
    instance.fill_in(app)

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

    from app import backup
    from app.accounts import admin as accounts_admin
    from app.accounts import views as accounts_views
    from app.core import views as core_views
    from app.curriculum import (
        campaign_materials,  # noqa: F401  (routes on campaigns.bp)
        campaign_views,
    )
    from app.curriculum import commands as curriculum_commands
    from app.curriculum import views as curriculum_views
    from app.distribution import views as distribution_views
    from app.help import assignment_views, inbox_views  # noqa: F401  (routes on help.bp)
    from app.help import commands as help_commands
    from app.help import views as help_views
    from app.presentations import request_views  # noqa: F401  (routes on presentations.bp)
    from app.presentations import views as presentations_views
    from app.regions import views as regions_views
    from app.reports import api as reports_api
    from app.reports import (  # noqa: F401  (routes on reports.bp)
        export_views,
        outcome_views,
        token_views,
    )
    from app.reports import synthetic as synthetic_data
    from app.reports import views as reports_views
    from app.schools import calendar_views, import_views  # noqa: F401  (routes on schools.bp)
    from app.schools import views as schools_views
    from app.visits import agenda_views, session_views, share_views  # noqa: F401  (routes on visits.bp)
    from app.visits import views as visits_views

    app.register_blueprint(core_views.bp)
    app.register_blueprint(curriculum_views.bp)
    app.register_blueprint(campaign_views.bp)
    app.register_blueprint(schools_views.bp)
    app.register_blueprint(visits_views.bp)
    app.register_blueprint(help_views.bp)
    app.register_blueprint(presentations_views.bp)
    app.register_blueprint(reports_views.bp)
    app.register_blueprint(reports_api.bp)
    app.register_blueprint(distribution_views.bp)
    app.register_blueprint(regions_views.bp)
    app.cli.add_command(curriculum_commands.curriculum_group)
    app.cli.add_command(help_commands.help_group)
    app.cli.add_command(synthetic_data.seed_synthetic_command)
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
