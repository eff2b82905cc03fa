"""MOBILIS Prévention: the application factory.

`create_app` reads the settings, wires the lower layers, lets each domain
plug in its pages, commands and hooks (its package's `init_app`), then checks
that every view has an access rule and puts the WSGI layers around the app.
"""

from dotenv import load_dotenv
from flask import Flask

from app import (
    accounts,
    bodysize,
    campaigns,
    cli,
    core,
    curriculum,
    db,
    devdata,
    errors,
    evaluation,
    help,
    i18n,
    instance,
    jsonlog,
    middleware,
    migrations,
    pdfbuild,
    pdfserve,
    presentations,
    regions,
    reports,
    schools,
    security,
    static_files,
    templating,
    visits,
)
from app.config import PROJECT_ROOT, Config

# The lower layers, in the order their hooks run: the route is noted for the
# log before anything else (jsonlog); the database's commit, registered
# first, is the last after-request hook; the rate limiter is the first
# before-request hook after the body size's (security, bodysize); the
# public files' registry comes before the domains that register theirs.
LAYERS = (
    jsonlog,
    db,
    i18n,
    security,
    bodysize,
    templating,
    errors,
    static_files,
    pdfbuild,
    pdfserve,
)

# The domains, each registering its pages, commands and hooks, in this order:
# help's before-request hook (the alert runner's start) runs ahead of the
# accounts' session rules, which may answer a request themselves.
DOMAINS = (
    core,
    curriculum,
    schools,
    visits,
    help,
    presentations,
    reports,
    campaigns,
    evaluation,
    regions,
    accounts,
)

# The commands no domain owns: the database's migrations, backups, and the
# development data's (app/devdata, which nothing in the product imports).
COMMANDS = (migrations, cli, devdata)


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
    for part in (*LAYERS, *DOMAINS, *COMMANDS):
        part.init_app(app)
    security.check_access_rules(app)
    middleware.wrap(app)
    return app
