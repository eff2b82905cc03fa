"""The help numbers shown to students and teachers, from one data file."""

import functools
from pathlib import Path

import yaml

HELPLINES_FILE = Path(__file__).resolve().parent.parent / "data" / "helplines.yaml"


@functools.cache
def _read_helplines():
    with HELPLINES_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)["helplines"]


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
                    "value": contact["value"],
                    "href": contact["href"],
                }
                for contact in entry["contacts"]
            ],
            "hours": entry["hours"][lang],
            "tags": entry.get("tags", []),
        }
        for entry in _read_helplines()
        if tag is None or tag in entry.get("tags", [])
    ]
