"""Reply templates (app/data/reply_templates.yaml), with the help numbers
filled in from helplines.yaml so that numbers live in one file only."""

import functools
import re

import yaml

from app.config import PROJECT_ROOT
from app.core.helplines import load_helplines

PATH = PROJECT_ROOT / "app" / "data" / "reply_templates.yaml"
_PLACEHOLDER = re.compile(r"\{([a-z0-9-]+)\}")


@functools.cache
def _entries():
    return yaml.safe_load(PATH.read_text(encoding="utf-8"))["templates"]


def _numbers(lang):
    return {
        line["key"]: ", ".join(
            f"{c['label'][:1].lower()}{c['label'][1:]} {c['value']}" for c in line["contacts"]
        )
        for line in load_helplines(lang)
    }


def reply_templates(lang):
    """[(key, title, text)] in `lang`; an unknown placeholder is an error."""
    numbers = _numbers(lang)
    found = []
    for entry in _entries():
        text = _PLACEHOLDER.sub(lambda m: numbers[m.group(1)], entry["text"][lang]).strip()
        found.append((entry["key"], entry["title"][lang], text + "\n"))
    return found
