"""The questionnaire's questions, read from the curriculum folder.

Each module has `evaluation.fr.yaml` and `evaluation.en.yaml` beside its
lesson: 4 to 6 true-or-false statements drawn from what the lesson teaches,
each with a key, the answer, the text and a short explanation (shown once the
"after" wave is sent). The curriculum folder itself has `evaluation.fr.yaml`
and `evaluation.en.yaml`: the two confidence statements every class answers,
and the labels of their 4-point scale. docs/writing-modules.md says how to
write them.

Answers are counted by key (`item_key`): the French and English files give
the same keys, in the same order, with the same answers, so that a class's
counts add up whatever language each student chose. A statement whose
meaning changes takes a new key; its old counts stay with the old one.

`load_questions(root)` reads every file and returns what is valid with every
problem found (file, line, message), which `flask curriculum check` prints
with the modules' own.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.curriculum.loader import LANGUAGES, PHONE_RE, Problems, module_folders

FILE = "evaluation.{lang}.yaml"
MIN_STATEMENTS, MAX_STATEMENTS = 4, 6
CONFIDENCE_ITEMS = 2
SCALE_POINTS = 4
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_KEY, MAX_TEXT, MAX_EXPLANATION = 40, 200, 300
CONFIDENCE = "confidence"  # the item keys' prefix for the confidence statements


def item_key(prefix, key):
    """The key answers are counted under: "<module slug>/<key>", "confidence/<key>"."""
    return f"{prefix}/{key}"


@dataclass(frozen=True)
class Statement:
    key: str
    answer: bool
    text: dict  # lang -> text
    explanation: dict  # lang -> text


@dataclass(frozen=True)
class ConfidenceItem:
    key: str
    text: dict  # lang -> text


@dataclass
class Questions:
    statements: dict = field(default_factory=dict)  # module slug -> (Statement, ...)
    confidence: tuple = ()
    scale: dict = field(default_factory=dict)  # lang -> [4 labels, from disagree to agree]
    problems: list = field(default_factory=list)

    def of_module(self, slug):
        return self.statements.get(slug, ())


def _read(path, problems, who):
    """(data, {(index, key): line}) of a YAML file, or (None, {}) with a problem."""
    if not path.is_file():
        problems.add(path, 1, f"missing file: {who} needs {path.name}")
        return None, {}
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError as error:
        problems.add(path, 1, f"not UTF-8 ({error.reason})")
        return None, {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(path, mark.line + 1 if mark else 1, f"invalid YAML: {error}")
        return None, {}
    return data, _lines(node)


def _lines(node):
    """{(list name, index): line, (list name, index, key): line} of a mapping of lists."""
    lines = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key_node, value in node.value:
        lines[(key_node.value,)] = key_node.start_mark.line + 1
        if isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                lines[(key_node.value, index)] = item.start_mark.line + 1
                if isinstance(item, yaml.MappingNode):
                    for inner, _value in item.value:
                        lines[(key_node.value, index, inner.value)] = inner.start_mark.line + 1
    return lines


def _text(value, limit):
    return isinstance(value, str) and value.strip() != "" and len(value) <= limit


def _check_items(path, data, lines, name, fields, count, problems, extra=()):
    """The list `name` of `data`, checked item by item; None when unusable.
    `extra`: the file's other keys (checked by the caller)."""
    if not isinstance(data, dict) or set(data) != {name, *extra}:
        keys = " and ".join(f"'{key}'" for key in (name, *extra))
        problems.add(path, 1, f"the file must be a mapping with the keys {keys}")
        return None
    items = data[name]
    low, high = count
    if not isinstance(items, list) or not low <= len(items) <= high:
        wanted = f"{low} to {high}" if low != high else str(low)
        problems.add(path, lines.get((name,), 1), f"'{name}': a list of {wanted} items")
        return None
    ok, seen = True, set()
    for index, item in enumerate(items):
        where = lines.get((name, index), 1)
        if not isinstance(item, dict) or set(item) != set(fields):
            problems.add(path, where, f"each item has exactly the keys {', '.join(fields)}")
            ok = False
            continue
        for key, (valid, message) in fields.items():
            if not valid(item[key]):
                problems.add(path, lines.get((name, index, key), where), f"'{key}': {message}")
                ok = False
        if item["key"] in seen:
            problems.add(path, where, f"key '{item['key']}' used twice")
            ok = False
        seen.add(item["key"])
        for key in ("text", "explanation"):
            if isinstance(item.get(key), str) and PHONE_RE.search(item[key]):
                problems.add(path, where, "a phone number: help numbers live in helplines.yaml")
                ok = False
    return items if ok else None


def _is_key(value):
    return isinstance(value, str) and len(value) <= MAX_KEY and bool(KEY_RE.match(value))


STATEMENT_FIELDS = {
    "key": (_is_key, f"a slug of at most {MAX_KEY} characters (a-z, 0-9, hyphens)"),
    "answer": (lambda v: isinstance(v, bool), "true or false"),
    "text": (lambda v: _text(v, MAX_TEXT), f"a text of at most {MAX_TEXT} characters"),
    "explanation": (
        lambda v: _text(v, MAX_EXPLANATION),
        f"a text of at most {MAX_EXPLANATION} characters",
    ),
}
CONFIDENCE_FIELDS = {k: STATEMENT_FIELDS[k] for k in ("key", "text")}


def _both(folder, name, fields, count, problems, shared, extra=(), who="every module"):
    """{lang: (path, data, items)} when both files are valid and agree on
    their items' `shared` keys; else None."""
    found = {}
    for lang in LANGUAGES:
        path = folder / FILE.format(lang=lang)
        data, lines = _read(path, problems, who)
        if data is not None:
            items = _check_items(path, data, lines, name, fields, count, problems, extra)
            if items is not None:
                found[lang] = (path, data, items)
    if len(found) < len(LANGUAGES):
        return None
    (_fr_path, _fr, fr_items), (en_path, _en, en_items) = found["fr"], found["en"]
    for key in shared:
        if [item[key] for item in fr_items] != [item[key] for item in en_items]:
            problems.add(en_path, 1, f"the items' '{key}' differ from the French file's")
            return None
    return found


def _module_statements(folder, problems):
    found = _both(
        folder,
        "statements",
        STATEMENT_FIELDS,
        (MIN_STATEMENTS, MAX_STATEMENTS),
        problems,
        shared=("key", "answer"),
    )
    if found is None:
        return None
    items = {lang: value[2] for lang, value in found.items()}
    return tuple(
        Statement(
            key=item["key"],
            answer=item["answer"],
            text={lang: items[lang][n]["text"] for lang in LANGUAGES},
            explanation={lang: items[lang][n]["explanation"] for lang in LANGUAGES},
        )
        for n, item in enumerate(items["fr"])
    )


def _scale(found, problems):
    scales = {}
    for lang, (path, data, _items) in found.items():
        scale = data.get("scale")
        if not (isinstance(scale, list) and len(scale) == SCALE_POINTS and all(
            _text(label, 60) for label in scale
        )):  # fmt: skip
            problems.add(path, 1, f"'scale': a list of {SCALE_POINTS} labels, disagree to agree")
            return None
        scales[lang] = list(scale)
    return scales


def load_questions(root):
    """Every module's statements and the confidence items under `root`."""
    root = Path(root)
    problems = Problems()
    questions = Questions()
    if not root.is_dir():
        questions.problems = list(problems)
        return questions
    confidence = _both(
        root,
        CONFIDENCE,
        CONFIDENCE_FIELDS,
        (CONFIDENCE_ITEMS, CONFIDENCE_ITEMS),
        problems,
        shared=("key",),
        extra=("scale",),
        who="the curriculum folder (its confidence statements)",
    )
    scale = _scale(confidence, problems) if confidence else None
    if confidence and scale:
        items = {lang: value[2] for lang, value in confidence.items()}
        questions.confidence = tuple(
            ConfidenceItem(item["key"], {lang: items[lang][n]["text"] for lang in LANGUAGES})
            for n, item in enumerate(items["fr"])
        )
        questions.scale = scale
    for folder in module_folders(root):
        if not (folder / "fr.md").is_file() and not (folder / "en.md").is_file():
            continue  # not a module: the curriculum's own check says so
        statements = _module_statements(folder, problems)
        if statements is not None:
            questions.statements[folder.name] = statements
    questions.problems = list(problems)
    return questions
