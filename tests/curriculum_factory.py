"""Writing small, valid modules into a folder, for tests that need control."""

from pathlib import Path

import pytest

LESSON = """---
title: "{title}"
summary: "{summary}"
grades: [{grades}]
duration_minutes: {duration}
periods: 1
objectives:
  - "{objective}"
topics: [{topics}]
version: "{version}"
updated: 2026-11-01
order: {order}
---

## {heading}

{body}

## {heading2}

{body2}
"""

SIDE = """---
title: "{title}"
version: "{version}"
---

## {heading}

{body}
"""

TEXT = {
    "fr": {
        "title": "Module d’essai {n}",
        "summary": "Un résumé du module {n}.",
        "objective": "reconnaître un signe",
        "heading": "Pour commencer",
        "body": "Un texte en français sur l’éducation. Voir [l’autre](module:{other}).",
        "heading2": "À retenir",
        "body2": "| Énoncé | Réponse |\n|---|---|\n| Vrai? | Oui |",
        "guide": "Guide pour le personnel enseignant {n}",
        "notes": "Notes d’animation {n}",
        "side_heading": "Avant l’atelier",
        "guide_body": "Préparer la classe {n}.",
        "notes_body": "Notes secrètes {n}.",
    },
    "en": {
        "title": "Test module {n}",
        "summary": "A summary of module {n}.",
        "objective": "recognize a sign",
        "heading": "Opening",
        "body": "A text in English about education. See [the other](module:{other}).",
        "heading2": "Key messages",
        "body2": "| Statement | Answer |\n|---|---|\n| True? | Yes |",
        "guide": "Teacher guide {n}",
        "notes": "Facilitator notes {n}",
        "side_heading": "Before the lesson",
        "guide_body": "Prepare the class {n}.",
        "notes_body": "Secret notes {n}.",
    },
}


# The questionnaire's statements of a test module (app/evaluation/questions.py):
# four statements, the same keys and answers in both languages.
STATEMENTS = {
    "fr": ["Énoncé vrai {n}-{i}", "Énoncé faux {n}-{i}"],
    "en": ["True statement {n}-{i}", "False statement {n}-{i}"],
}
CONFIDENCE = {
    "fr": """confidence:
  - key: get-help
    text: "Je sais où trouver de l’aide."
  - key: recognise-recruiter
    text: "Je pourrais reconnaître l’approche d’un recruteur."
scale: ["Pas du tout d’accord", "Plutôt pas d’accord", "Plutôt d’accord", "Tout à fait d’accord"]
""",
    "en": """confidence:
  - key: get-help
    text: "I know where to get help."
  - key: recognise-recruiter
    text: "I could recognize a recruiter’s approach."
scale: ["Strongly disagree", "Somewhat disagree", "Somewhat agree", "Strongly agree"]
""",
}


def write_statements(folder, n=1, count=4):
    """The module's evaluation.<lang>.yaml: `count` statements, true and false in turn."""
    for lang, (true, false) in STATEMENTS.items():
        items = []
        for i in range(1, count + 1):
            answer = i % 2 == 1
            text = (true if answer else false).format(n=n, i=i)
            items.append(
                f"  - key: s{i}\n    answer: {str(answer).lower()}\n"
                f'    text: "{text}"\n    explanation: "{text}: {str(answer).lower()}."\n'
            )
        (Path(folder) / f"evaluation.{lang}.yaml").write_text(
            "statements:\n" + "".join(items), encoding="utf-8"
        )


def write_confidence(root):
    """The curriculum's evaluation.<lang>.yaml: the two confidence statements."""
    Path(root).mkdir(parents=True, exist_ok=True)
    for lang, text in CONFIDENCE.items():
        (Path(root) / f"evaluation.{lang}.yaml").write_text(text, encoding="utf-8")


def write_module(
    root,
    slug,
    *,
    n=1,
    other=None,
    grades="sec2, sec3",
    topics="recruitment",
    duration=60,
    version="1.0",
    versions=None,
):
    """Write the six files of a valid module; `versions` overrides per file name."""
    folder = Path(root) / slug
    folder.mkdir(parents=True, exist_ok=True)
    versions = versions or {}
    for lang, text in TEXT.items():
        values = {k: v.format(n=n, other=other or slug) for k, v in text.items()}
        (folder / f"{lang}.md").write_text(
            LESSON.format(
                **values,
                grades=grades,
                topics=topics,
                duration=duration,
                version=versions.get(f"{lang}.md", version),
                order=n,
            ),
            encoding="utf-8",
        )
        for kind in ("guide", "notes"):
            name = f"{kind}.{lang}.md"
            (folder / name).write_text(
                SIDE.format(
                    title=values[kind],
                    version=versions.get(name, version),
                    heading=values["side_heading"],
                    body=values[f"{kind}_body"],
                ),
                encoding="utf-8",
            )
    write_statements(folder, n)
    return folder


@pytest.fixture
def curriculum_dir(tmp_path):
    """A curriculum folder with two modules: recruiters (sec2, sec3) and online (sec3)."""
    root = tmp_path / "curriculum"
    write_module(root, "recruiters", n=1, other="online", topics="recruitment")
    write_module(root, "online", n=2, other="recruiters", grades="sec3", topics="online")
    write_confidence(root)
    return root


@pytest.fixture
def curriculum_app(make_app, curriculum_dir, tmp_path):
    """An app on `curriculum_dir`, reading edits at once, with its own PDF cache."""
    return make_app(
        CURRICULUM_PATH=str(curriculum_dir),
        CURRICULUM_RELOAD_SECONDS=0,
        PDF_CACHE_DIR=str(tmp_path / "pdf-cache"),
    )
