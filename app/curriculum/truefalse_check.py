"""What `flask curriculum check` says of the true-or-false activities (truefalse.py).

An answer that would reach a students' handout (written outside a block), a
block without its closing line, a statement without an answer or with the
other language's word, a guide or notes without the answer key, and
statements or answers that differ between French and English.
"""

from app.curriculum.truefalse import ANSWERS, KEY, LOOSE_ANSWER_RE, OPEN, split


def _check_lesson(doc, lang, problems):
    """Report the lesson's problems; return its activities."""
    parts, found = split(doc.body, doc.body_line, lang)
    for line, message in found:
        problems.add(doc.path, line, message)
    for kind, part in parts:
        if kind != "text":
            continue
        for number, text in part:
            if LOOSE_ANSWER_RE.search(text):
                problems.add(
                    doc.path,
                    number,
                    f"an answer outside a '{OPEN}' block would be printed on the students' "
                    "handout: put the statements in a block, each answer indented under it",
                )
            elif text.strip() == KEY:
                problems.add(doc.path, number, f"'{KEY}' belongs in the guide and the notes")
    return [part for kind, part in parts if kind == "activity"]


def _check_side(doc, has_activity, problems):
    """Report a guide's or notes' misplaced block or missing or needless key."""
    lines = doc.body.split("\n")
    keys = [doc.body_line + i for i, line in enumerate(lines) if line.strip() == KEY]
    for index, line in enumerate(lines):
        if line.strip() == OPEN:
            problems.add(doc.path, doc.body_line + index, f"'{OPEN}' blocks belong in the lesson")
    if has_activity and not keys:
        problems.add(
            doc.path,
            doc.body_line,
            f"the lesson has a true-or-false activity: place its answer key with a line '{KEY}'",
        )
    if not has_activity:
        for number in keys:
            problems.add(doc.path, number, "no true-or-false activity in the lesson for this key")


def _check_languages(lessons, found, problems):
    """Report activities and answers that differ between the two languages."""
    fr, en = found["fr"], found["en"]
    doc = lessons["en"]
    if len(fr) != len(en):
        problems.add(
            doc.path,
            doc.body_line,
            f"{len(en)} true-or-false activities, but {lessons['fr'].path.name} has {len(fr)}",
        )
        return
    for ours, theirs in zip(en, fr, strict=True):
        if len(ours.statements) != len(theirs.statements):
            problems.add(
                doc.path,
                ours.line,
                f"{len(ours.statements)} statements, but {lessons['fr'].path.name} "
                f"has {len(theirs.statements)}: both languages ask the same",
            )
            continue
        for number, (a, b) in enumerate(zip(ours.statements, theirs.statements, strict=True), 1):
            if a.word and b.word and ANSWERS["en"].get(a.word) != ANSWERS["fr"].get(b.word):
                problems.add(
                    doc.path,
                    a.line,
                    f"statement {number} is {a.word} here but {b.word} in "
                    f"{lessons['fr'].path.name}",
                )


def check_true_false(documents, problems):
    """Add the true-or-false activities' problems of one module's `documents`.

    `documents` maps (kind, lang) to a Document; `problems.add(path, line,
    message)` records a problem.
    """
    lessons = {lang: doc for (kind, lang), doc in documents.items() if kind == "lesson"}
    found = {lang: _check_lesson(doc, lang, problems) for lang, doc in lessons.items()}
    for (kind, lang), doc in documents.items():
        if kind in ("guide", "notes"):
            _check_side(doc, bool(found.get(lang)), problems)
    if set(found) == set(ANSWERS):
        _check_languages(lessons, found, problems)
