"""The help numbers shown to students and teachers, from one data file."""

import functools
import hashlib
from pathlib import Path

import yaml

HELPLINES_FILE = Path(__file__).resolve().parent.parent / "data" / "helplines.yaml"


@functools.cache
def _read_file():
    raw = HELPLINES_FILE.read_bytes()
    return yaml.safe_load(raw), hashlib.sha256(raw).hexdigest()


def _read_helplines():
    return _read_file()[0]["helplines"]


def helplines_signature():
    """Changes whenever the data file does (PDFs that print it are rendered again)."""
    return _read_file()[1]


def last_reviewed():
    """The date the numbers were last checked against their published sources."""
    return _read_file()[0]["last_reviewed"]


def _in(value, lang):
    """A value that is the same in both languages, or one per language."""
    return value[lang] if isinstance(value, dict) else value


def load_helplines(lang, *, tag=None):
    """The helplines in `lang`, in the file's order, optionally only those tagged `tag`."""
    return [
        {
            "key": entry["key"],
            "name": entry["name"][lang],
            "what": entry["what"][lang],
            "contacts": [
                {
                    "label": contact["label"][lang],
                    "value": _in(contact["value"], lang),
                    "href": _in(contact["href"], lang),
                }
                for contact in entry["contacts"]
            ],
            "hours": entry["hours"][lang],
            "tags": entry.get("tags", []),
        }
        for entry in _read_helplines()
        if tag is None or tag in entry.get("tags", [])
    ]
