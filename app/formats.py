"""Dates, times and French spacing, written the way each language writes them.

One formatter per language, so that a date reads the same on every page, PDF
and e-mail. Each starts from Babel's patterns for the page's locale (fr_CA,
en_CA) and adds what Babel does not know of Quebec's usage:

- French: « 1er mars » (the first of the month is an ordinal), « 9 h » and
  « 10 h 30 » (no leading zero, no « h 00 »), « de 9 h à 10 h 30 », and
  non-breaking spaces inside a date or a time so it never breaks over two
  lines.
- English: one date style, Babel's long one ("March 1, 2026", "Sunday,
  March 1, 2026"), never the abbreviated "Mar 1" nor "1 March"; Babel's
  short time, without ":00" on the hour as in French: "9 a.m.",
  "10:30 a.m.", "from 9 a.m. to 10:30 a.m.".

Templates use them as filters (registered by `app.templating`):
`{{ day|date }}`, `{{ day|date("weekday") }}`, `{{ start|time }}`,
`{{ start|time_range(end) }}`, `{{ moment|datetime }}`. Python code imports
the functions. Nothing else in the app formats a date for people to read
(tests/test_formats.py holds that).

`french_spacing` puts the non-breaking spaces French typography wants before
: ; ! ? and inside « », for text written without them (the modules'
Markdown, whose files stay easy to type).
"""

import html
import re

from babel import Locale
from babel.dates import (
    format_date,
    format_time,
    get_date_format,
    get_time_format,
    match_skeleton,
    tokenize_pattern,
    untokenize_pattern,
)
from flask_babel import get_locale, gettext, to_user_timezone

from app.config import Config

NBSP = "\u00a0"  # before a colon, inside « », inside a date or a time
NNBSP = "\u202f"  # the narrow one, before ; ! ?

# Styles of a date, each Babel's pattern for the locale, some without the year.
DATE_STYLES = {
    "date": ("long", True),  # 1er mars 2026 · March 1, 2026
    "weekday": ("full", True),  # dimanche 1er mars 2026 · Sunday, March 1, 2026
    "day": ("long", False),  # 1er mars · March 1
    "weekday_day": ("full", False),  # dimanche 1er mars · Sunday, March 1
}
# Styles for a calendar's month and its columns: a month and its year from
# Babel's skeleton, a weekday's name in full.
NAME_STYLES = {
    "month": "yMMMM",  # mars 2026 · March 2026
    "weekday_name": "EEEE",  # dimanche · Sunday
}
FIELDS_ALONE = ("EEEE",)


def _locale(locale):
    """The locale to write in: the one given, or the page's; a bare language
    (e-mails are sent in force_locale("fr")) is the site's locale for it, so
    that an e-mail reads like the pages ("9 a.m.", not "9 AM")."""
    locale = locale or get_locale()
    if locale.territory is None and locale.language in Config.LOCALES:
        return Locale.parse(Config.LOCALES[locale.language])
    return locale


def _is_french(locale):
    return locale.language == "fr"


def _without_year(tokens):
    """The pattern's tokens without the year and what leads to it (", y", " y")."""
    kept = []
    for kind, value in tokens:
        if kind == "field" and value[0] in "yY":
            if kept and kept[-1][0] == "chars" and not kept[-1][1].strip(" ,"):
                kept.pop()
            continue
        kept.append((kind, value))
    return kept


def _first_of_the_month(tokens):
    """« 1er »: the day field followed by "er" (French writes the first as an ordinal)."""
    marked = []
    for kind, value in tokens:
        marked.append((kind, value))
        if kind == "field" and value == ("d", 1):
            marked.append(("chars", "er"))
    return marked


def _tie_numbers(text):
    """Non-breaking spaces on either side of a number: « 1er mars 2026 », « 10 h 30 »."""
    return re.sub(r"(?<=\d) | (?=\d)|(?<=\der) ", NBSP, text)


def date_pattern(value, style, locale):
    """Babel's pattern for `style` in `locale`, made Quebec's for French."""
    if style in NAME_STYLES:
        skeleton = NAME_STYLES[style]
        if skeleton in FIELDS_ALONE:
            return skeleton
        pattern = locale.datetime_skeletons.get(
            match_skeleton(skeleton, locale.datetime_skeletons), skeleton
        )
        return getattr(pattern, "pattern", pattern)
    babel_format, with_year = DATE_STYLES[style]
    tokens = tokenize_pattern(get_date_format(babel_format, locale=locale).pattern)
    if not with_year:
        tokens = _without_year(tokens)
    if _is_french(locale) and value.day == 1:
        tokens = _first_of_the_month(tokens)
    return untokenize_pattern(tokens)


def date_text(value, style="date", *, locale=None):
    """A date (or a datetime's local day) as the page's language writes it."""
    locale = _locale(locale)
    if hasattr(value, "hour"):
        value = to_user_timezone(value).date()
    text = format_date(value, date_pattern(value, style, locale), locale=locale)
    return _tie_numbers(text) if _is_french(locale) else text


def time_pattern(value, locale):
    """Babel's short time pattern without the minutes on the hour: « 9 h »,
    « 10 h 30 », "9 a.m.", "10:30 a.m."; in French without the leading zero."""
    shaped = []
    for kind, field in tokenize_pattern(get_time_format("short", locale=locale).pattern):
        if kind == "field" and field[0] == "H":
            field = ("H", 1)
        if kind == "field" and field[0] == "m" and value.minute == 0:
            # The minutes go, and what led to them: « h » stays, ":" goes.
            if shaped and shaped[-1][0] == "chars":
                shaped[-1] = ("chars", shaped[-1][1].rstrip(" :."))
            continue
        shaped.append((kind, field))
    return untokenize_pattern(shaped)


def time_text(value, *, locale=None):
    """A time of day (or a datetime's local time): « 9 h », « 10 h 30 », "9 a.m."."""
    locale = _locale(locale)
    if hasattr(value, "date"):
        value = to_user_timezone(value).time()
    text = format_time(value, time_pattern(value, locale), locale=locale)
    return _tie_numbers(text) if _is_french(locale) else text


def time_range_text(start, end, *, locale=None):
    """« de 9 h à 10 h 30 », "from 9 a.m. to 10:30 a.m."."""
    return gettext(
        "from %(start)s to %(end)s",
        start=time_text(start, locale=locale),
        end=time_text(end, locale=locale),
    )


def datetime_text(value, *, locale=None):
    """A moment in the local time zone: « 1er mars 2026 à 9 h 05 », "March 1, 2026 at 9:05 a.m."."""
    return gettext(
        "%(date)s at %(time)s",
        date=date_text(value, locale=locale),
        time=time_text(value, locale=locale),
    )


# French spacing. A mark takes its space when it ends a word: followed by a
# space, the end, or closing punctuation, so "https://", "10:30" and "?page=2"
# are left as they are.
_ENDS = r"(?=[\s»)\]\"'’.,]|$)"
_BEFORE_COLON = re.compile(r"(?:(?<=[^\s\u00a0\u202f:;!?«(\[/|-])| )(:)" + _ENDS)
_BEFORE_MARK = re.compile(r"(?:(?<=[^\s\u00a0\u202f;:!?«(\[/|-])| )([;!?])" + _ENDS)
_AFTER_OPENING = re.compile(r"« ?(?=\S)")
_BEFORE_CLOSING = re.compile(r"(?<=\S) ?»")


def french_spacing(text):
    """`text` with the non-breaking spaces of French typography: « : » after a
    non-breaking space, « ; ! ? » after a narrow one, « » around their words."""
    text = _BEFORE_COLON.sub(NBSP + r"\1", text)
    text = _BEFORE_MARK.sub(NNBSP + r"\1", text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    return _BEFORE_CLOSING.sub(NBSP + "»", text)


def french_spacing_html(markup):
    """HTML `markup` with French spacing in the text between its tags (for
    HTML made before it could be spaced: a table of contents, the
    curriculum's true-or-false blocks)."""
    return re.sub(
        r">([^<]+)<",
        lambda m: ">" + html.escape(french_spacing(html.unescape(m.group(1))), quote=False) + "<",
        markup,
    )


def clause_separator(*, locale=None):
    """The semicolon between two clauses: « ; » after a narrow non-breaking space in French."""
    return NNBSP + "; " if _is_french(_locale(locale)) else "; "


def clause_list(items, *, locale=None):
    """Items joined by semicolons: « a ; b », "a; b"."""
    return clause_separator(locale=locale).join(str(item) for item in items)
