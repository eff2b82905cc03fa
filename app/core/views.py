"""The home page, the language redirect and the health check."""

from flask import Blueprint, jsonify, redirect, render_template, url_for
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.helplines import last_reviewed, load_helplines, report_lines
from app.db import get_engine
from app.i18n import current_language, negotiate_language
from app.pagecache import public_page
from app.security import public

bp = Blueprint("core", __name__, template_folder="templates")


@bp.app_template_global("report_lines")
def _report_lines_in_this_language():
    """The DPJ's numbers, for the help pages (report_box in app/templates/_help_box.html)."""
    return report_lines(current_language())


@bp.route("/")
@public
def root():
    response = redirect(url_for("core.home", lang=negotiate_language()), code=302)
    # The answer depends on the browser's languages.
    response.vary.add("Accept-Language")
    return response


@bp.route("/<lang:lang>/")
@public
@public_page
def home():
    return render_template(
        "core/home.html",
        helplines=load_helplines(current_language(), tag="home"),
        helplines_reviewed=last_reviewed(),
    )


@bp.route("/healthz")
@public
def healthz():
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database=False), 503
    return jsonify(status="ok", database=True)
