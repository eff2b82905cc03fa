"""The program's modules, read from `curriculum/<slug>/` (Markdown + YAML).

A module folder holds the lesson (`fr.md`, `en.md`), the teacher guide
(`guide.fr.md`, `guide.en.md`) and the facilitator notes (`notes.fr.md`,
`notes.en.md`), and may hold a slide deck (`deck.fr.md` and `deck.en.md`, see
`decks.py`), each with YAML front matter. `load_catalogue` reads them all and
reports every problem with its file and line; the site serves only the modules
without problems, and `flask curriculum check` fails on any.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.curriculum.decks import check_deck, read_slides

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


@dataclass
class Module:
    slug: str
    folder: Path
    documents: dict = field(default_factory=dict)  # (kind, lang) -> Document
    content_hash: str = ""

    def lesson(self, lang):
        return self.documents[("lesson", lang)]

    def meta(self, lang="fr"):
        return self.lesson(lang).meta

    @property
    def order(self):
        return self.meta()["order"]

    @property
    def version(self):
        return self.meta()["version"]

    @property
    def updated(self):
        return self.meta()["updated"]

    def title(self, lang):
        return self.lesson(lang).meta["title"]

    def document(self, kind, lang):
        return self.documents[(kind, lang)]

    @property
    def has_deck(self):
        """Whether the module has a slide deck (then in both languages)."""
        return all(("deck", lang) in self.documents for lang in LANGUAGES)

    def slides(self, lang):
        """The deck's slides in `lang` (see decks.Slide); only for a module with a deck."""
        return read_slides(self.document("deck", lang))[0]


class _Problems(list):
    def add(self, path, line, message):
        self.append(Problem(Path(path), line, message))


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


def _check_module(module, slugs, problems):
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


def _content_hash(module):
    digest = hashlib.sha256()
    for key in sorted(module.documents):
        digest.update(repr(key).encode())
        digest.update(module.documents[key].raw)
    images = module.folder / "images"
    if images.is_dir():
        for path in sorted(images.iterdir()):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Catalogue:
    modules: list  # valid modules, by order
    problems: list  # every problem found, valid modules or not
    by_slug: dict = field(default_factory=dict)

    def __post_init__(self):
        self.by_slug = {m.slug: m for m in self.modules}

    def get(self, slug):
        return self.by_slug.get(slug)


def _missing_file(kind, path):
    if kind in OPTIONAL_KINDS:
        both = " and ".join(filename(kind, lang) for lang in LANGUAGES)
        return f"missing file: a module with a {kind} needs both {both}"
    return f"missing file: every module needs {path.name}"


def module_folders(root):
    """The folders under `root` that hold modules (hidden ones and the campaigns' are not)."""
    return sorted(
        p
        for p in Path(root).iterdir()
        if p.is_dir() and not p.name.startswith((".", "_")) and p.name != CAMPAIGNS_FOLDER
    )


def load_catalogue(root):
    """Read every module under `root`; return the Catalogue."""
    root = Path(root)
    problems = _Problems()
    if not root.is_dir():
        problems.add(root, 1, "curriculum folder not found")
        return Catalogue([], list(problems))
    folders = module_folders(root)
    slugs = {p.name for p in folders}
    modules = []
    for folder in folders:
        before = len(problems)
        if not SLUG_RE.match(folder.name) or folder.name in RESERVED_SLUGS:
            problems.add(folder, 1, "folder name must be a slug (a-z, 0-9, hyphens), not reserved")
        module = Module(slug=folder.name, folder=folder)
        for kind in KINDS + OPTIONAL_KINDS:
            paths = [folder / filename(kind, lang) for lang in LANGUAGES]
            if kind in OPTIONAL_KINDS and not any(path.is_file() for path in paths):
                continue
            for lang, path in zip(LANGUAGES, paths, strict=True):
                if not path.is_file():
                    problems.add(path, 1, _missing_file(kind, path))
                    continue
                doc = parse_document(path, problems)
                if doc is not None:
                    module.documents[(kind, lang)] = doc
        _check_module(module, slugs, problems)
        if len(problems) == before:
            module.content_hash = _content_hash(module)
            modules.append(module)
    orders = {}
    for module in modules:
        if module.order in orders:
            doc = module.lesson("fr")
            problems.add(
                doc.path,
                doc.lines.get("order", 1),
                f"order {module.order} already used by {orders[module.order]}",
            )
        orders.setdefault(module.order, module.slug)
    modules.sort(key=lambda m: (m.order, m.slug))
    return Catalogue(modules, list(problems))
