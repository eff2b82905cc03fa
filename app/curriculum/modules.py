"""The program's modules as the site serves them: every folder of the
curriculum read, checked and ordered into the Catalogue (`load_catalogue`).

The site serves only the modules without problems; `flask curriculum check`
fails on any (each with its file and line, loader.py).
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from app.curriculum.decks import read_slides
from app.curriculum.loader import (
    KINDS,
    LANGUAGES,
    OPTIONAL_KINDS,
    RESERVED_SLUGS,
    SLUG_RE,
    Problems,
    check_module,
    filename,
    module_folders,
    parse_document,
)


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


def load_catalogue(root):
    """Read every module under `root`; return the Catalogue."""
    root = Path(root)
    problems = Problems()
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
        check_module(module, slugs, problems)
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
