"""Anonymous questions: students ask without an account, youth workers answer."""

from app import blueprints


def init_app(app):
    """The questions' keys, log filter and alert runner; their pages and commands."""
    from app.help import alert_runner, assignment_views, commands, inbox_views, logs, vault, views

    vault.init_app(app)
    logs.init_app(app)
    alert_runner.init_app(app)
    blueprints.register(app, views.bp, inbox_views, assignment_views)
    app.cli.add_command(commands.help_group)
    # The urgency model takes seconds to load (scikit-learn, the neighbours'
    # features): a worker loads it before its first request (gunicorn.conf.py),
    # rather than the first student of the day waiting, with a class behind.
    app.extensions.setdefault("mobilis_warm_up", []).append(_load_urgency_model)


def _load_urgency_model():
    from app.help import urgency_model

    urgency_model.shipped()
