"""True-or-false activities: statements on the students' handout, answers in the guide.

The real modules are read from `curriculum/`: each handout (PDF) has every
statement with its boxes and none of the answers' explanations; each teacher
guide (PDF) and the facilitator notes page have them all. The answers are
found in the module's source by a pattern of this test's own, so that the test
does not take the parser's word for what an answer is.
"""

import html
import io
import re
import shutil

import pytest
from pypdf import PdfReader

from app.config import PROJECT_ROOT
from app.curriculum.modules import load_catalogue
from app.security import Role
from tests.conftest import ClosingClient
from tests.curriculum_factory import write_confidence, write_module

pytestmark = pytest.mark.one_database("sqlite")

CURRICULUM = PROJECT_ROOT / "curriculum"
SLUGS = [m.slug for m in load_catalogue(CURRICULUM).modules]
# **Faux.** or *Faux.*, then the explanation, in any layout a writer may use.
ANSWER_RE = re.compile(r"(\*\*|\*)(Vrai|Faux|True|False)\.(\*\*|\*)\s*(.+)$")
STATEMENT_RE = re.compile(r"^\d+\.\s+\*\*(.+?)\*\*")
BOX = "\u2610"


def _flat(text):
    """One space between words, and none where French typography adds one
    (before : ; ! ? and inside « »), which the French pages add and the
    sources need not have."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([:;!?»])", r"\1", text).replace("« ", "«")


def _plain(markdown_text):
    """A Markdown line's words as a reader sees them (no marks, no link targets)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown_text)
    return _flat(re.sub(r"[*_`]", "", text))


def _answers(slug, lang):
    """(statement, answer word, explanation) of the lesson's activity, from its source."""
    found = []
    statement = None
    for line in (CURRICULUM / slug / f"{lang}.md").read_text(encoding="utf-8").split("\n"):
        match = STATEMENT_RE.match(line)
        if match:
            statement = _plain(match.group(1))
        answer = ANSWER_RE.search(line)
        if answer:
            found.append((statement, answer.group(2), _plain(answer.group(4))))
    return found


def _pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def _squashed(text):
    """Without any space: text extraction splits some words at a kerned pair ("« T u")."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))


@pytest.fixture
def pdf_client(app):
    """A client whose responses are read and closed (PDFs are streamed files)."""
    return ClosingClient(app.test_client())


def test_every_module_has_a_true_or_false_activity():
    assert len(SLUGS) == 6
    for slug in SLUGS:
        for lang in ("fr", "en"):
            assert len(_answers(slug, lang)) == 8, (slug, lang)


@pytest.mark.parametrize("slug", SLUGS)
def test_handout_has_the_statements_and_boxes_and_the_guide_the_answers(pdf_client, slug):
    client = pdf_client
    for lang, words in (("fr", ("Vrai", "Faux")), ("en", ("True", "False"))):
        answers = _answers(slug, lang)
        assert answers, (slug, lang)
        text = _pdf_text(client.get(f"/{lang}/modules/{slug}.pdf").data)
        handout = _squashed(text)
        guide = _squashed(_pdf_text(client.get(f"/{lang}/modules/{slug}/guide.pdf").data))
        for statement, word, explanation in answers:
            assert statement and _squashed(statement) in handout, (slug, lang, statement)
            assert _squashed(explanation) not in handout, (slug, lang, explanation)
            assert _squashed(f"{word}. {explanation}") in guide, (slug, lang, explanation)
            assert _squashed(statement) in guide, (slug, lang, statement)
        # A box to tick before each answer word, twice a statement, and nothing else boxed.
        boxes = re.findall(rf"{BOX} ?(\w+)", text)
        assert boxes == list(words) * len(answers), (slug, lang, boxes)


def _page_text(response):
    assert response.status_code == 200
    return _flat(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_notes_page_has_the_answers_and_the_lesson_page_not(client, auth, create_user, lang):
    auth.login(create_user(Role.PREVENTION_WORKER).email)
    for slug in SLUGS:
        lesson = _page_text(client.get(f"/{lang}/modules/{slug}/"))
        notes = _page_text(client.get(f"/{lang}/modules/{slug}/notes/"))
        for statement, word, explanation in _answers(slug, lang):
            assert _flat(statement) in lesson
            assert _flat(explanation) not in lesson, (slug, lang, explanation)
            assert _flat(f"{word}. {explanation}") in notes, (slug, lang, explanation)


# A small module's activity, for the check's cases.
ACTIVITY = {
    "fr": "::: true-false\n\n1. **Un énoncé un.**\n\n    **Faux.** L’explication un.\n\n"
    "2. **Un énoncé deux.**\n    **Vrai.** L’explication deux.\n\n:::\n",
    "en": "::: true-false\n\n1. **Statement one.**\n\n    **False.** Explanation one.\n\n"
    "2. **Statement two.**\n    **True.** Explanation two.\n\n:::\n",
}
KEY = "\n\n::: true-false-key\n"


def _with_activity(root, slug="quiz", *, lessons=ACTIVITY, keys=("guide", "notes")):
    folder = write_module(root, slug)
    write_confidence(root)  # the questionnaire's confidence statements (issue 23)
    for lang in ("fr", "en"):
        lesson = folder / f"{lang}.md"
        lesson.write_text(lesson.read_text(encoding="utf-8") + "\n" + lessons[lang])
        for kind in keys:
            side = folder / f"{kind}.{lang}.md"
            side.write_text(side.read_text(encoding="utf-8") + KEY)
    return folder


def _check(make_app, root):
    app = make_app(CURRICULUM_PATH=str(root), CURRICULUM_RELOAD_SECONDS=0)
    return app.test_cli_runner().invoke(args=["curriculum", "check"])


def test_a_valid_activity_passes_the_check_and_splits(make_app, tmp_path):
    root = tmp_path / "curriculum"
    _with_activity(root)
    result = _check(make_app, root)
    assert result.exit_code == 0, result.output
    app = make_app(
        CURRICULUM_PATH=str(root),
        CURRICULUM_RELOAD_SECONDS=0,
        PDF_CACHE_DIR=str(tmp_path / "pdf-cache"),
    )
    client = ClosingClient(app.test_client())
    handout = _pdf_text(client.get("/en/modules/quiz.pdf").data)
    assert "Statement one." in handout and "Statement two." in handout
    assert "Explanation" not in handout
    guide = _pdf_text(client.get("/en/modules/quiz/guide.pdf").data)
    assert "False. Explanation one." in guide and "True. Explanation two." in guide


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # The old way of writing an activity: every answer would be printed for the students.
        (
            lambda folder: _append(folder / "fr.md", "\n1. **Un énoncé.** — *Faux.* Parce que.\n"),
            "quiz/fr.md:{line}: an answer outside a '::: true-false' block would be printed "
            "on the students' handout",
        ),
        (
            lambda folder: _replace(folder / "en.md", "\n:::\n", "\n"),
            "quiz/en.md:{open}: a '::: true-false' block needs a closing line ':::'",
        ),
        (
            lambda folder: _replace(folder / "en.md", "**True.** Explanation two.", "Two."),
            "quiz/en.md:{second}: statement 2 has no answer",
        ),
        (
            lambda folder: _replace(folder / "en.md", "**True.** Explanation", "**False.** Expl"),
            "quiz/en.md:{second}: statement 2 is False here but Vrai in fr.md",
        ),
        (
            lambda folder: _replace(folder / "fr.md", "**Vrai.**", "**True.**"),
            "quiz/fr.md:{second_fr}: statement 2: 'True' in this language",
        ),
        (
            lambda folder: _replace(folder / "guide.fr.md", "::: true-false-key", ""),
            "quiz/guide.fr.md:5: the lesson has a true-or-false activity: place its answer key",
        ),
        (
            lambda folder: _replace(folder / "notes.en.md", "::: true-false-key", ""),
            "quiz/notes.en.md:5: the lesson has a true-or-false activity",
        ),
    ],
    ids=[
        "answer-outside-a-block",
        "block-left-open",
        "statement-without-answer",
        "answers-differ-between-languages",
        "answer-word-of-the-other-language",
        "guide-without-key",
        "notes-without-key",
    ],
)
def test_the_check_fails_when_an_answer_could_reach_a_handout(make_app, tmp_path, change, expected):
    root = tmp_path / "curriculum"
    folder = _with_activity(root)
    change(folder)
    lines = {
        "line": _line_of(folder / "fr.md", "— *Faux.*"),
        "open": _line_of(folder / "en.md", "::: true-false"),
        "second": _line_of(folder / "en.md", "2. **Statement two.**"),
        "second_fr": _line_of(folder / "fr.md", "2. **Un énoncé deux.**"),
    }
    result = _check(make_app, root)
    assert result.exit_code == 1
    assert expected.format(**lines) in result.output, result.output
    assert "problem(s) in the curriculum" in result.output


def test_the_real_curriculum_fails_the_check_with_an_answer_in_a_lesson(make_app, tmp_path):
    root = tmp_path / "curriculum"
    shutil.copytree(CURRICULUM, root)
    lesson = root / "online-safety" / "en.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace(":::\n", ":::\n\n**True.** Said after the block.\n", 1))
    result = _check(make_app, root)
    assert result.exit_code == 1
    assert "online-safety/en.md:" in result.output
    assert "would be printed on the students' handout" in result.output


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path, needle):
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if needle in line:
            return number
    return None
