"""Slide decks: the optional `deck.fr.md` and `deck.en.md` of a module.

A deck's body is a series of slides separated by lines holding only `---`.
Each slide starts with a `#` heading (a title slide) or a `##` heading (a
content slide) and holds at most MAX_WORDS words, so that it can be read from
the back of a room. A last line starting with `Source :` (or `Source:`) is the
slide's source, printed small and not counted. The PDF adds a last slide of
its own: the help numbers and the anonymous question page.
"""

import re
from dataclasses import dataclass

MAX_WORDS = 80
# Above this many words a slide is printed a little smaller, so that it fits.
DENSE_WORDS = 55
SEPARATOR = "---"
HEADING_RE = re.compile(r"^(#{1,2})\s+(\S.*?)(?:\s+#+)?\s*$")
SOURCE_RE = re.compile(r"^Sources?\s?:\s*\S")
# A word: a run without spaces holding at least one letter or digit, so that
# Markdown's own marks (-, |, **, >) are not counted and « l’école » is one.
WORD_RE = re.compile(r"\S*[^\W_]\S*")


@dataclass(frozen=True)
class Slide:
    line: int  # the slide's first line in the file (its heading)
    level: int  # 1: title slide (#), 2: content slide (##), 0: no heading (invalid)
    heading: str
    body: str  # Markdown under the heading, without the source line
    source: str  # the source line, printed small, or ""
    words: int  # words of the heading and the body

    @property
    def dense(self):
        return self.words > DENSE_WORDS


def count_words(text):
    return len(WORD_RE.findall(text))


def _chunks(document):
    """(number of its first line, its lines) for each part between separators."""
    chunks, start, lines = [], document.body_line, []
    for index, line in enumerate(document.body.split("\n")):
        if line.strip() == SEPARATOR:
            chunks.append((start, lines))
            start, lines = document.body_line + index + 1, []
        else:
            lines.append(line)
    chunks.append((start, lines))
    return chunks


def _slide(start, lines):
    """The Slide of a non-empty chunk, and its problems as (line, message)."""
    first = next(i for i, text in enumerate(lines) if text.strip())
    line = start + first
    match = HEADING_RE.match(lines[first].strip())
    if match:
        level, heading, rest = len(match.group(1)), match.group(2), lines[first + 1 :]
    else:
        level, heading, rest = 0, "", lines[first:]
    rest = "\n".join(rest).strip("\n").split("\n")
    source = ""
    if SOURCE_RE.match(rest[-1].strip()):
        source, rest = rest[-1].strip(), rest[:-1]
    body = "\n".join(rest).strip("\n")
    slide = Slide(line, level, heading, body, source, count_words(f"{heading}\n{body}"))
    problems = []
    if not level:
        problems.append((line, "a slide must start with a '#' or '##' heading"))
    if slide.words > MAX_WORDS:
        problems.append(
            (
                line,
                f"{slide.words} words on this slide: at most {MAX_WORDS} "
                "(split it, or leave the details to the teacher guide)",
            )
        )
    return slide, problems


def read_slides(document):
    """The slides of a deck document, and its problems as (line, message)."""
    slides, problems = [], []
    chunks = _chunks(document)
    for index, (start, lines) in enumerate(chunks):
        if not any(text.strip() for text in lines):
            if len(chunks) > 1:
                # The '---' that opens the empty part, or for the first, the one closing it.
                line = start - 1 if index else chunks[1][0] - 1
                problems.append((line, "empty slide: two '---' in a row, or one at either end"))
            continue
        slide, found = _slide(start, lines)
        slides.append(slide)
        problems.extend(found)
    if not slides:
        problems.append((document.body_line, "a deck needs at least one slide"))
    return slides, problems


def check_deck(decks, problems):
    """Report each deck's problems, and slides or dates that differ between languages.

    `decks` maps "fr" and "en" to the deck's Document, or None when absent;
    `problems.add(path, line, message)` records a problem.
    """
    counts = {}
    for lang, doc in decks.items():
        if doc is None:
            continue
        slides, found = read_slides(doc)
        for line, message in found:
            problems.add(doc.path, line, message)
        counts[lang] = len(slides)
    if len(counts) < 2:
        return
    fr, en = decks["fr"], decks["en"]
    if counts["fr"] != counts["en"]:
        problems.add(
            en.path,
            en.body_line,
            f"{counts['en']} slides, but {fr.path.name} has {counts['fr']}: "
            "both languages show the same slides",
        )
    if "updated" in fr.meta and "updated" in en.meta and fr.meta["updated"] != en.meta["updated"]:
        problems.add(
            en.path,
            en.lines.get("updated", 1),
            f"'updated' differs from {fr.path.name} ({fr.meta['updated']!r})",
        )
