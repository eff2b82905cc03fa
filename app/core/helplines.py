"""The help numbers shown to students and teachers, from one data file."""

import functools
import hashlib
from pathlib import Path

import yaml

from app.formats import french_spacing

HELPLINES_FILE = Path(__file__).resolve().parent.parent / "data" / "helplines.yaml"
# Services that receive reports of a young person in danger (the DPJ). They are
# not lines to call for a talk: a page shows them under their own heading, where
# it speaks of reporting, and the general lists leave them out.
REPORT_TAG = "report"


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


def _wanted(entry, tag):
    tags = entry.get("tags", [])
    if tag is None:
        return REPORT_TAG not in tags
    return tag in tags


def _words(value, lang):
    """A text of the file in `lang`, French with its non-breaking spaces (« 9-8-8 : … »)."""
    return french_spacing(value[lang]) if lang == "fr" else value[lang]


def load_helplines(lang, *, tag=None):
    """The helplines in `lang`, in the file's order: only those tagged `tag`, or
    without a tag every one but the reporting services (see REPORT_TAG).

    Read only: the entries are made once per process (the file is read once),
    since pages that every student opens show them."""
    return list(_helplines(lang, tag))


@functools.cache
def _helplines(lang, tag):
    return tuple(
        {
            "key": entry["key"],
            "name": _words(entry["name"], lang),
            "what": _words(entry["what"], lang),
            "contacts": [
                {
                    "label": _words(contact["label"], lang),
                    "value": _in(contact["value"], lang),
                    "href": _in(contact["href"], lang),
                }
                for contact in entry["contacts"]
            ],
            "hours": _words(entry["hours"], lang),
            "tags": entry.get("tags", []),
        }
        for entry in _read_helplines()
        if _wanted(entry, tag)
    )


def report_lines(lang):
    """The services that receive reports of a young person in danger, in `lang`."""
    return load_helplines(lang, tag=REPORT_TAG)
