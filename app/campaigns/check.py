"""The rules a campaign's files must follow, each problem reported at its line.

A schema of the front matter (every key, nested ones too, with its word or
character limit), phone numbers anywhere in the file, the body's links and its
`## Sources` section, and the keys both languages must share. Used by
`loader.load_campaigns`.
"""

import datetime
import re
from dataclasses import dataclass

import yaml

from app.curriculum.decks import count_words
from app.curriculum.loader import LANGUAGES, LINK_RE, PHONE_RE, VERSION_RE

AUDIENCES = ("students", "staff", "parents", "community")
# Keys that say the same thing in both languages, so must be equal.
SHARED_KEYS = ("period", "audience", "version", "updated")
MONTH_DAY_RE = re.compile(r"^(\d\d)-(\d\d)$")
SOURCES_RE = re.compile(r"^##\s+Sources\s*$")
HEADING_RE = re.compile(r"^#{1,2}\s")


def _text(*, chars=None, words=None):
    def check(value):
        return (
            isinstance(value, str)
            and value.strip() != ""
            and (chars is None or len(value.strip()) <= chars)
            and (words is None or count_words(value) <= words)
        )

    return check


def month_day(value):
    """(month, day) of a "MM-DD" text naming a day that exists every year, else None."""
    match = MONTH_DAY_RE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        datetime.date(2001, month, day)  # not a leap year: 02-29 is refused
    except ValueError:
        return None
    return month, day


def _audience(value):
    return (
        isinstance(value, list)
        and value
        and all(v in AUDIENCES for v in value)
        and len(set(value)) == len(value)
    )


@dataclass(frozen=True)
class ListOf:
    """A schema for a list of `minimum` to `maximum` items, each checked by `item`."""

    item: object
    minimum: int
    maximum: int
    noun: str


# A leaf is (check, message); a dict is a mapping with exactly these keys.
MONTH_DAY = (month_day, 'a day written "MM-DD", in quotes, that exists every year')
SCHEMA = {
    "title": (_text(chars=90), "a text of at most 90 characters"),
    "key_message": (_text(chars=120), "a text of at most 120 characters"),
    "period": {"start": MONTH_DAY, "end": MONTH_DAY},
    "audience": (_audience, f"a list of audiences among {', '.join(AUDIENCES)}"),
    "version": (
        lambda v: isinstance(v, str) and bool(VERSION_RE.match(v)),
        'a text like "1.0" (MAJOR.MINOR, in quotes)',
    ),
    "updated": (lambda v: isinstance(v, datetime.date), "a date written YYYY-MM-DD"),
    "materials": {
        "poster": {
            "headline": (_text(words=12), "a text of at most 12 words"),
            "text": (_text(words=40), "a text of at most 40 words"),
        },
        "card": {
            "text": (_text(words=20), "a text of at most 20 words"),
            "alt": (_text(chars=300), "a text of at most 300 characters"),
        },
        "slide": {
            "headline": (_text(words=12), "a text of at most 12 words"),
            "text": (_text(words=60), "a text of at most 60 words"),
        },
    },
    "posts": ListOf(
        {
            "when": (_text(chars=80), "a text of at most 80 characters"),
            "text": (_text(chars=280), "a text of at most 280 characters"),
        },
        minimum=3,
        maximum=5,
        noun="posts, each with 'when' and 'text'",
    ),
}


def _value_lines(doc):
    """The line of every key and list item of the front matter, by path: ("posts", 0, "text")."""
    header = "\n".join(doc.raw.decode("utf-8").split("\n")[1 : doc.body_line - 2])
    lines = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    lines[(*path, key_node.value)] = key_node.start_mark.line + 2
                    walk(value_node, (*path, key_node.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 2
                walk(item, (*path, index))

    walk(yaml.compose(header, Loader=yaml.SafeLoader), ())
    return lines


def _name(path):
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _Checker:
    """Checks one document against SCHEMA, reporting each problem at its line."""

    def __init__(self, doc, problems):
        self.doc, self.problems = doc, problems
        self.lines = _value_lines(doc)

    def line(self, path):
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def add(self, path, message):
        self.problems.add(self.doc.path, self.line(path), message)

    def check(self, value, schema, path=()):
        if isinstance(schema, dict):
            return self._mapping(value, schema, path)
        if isinstance(schema, ListOf):
            if not isinstance(value, list) or not schema.minimum <= len(value) <= schema.maximum:
                span = f"{schema.minimum} to {schema.maximum}"
                self.add(path, f"'{_name(path)}': a list of {span} {schema.noun}")
                return False
            results = [self.check(v, schema.item, (*path, i)) for i, v in enumerate(value)]
            return all(results)
        valid, message = schema
        if not valid(value):
            self.add(path, f"'{_name(path)}': {message}")
            return False
        return True

    def _mapping(self, value, schema, path):
        if not isinstance(value, dict):
            self.add(path, f"'{_name(path)}': a mapping with the keys {', '.join(schema)}")
            return False
        ok = True
        for key, sub in schema.items():
            if key not in value:
                where = "the front matter" if not path else f"'{_name(path)}'"
                self.add(path, f"missing key '{_name((*path, key))}' in {where}")
                ok = False
            else:
                ok &= self.check(value[key], sub, (*path, key))
        for key in value:
            if key not in schema:
                self.add((*path, key), f"unknown key '{_name((*path, key))}'")
                ok = False
        return ok


def _check_text(doc, modules, problems):
    """Phone numbers anywhere in the file; the body's links and its sources section."""
    for index, line in enumerate(doc.raw.decode("utf-8").split("\n")):
        if PHONE_RE.search(line):
            problems.add(
                doc.path,
                index + 1,
                "a phone number in a campaign: help numbers live in app/data/helplines.yaml "
                "and are shown by the site and the materials",
            )
    body = doc.body.split("\n")
    for index, line in enumerate(body):
        number = doc.body_line + index
        for is_image, _text, target in LINK_RE.findall(line):
            if is_image:
                problems.add(doc.path, number, "no images in a campaign")
            elif target.startswith("module:"):
                slug = target.removeprefix("module:").split("#")[0]
                if slug not in modules:
                    problems.add(doc.path, number, f"link to unknown module '{slug}'")
            elif not target.startswith(("#", "https:", "mailto:")):
                problems.add(
                    doc.path,
                    number,
                    f"link '{target}': link to a module as module:<slug>, else use https://",
                )
    starts = [i for i, line in enumerate(body) if SOURCES_RE.match(line.strip())]
    if not starts:
        problems.add(
            doc.path,
            doc.body_line,
            "no '## Sources' section: the body lists where each fact comes from",
        )
        return
    after = body[starts[0] + 1 :]
    section = after[: next((i for i, t in enumerate(after) if HEADING_RE.match(t)), len(after))]
    if not any(line.strip() for line in section):
        problems.add(doc.path, doc.body_line + starts[0], "the 'Sources' section is empty")


def check_campaign(campaign, modules, problems):
    valid = {}
    for lang, doc in campaign.documents.items():
        if _Checker(doc, problems).check(doc.meta, SCHEMA):
            valid[lang] = doc
        _check_text(doc, modules, problems)
    if len(valid) < len(LANGUAGES):
        return
    fr, en = valid["fr"], valid["en"]
    for key in SHARED_KEYS:
        if fr.meta[key] != en.meta[key]:
            problems.add(
                en.path, en.lines.get(key, 1), f"'{key}' differs from fr.md ({fr.meta[key]!r})"
            )
    if len(fr.meta["posts"]) != len(en.meta["posts"]):
        problems.add(
            en.path,
            en.lines.get("posts", 1),
            f"{len(en.meta['posts'])} posts, but fr.md has {len(fr.meta['posts'])}: "
            "both languages suggest the same posts",
        )
