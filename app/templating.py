"""What every template can use."""

from flask import current_app, url_for
from flask_babel import format_decimal

from app import formats
from app.i18n import current_language


def help_url(lang=None, *, external=False):
    """The anonymous question page in `lang`, or None while the site has none.

    `external`: the full address as printed on a PDF or card, at the site's
    public address (PUBLIC_URL) whatever name the page was asked by, so that a
    file built ahead is the same for everyone (app/pdfbuild.py).
    """
    if "help.ask" not in current_app.view_functions:
        return None
    path = url_for("help.ask", lang=lang or current_language())
    return current_app.config["PUBLIC_URL"].rstrip("/") + path if external else path


def join_labels(values, labels):
    """'Secondary 2, Secondary 3' from ['sec2', 'sec3'] and a label mapping."""
    return ", ".join(str(labels[value]) for value in values)


def init_app(app):
    app.jinja_env.globals.update(
        format_decimal=format_decimal,
        clause_separator=formats.clause_separator,
        help_url=help_url,
        join_labels=join_labels,
    )
    # Dates and times have one formatter per language (app/formats.py), so
    # templates get them as filters and Babel's own functions not at all.
    app.jinja_env.filters.update(
        date=formats.date_text,
        time=formats.time_text,
        time_range=formats.time_range_text,
        datetime=formats.datetime_text,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
