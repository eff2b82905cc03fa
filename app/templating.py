"""What every template can use."""

from flask_babel import format_date, format_datetime, format_decimal


def init_app(app):
    app.jinja_env.globals.update(
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
