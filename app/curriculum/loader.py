"""The program's modules, read from `curriculum/<slug>/` (Markdown + YAML).

A module folder holds the lesson (`fr.md`, `en.md`), the teacher guide
(`guide.fr.md`, `guide.en.md`) and the facilitator notes (`notes.fr.md`,
`notes.en.md`), and may hold a slide deck (`deck.fr.md` and `deck.en.md`, see
`decks.py`), each with YAML front matter. A lesson's true-or-false activity
keeps its answers out of the handout (`truefalse.py`, `truefalse_check.py`).
Here: the words the files may use, reading one document (`parse_document`)
and what a module's documents must hold (`check_module`), every problem with
its file and line. Reading every folder into the catalogue: modules.py.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from app.curriculum.decks import check_deck
from app.curriculum.truefalse_check import check_true_false
from app.formats import french_spacing

LANGUAGES = ("fr", "en")
KINDS = ("lesson", "guide", "notes")
# Documents a module may have; when it has one, it needs both languages.
OPTIONAL_KINDS = ("deck",)
GRADES = ("sec1", "sec2", "sec3", "sec4", "sec5")
TOPICS = (
    "recruitment",
    "exploitation",
    "online",
    "relationships",
    "consent",
    "gangs",
    "help",
    "rights",
)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERSION_RE = re.compile(r"^\d+\.\d+$")
# Names used by the site's own routes under /modules/.
RESERVED_SLUGS = frozenset({"pack", "images"})
# The folder of the awareness campaigns (app/campaigns/loader.py), not a module.
CAMPAIGNS_FOLDER = "campaigns"

# Keys of the lesson's front matter that must be equal in both languages.
SHARED_LESSON_KEYS = ("grades", "duration_minutes", "periods", "topics", "updated", "order")


def filename(kind, lang):
    return f"{lang}.md" if kind == "lesson" else f"{kind}.{lang}.md"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def format(self, root=None):
        path = self.path
        if root is not None and path.is_relative_to(root.parent):
            path = path.relative_to(root.parent)
        return f"{path}:{self.line}: {self.message}"


@dataclass
class Document:
    """One Markdown file: its front matter, with each key's line, and body."""

    path: Path
    meta: dict
    lines: dict  # key -> line number of the key in the file
    body: str
    body_line: int  # line number of the body's first line
    raw: bytes


class Problems(list):
    """The problems found so far; `add` one with its file and line."""

    def add(self, path, line, message):
        self.append(Problem(Path(path), line, message))


def _with_french_spacing(value):
    """Every text of a French front matter with French typography's non-breaking
    spaces (titles, summaries, a campaign's posts): the files use plain spaces.
    The body gets them when rendered (render.py)."""
    if isinstance(value, str):
        return french_spacing(value)
    if isinstance(value, list):
        return [_with_french_spacing(item) for item in value]
    if isinstance(value, dict):
        return {key: _with_french_spacing(item) for key, item in value.items()}
    return value


def parse_document(path, problems):
    """Read `path`; return a Document, or None (with problems) if unreadable."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(path, 1, f"not UTF-8 ({error.reason})")
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(path, 1, "missing front matter: the file must start with a line '---'")
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        problems.add(path, 1, "front matter not closed: no second line '---'")
        return None
    header = "\n".join(lines[1:end])
    try:
        node = yaml.compose(header, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        problems.add(path, line, f"invalid YAML: {getattr(error, 'problem', error)}")
        return None
    if not isinstance(meta, dict):
        problems.add(path, 2, "front matter must be a mapping of keys to values")
        return None
    key_lines = {}
    if node is not None:
        for key_node, _value in node.value:
            key_lines[key_node.value] = key_node.start_mark.line + 2
    if path.name == "fr.md" or path.name.endswith(".fr.md"):
        meta = _with_french_spacing(meta)
    return Document(
        path=path,
        meta=meta,
        lines=key_lines,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        raw=raw,
    )


def _is_text(value, max_length):
    return isinstance(value, str) and value.strip() != "" and len(value) <= max_length


def _check_key(doc, key, valid, message, problems):
    if key not in doc.meta:
        problems.add(doc.path, 1, f"missing key '{key}' in the front matter")
        return False
    if not valid(doc.meta[key]):
        problems.add(doc.path, doc.lines.get(key, 1), f"'{key}': {message}")
        return False
    return True


def _is_list_of(allowed):
    def check(value):
        return (
            isinstance(value, list)
            and value
            and all(v in allowed for v in value)
            and len(set(value)) == len(value)
        )

    return check


LESSON_SCHEMA = {
    "title": (lambda v: _is_text(v, 90), "a text of at most 90 characters"),
    "summary": (lambda v: _is_text(v, 300), "a text of at most 300 characters"),
    "grades": (_is_list_of(GRADES), f"a list of grades among {', '.join(GRADES)}"),
    "duration_minutes": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and 30 <= v <= 150,
        "a whole number of minutes between 30 and 150",
    ),
    "periods": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4,
        "a whole number of class periods between 1 and 4",
    ),
    "objectives": (
        lambda v: isinstance(v, list) and 1 <= len(v) <= 8 and all(_is_text(o, 300) for o in v),
        "a list of 1 to 8 objectives, each a text",
    ),
    "topics": (_is_list_of(TOPICS), f"a list of topics among {', '.join(TOPICS)}"),
    "version": (
        lambda v: isinstance(v, str) and bool(VERSION_RE.match(v)),
        'a text like "1.0" (MAJOR.MINOR, in quotes)',
    ),
    "updated": (lambda v: isinstance(v, datetime.date), "a date written YYYY-MM-DD"),
    "order": (
        lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
        "a whole number from 1",
    ),
}
SIDE_SCHEMA = {name: LESSON_SCHEMA[name] for name in ("title", "version")}
DECK_SCHEMA = {name: LESSON_SCHEMA[name] for name in ("title", "version", "updated")}
SCHEMAS = {"guide": SIDE_SCHEMA, "notes": SIDE_SCHEMA, "deck": DECK_SCHEMA}


def _validate(doc, schema, problems):
    ok = True
    for key, (valid, message) in schema.items():
        ok &= _check_key(doc, key, valid, message, problems)
    for key in doc.meta:
        if key not in schema:
            problems.add(doc.path, doc.lines.get(key, 1), f"unknown key '{key}'")
            ok = False
    return ok


def _version_tuple(version):
    return tuple(int(part) for part in version.split("."))


LINK_RE = re.compile(r"(!?)\[([^\]]*)\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
PHONE_RE = re.compile(r"\b\d{3}[\s.-]\d{3}[\s.-]\d{4}\b|\b1[\s-]?8\d\d[\s-]\d{3}[\s-]\d{4}\b")


def _check_body(doc, module_folder, slugs, problems):
    for index, line in enumerate(doc.body.split("\n")):
        number = doc.body_line + index
        if PHONE_RE.search(line):
            problems.add(
                doc.path,
                number,
                "a phone number in a module: help numbers live in app/data/helplines.yaml "
                "and are shown by the help box",
            )
        for is_image, _text, target in LINK_RE.findall(line):
            if is_image:
                if target.startswith(("http:", "https:", "//", "/", "data:")) or ".." in target:
                    problems.add(doc.path, number, f"image '{target}' must be in images/")
                elif not (module_folder / target).is_file():
                    problems.add(doc.path, number, f"image '{target}' not found")
            elif target.startswith("module:"):
                slug = target.removeprefix("module:").split("#")[0]
                if slug not in slugs:
                    problems.add(doc.path, number, f"link to unknown module '{slug}'")
            elif target.startswith("#"):
                continue
            elif not target.startswith(("https:", "mailto:")):
                problems.add(
                    doc.path,
                    number,
                    f"link '{target}': link to a module as module:<slug>, else use https://",
                )


def check_module(module, slugs, problems):
    """Add to `problems` what is wrong in `module`'s documents (`slugs`: every module's)."""
    lessons = {}
    for lang in LANGUAGES:
        doc = module.documents.get(("lesson", lang))
        if doc is not None and _validate(doc, LESSON_SCHEMA, problems):
            lessons[lang] = doc
    if len(lessons) == 2:
        fr, en = lessons["fr"], lessons["en"]
        for key in SHARED_LESSON_KEYS:
            if fr.meta[key] != en.meta[key]:
                problems.add(
                    en.path, en.lines.get(key, 1), f"'{key}' differs from fr.md ({fr.meta[key]!r})"
                )
    versions = {}
    for (kind, lang), doc in module.documents.items():
        if kind != "lesson" and not _validate(doc, SCHEMAS[kind], problems):
            continue
        if kind == "lesson" and lang not in lessons:
            continue
        versions[(kind, lang)] = doc
    if versions:
        newest = max(_version_tuple(d.meta["version"]) for d in versions.values())
        newest_text = ".".join(str(n) for n in newest)
        for doc in versions.values():
            if _version_tuple(doc.meta["version"]) < newest:
                problems.add(
                    doc.path,
                    doc.lines.get("version", 1),
                    f"version {doc.meta['version']} lags behind {newest_text}: "
                    "update this file (or its translation) and its version",
                )
    for doc in module.documents.values():
        _check_body(doc, module.folder, slugs, problems)
    check_deck({lang: module.documents.get(("deck", lang)) for lang in LANGUAGES}, problems)
    check_true_false(module.documents, problems)


def module_folders(root):
    """The folders under `root` that hold modules (hidden ones and the campaigns' are not)."""
    return sorted(
        p
        for p in Path(root).iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and p.name != CAMPAIGNS_FOLDER
    )
