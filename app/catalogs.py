"""Checks and chores for the gettext catalogs (`python -m app.catalogs …`).

`check` fails when a catalog is stale (a string in the code is missing from
it, or it keeps one the code no longer has), or has an untranslated or fuzzy
entry. `fill-english` copies each English source string into the English
catalog, where the source text is the translation.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("fr", "en")


def extract_template():
    """The catalog template as the code stands now."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        pybabel = Path(sys.executable).with_name("pybabel")
        command = [str(pybabel), "extract", "--no-location", "-F", "babel.cfg", "-k", "_l"]
        subprocess.run(  # noqa: S603  (fixed arguments, our own tool)
            [*command, "-o", str(pot), "app"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        with pot.open("rb") as f:
            return read_po(f)


def _key(message):
    return (message.id if isinstance(message.id, str) else message.id[0], message.context)


def catalog_problems(template, catalog, path):
    """Every reason `catalog` is not complete and current, as printable lines."""
    problems = []
    wanted = {_key(m) for m in template if m.id}
    present = {_key(m) for m in catalog if m.id}
    for msgid, _ctx in sorted(wanted - present):
        problems.append(f"{path}: missing {msgid!r} (run `make translations`)")
    for msgid, _ctx in sorted(present - wanted):
        problems.append(f"{path}: stale {msgid!r} is no longer in the code")
    for message in catalog:
        if not message.id:
            continue
        label = _key(message)[0]
        if message.fuzzy:
            problems.append(f"{path}: fuzzy {label!r}")
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"{path}: untranslated {label!r}")
    return problems


def check():
    template = extract_template()
    problems = []
    for lang in LANGUAGES:
        path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{path}: missing catalog")
            continue
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang)
        problems += catalog_problems(template, catalog, path.relative_to(ROOT))
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} catalog problem(s).")
        return 1
    print(f"Catalogs complete: {len([m for m in template if m.id])} strings in {LANGUAGES}.")
    return 0


def fill_english(path):
    path = Path(path)
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            if not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, no_location=True)
    return 0


def main(argv):
    if argv[:1] == ["check"]:
        return check()
    if argv[:1] == ["fill-english"] and len(argv) == 2:
        return fill_english(argv[1])
    print("usage: python -m app.catalogs check | fill-english PATH", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
