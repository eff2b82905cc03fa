"""The 17 regions from app/data/regions.yaml: codes, names in each language,
and the matching of free text ("Montérégie", "monteregie", "16") to a code,
used by the school CSV import."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REGIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "regions.yaml"


@dataclass(frozen=True)
class Region:
    code: str
    names: dict  # {"fr": …, "en": …}

    def name(self, lang):
        return self.names[lang]

    def label(self, lang):
        """As the government writes it: "Montérégie (16)"."""
        return f"{self.names[lang]} ({self.code})"


@cache
def regions():
    """{code: Region}, in code order. Read once: the file changes with a release."""
    found = {}
    for item in yaml.safe_load(REGIONS_FILE.read_text(encoding="utf-8")):
        code = str(item["code"])
        found[code] = Region(code=code, names={"fr": item["fr"], "en": item["en"]})
    assert list(found) == [f"{n:02d}" for n in range(1, 18)], "regions.yaml: codes 01 to 17"
    return found


CODES = tuple(f"{n:02d}" for n in range(1, 18))


def choices(lang):
    """[(code, "Name (code)")] for a select, in code order (the government's)."""
    return [(code, region.label(lang)) for code, region in regions().items()]


def label(code, lang):
    region = regions().get(code)
    return region.label(lang) if region else code


def normalise(text):
    """Lower case, no accents, dashes and spaces as one space: "Saguenay–Lac-
    Saint-Jean" and "saguenay lac saint jean" are the same."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.split(r"[\s\-–—_'’.]+", text)).strip()


def match(text):
    """The code that `text` names: a code ("16", "6"), a name in either
    language, or both ("Montérégie (16)"); None when it names none."""
    text = (text or "").strip()
    bare = re.fullmatch(r"(.*?)\s*\((\d{1,2})\)", text)
    if bare:
        name_code, code = match(bare[1]) if bare[1] else None, f"{int(bare[2]):02d}"
        return code if code in CODES and name_code in (None, code) else None
    if text.isdigit():
        code = f"{int(text):02d}"
        return code if code in CODES else None
    wanted = normalise(text)
    for code, region in regions().items():
        if wanted and wanted in {normalise(n) for n in region.names.values()}:
            return code
    return None
