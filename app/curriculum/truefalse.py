"""True-or-false activities: statements on the students' handout, answers in the guide.

A lesson writes the activity once, statements and answers together, so that
the two never drift apart; what reaches the students is the statements only,
each with boxes to tick, and the answers with their explanations are printed
in the teacher guide and the facilitator notes. The convention
(docs/writing-modules.md):

    ::: true-false

    1. **A statement.**

        **Faux.** Why it is false.

    :::

Each numbered item of the block is a statement; the paragraph indented under
it that starts with **Vrai.** or **Faux.** (English: **True.** or **False.**)
is its answer, followed by the explanation. The guide and the notes say where
the answer key goes with a line `::: true-false-key`.

`handout` and `with_answer_key` turn the Markdown of a lesson, a guide or
notes into what each reader gets; `truefalse_check.py` reports what would
let an answer reach a handout.
"""

import html
import re
from dataclasses import dataclass

import markdown

from app.formats import french_spacing_html

OPEN = "::: true-false"
CLOSE = ":::"
KEY = "::: true-false-key"
# The answer words of each language, and what they mean.
ANSWERS = {"fr": {"Vrai": True, "Faux": False}, "en": {"True": True, "False": False}}
ALL_WORDS = "Vrai|Faux|True|False"
# An answer as the start of a paragraph: **Faux.** or *Faux.* (or with _).
ANSWER_RE = re.compile(rf"^(\*\*|\*|__|_)({ALL_WORDS})\s?[.!:]\s?\1\s*")
# The same anywhere in a line: how an answer outside a block is found.
LOOSE_ANSWER_RE = re.compile(rf"(\*\*|\*|__|_)({ALL_WORDS})\s?[.!:]\s?\1")
ITEM_RE = re.compile(r"^(\d+)[.)]\s+(\S.*)$")
HEADING_RE = re.compile(r"^#{2,6}\s+(.*?)\s*#*\s*$")
# The box a student ticks, in the handout's font (DejaVu Sans has it).
BOX = "\u2610"


@dataclass(frozen=True)
class Statement:
    line: int  # the statement's line in its file
    text: str  # Markdown
    word: str  # the answer word as written ("Faux"), or "" when missing
    explanation: str  # Markdown


@dataclass(frozen=True)
class Activity:
    line: int  # the line of '::: true-false'
    heading: str  # the heading above the block, to name it in the key
    statements: tuple


def _paragraphs(lines):
    """An item's lines (first line without its number) as paragraphs of stripped lines.

    A blank line ends a paragraph, and so does an answer's first line, which
    may follow its statement without one.
    """
    paragraphs, current = [], []
    for line in lines:
        text = line.strip()
        if not text or (ANSWER_RE.match(text) and current):
            if current:
                paragraphs.append(current)
            current = [text] if text else []
        else:
            current.append(text)
    if current:
        paragraphs.append(current)
    return paragraphs


def _statement(first_line, lines, lang, problems):
    """The Statement of one numbered item, and its problems as (line, message)."""
    number = ITEM_RE.match(lines[0]).group(1)
    rest = [ITEM_RE.match(lines[0]).group(2), *lines[1:]]
    paragraphs = [" ".join(p) for p in _paragraphs(rest)]
    answer_at = next((i for i, p in enumerate(paragraphs) if ANSWER_RE.match(p)), None)
    if answer_at is None or answer_at == 0:
        words = " or ".join(f"**{w}.**" for w in ANSWERS[lang])
        problems.append(
            (first_line, f"statement {number} has no answer: indent under it a paragraph "
             f"starting with {words} and its explanation")
        )  # fmt: skip
        return Statement(first_line, "\n\n".join(paragraphs), "", "")
    match = ANSWER_RE.match(paragraphs[answer_at])
    word = match.group(2)
    explanation = "\n\n".join(
        [paragraphs[answer_at][match.end() :], *paragraphs[answer_at + 1 :]]
    ).strip()
    if word not in ANSWERS[lang]:
        words = " or ".join(f"**{w}.**" for w in ANSWERS[lang])
        problems.append((first_line, f"statement {number}: '{word}' in this language: {words}"))
    if not explanation:
        problems.append((first_line, f"statement {number}: explain the answer after **{word}.**"))
    return Statement(first_line, "\n\n".join(paragraphs[:answer_at]), word, explanation)


def _activity(open_line, heading, lines, lang, problems):
    """The Activity of a block's lines (those between its fences)."""
    items, loose = [], []
    for offset, line in enumerate(lines):
        number = open_line + 1 + offset
        if ITEM_RE.match(line):
            items.append((number, [line]))
        elif items:
            items[-1][1].append(line)
        elif line.strip():
            loose.append(number)
    if loose:
        problems.append(
            (loose[0], "a true-false block holds only its numbered statements: "
             "put the instructions above the block")
        )  # fmt: skip
    statements = tuple(_statement(number, item, lang, problems) for number, item in items)
    if not statements:
        problems.append((open_line, "a true-false block needs numbered statements"))
    return Activity(open_line, heading, statements)


def split(body, body_line, lang):
    """The body as parts, and its problems as (line, message).

    A part is ("text", [(line number, line), ...]) or ("activity", Activity);
    a block left open takes the rest of the file.
    """
    parts, problems, heading = [], [], ""
    lines = body.split("\n")
    index, text = 0, []
    while index < len(lines):
        line = lines[index]
        if line.strip() == OPEN:
            close = next(
                (i for i in range(index + 1, len(lines)) if lines[i].strip() == CLOSE), None
            )
            if close is None:
                problems.append(
                    (body_line + index, f"a '{OPEN}' block needs a closing line '{CLOSE}'")
                )
                close = len(lines)
            parts.append(("text", text))
            inner = lines[index + 1 : close]
            activity = _activity(body_line + index, heading, inner, lang, problems)
            parts.append(("activity", activity))
            text, index = [], close + 1
            continue
        match = HEADING_RE.match(line)
        if match:
            heading = match.group(1)
        text.append((body_line + index, line))
        index += 1
    parts.append(("text", text))
    return parts, problems


def activities(body, body_line=1, lang="fr"):
    """The true-or-false activities of a lesson's body, in order."""
    return [part for kind, part in split(body, body_line, lang)[0] if kind == "activity"]


def _inline(text):
    """Markdown of a statement or an explanation as HTML, without its outer paragraph."""
    converted = markdown.markdown(text, output_format="html").strip()
    if converted.startswith("<p>") and converted.endswith("</p>") and converted.count("<p>") == 1:
        return converted[3:-4]
    return converted


def _choices(lang):
    return " ".join(f'<span class="tf-box">{BOX}</span> {word}' for word in ANSWERS[lang])


def _statements_html(activity, lang):
    items = "".join(
        f'<li><p class="tf-statement">{_inline(s.text)}</p>'
        f'<p class="tf-choices">{_choices(lang)}</p></li>'
        for s in activity.statements
    )
    return f'<div class="true-false"><ol>{items}</ol></div>'


def _key_html(found):
    blocks = []
    for activity in found:
        title = ""
        if len(found) > 1:
            title = f'<p class="tf-activity"><strong>{html.escape(activity.heading)}</strong></p>'
        items = "".join(
            f'<li><p class="tf-statement">{_inline(s.text)}</p>'
            f'<p class="tf-answer"><strong>{s.word}.</strong> {_inline(s.explanation)}</p></li>'
            for s in activity.statements
        )
        blocks.append(f"{title}<ol>{items}</ol>")
    return f'<div class="true-false-key">{"".join(blocks)}</div>'


def spaced(markup, lang):
    """A raw HTML block with French spacing: python-markdown passes raw HTML
    through untouched, so its own French spacing never reaches it."""
    return french_spacing_html(markup) if lang == "fr" else markup


def _join(parts, render_activity, lang):
    out = []
    for kind, part in parts:
        if kind == "text":
            out.extend(line for _number, line in part)
        else:
            # A raw HTML block, alone between blank lines for python-markdown.
            out.extend(["", spaced(render_activity(part), lang), ""])
    return "\n".join(out)


def handout(body, lang):
    """A lesson's Markdown with each activity as its statements and boxes, no answers."""
    return _join(split(body, 1, lang)[0], lambda activity: _statements_html(activity, lang), lang)


def with_answer_key(body, lesson_body, lang):
    """A guide's or notes' Markdown with its `::: true-false-key` line replaced by the
    statements of `lesson_body`'s activities, each with its answer and explanation."""
    key = None
    lines = []
    for line in body.split("\n"):
        if line.strip() == KEY:
            if key is None:
                key = spaced(_key_html(activities(lesson_body, 1, lang)), lang)
            lines.extend(["", key, ""])
        else:
            lines.append(line)
    return "\n".join(lines)


def without_answers(body, lang):
    """A lesson's words without its answers, for search."""
    parts = split(body, 1, lang)[0]
    words = []
    for kind, part in parts:
        if kind == "text":
            words.extend(line for _number, line in part)
        else:
            words.extend(s.text for s in part.statements)
    return "\n".join(words)
