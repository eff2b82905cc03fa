"""Languages: the locale comes from the URL prefix (`/fr/…`, `/en/…`).

Every human page has a `<lang:lang>` first segment. The converter accepts only
the configured languages, so an unknown prefix is a plain 404. `url_for`
fills `lang` from the current request, so links stay in the page's language.
"""

from flask import current_app, g, request, url_for
from flask_babel import Babel
from werkzeug.routing import BaseConverter

babel = Babel()


class LanguageConverter(BaseConverter):
    """Matches one of the site's languages, nothing else."""

    def __init__(self, url_map, *languages):
        super().__init__(url_map)
        self.regex = "|".join(languages or ("fr", "en"))


def negotiate_language():
    """The best language for a request without a prefix (Accept-Language)."""
    languages = current_app.config["LANGUAGES"]
    return request.accept_languages.best_match(
        languages, default=current_app.config["DEFAULT_LANGUAGE"]
    )


def current_language():
    """The page's language: the URL's, or negotiated when the URL has none."""
    lang = g.get("lang")
    if lang:
        return lang
    if request:
        prefix = request.path.strip("/").split("/", 1)[0]
        if prefix in current_app.config["LANGUAGES"]:
            return prefix
        return negotiate_language()
    return current_app.config["DEFAULT_LANGUAGE"]


def _select_locale():
    return current_app.config["LOCALES"][current_language()]


def _pull_lang(_endpoint, values):
    if values and "lang" in values:
        g.lang = values.pop("lang")


def _add_lang(endpoint, values):
    if "lang" in values or not g.get("lang"):
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.lang


def other_language_links():
    """(lang, url) for each other language, pointing at the same page."""
    links = []
    endpoint = request.endpoint
    # The same page in the other language, also after a form was posted
    # (the link is a GET of the same address), unless the page has no GET.
    can_switch = (
        endpoint is not None
        and request.url_rule is not None
        and "lang" in request.url_rule.arguments
        and "GET" in (request.url_rule.methods or ())
    )
    for lang in current_app.config["LANGUAGES"]:
        if lang == current_language():
            continue
        if can_switch:
            args = dict(request.view_args or {}, lang=lang)
            args.update(request.args.to_dict())
            url = url_for(endpoint, **args)
        else:
            url = url_for("core.home", lang=lang)
        links.append((lang, url))
    return links


LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def init_app(app):
    app.url_map.converters["lang"] = LanguageConverter
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_add_lang)
    babel.init_app(app, locale_selector=_select_locale)
    app.jinja_env.globals.update(
        current_language=current_language,
        other_language_links=other_language_links,
        language_names=LANGUAGE_NAMES,
    )
