"""Slide decks: the check of deck.fr.md / deck.en.md, and the landscape PDF."""

import io

import pytest
from pypdf import PdfReader

from app.curriculum.decks import MAX_WORDS
from app.curriculum.modules import load_catalogue
from tests.conftest import ClosingClient

pytestmark = pytest.mark.one_database("sqlite")

DECK = """---
title: "{title}"
version: "{version}"
updated: {updated}
---

{slides}
"""

SLIDES = {
    "fr": [
        "# Présentation d’essai\n\nPour les directions et les parents.",
        "## Le programme\n\n- Six ateliers en classe\n- Une visite de deux semaines",
        "## Ce que dit la loi\n\nAcheter des services sexuels est un crime.\n\n"
        "Source : Code criminel, art. 286.1.",
    ],
    "en": [
        "# Test presentation\n\nFor principals and parents.",
        "## The program\n\n- Six workshops in class\n- A two-week visit",
        "## What the law says\n\nBuying sexual services is a crime.\n\n"
        "Source: Criminal Code, s. 286.1.",
    ],
}
TITLES = {"fr": "Présentation d’essai aux écoles", "en": "Test presentation for schools"}


def write_deck(folder, lang, slides=None, *, version="1.0", updated="2026-11-01", title=None):
    path = folder / f"deck.{lang}.md"
    path.write_text(
        DECK.format(
            title=title or TITLES[lang],
            version=version,
            updated=updated,
            slides="\n\n---\n\n".join(SLIDES[lang] if slides is None else slides),
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def deck_dir(curriculum_dir):
    """The two test modules; `recruiters` has a deck of three slides in each language."""
    for lang in ("fr", "en"):
        write_deck(curriculum_dir / "recruiters", lang)
    return curriculum_dir


def _messages(root):
    return [p.format(root) for p in load_catalogue(root).problems]


def _squash(text):
    """Text without any space: pypdf puts spaces of its own around some characters (’)."""
    return "".join(text.split())


def _line(path, text):
    """The number of the first line of `path` that starts with `text`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.startswith(text))


# The check


def test_a_valid_deck(deck_dir):
    catalogue = load_catalogue(deck_dir)
    assert catalogue.problems == []
    recruiters, online = catalogue.get("recruiters"), catalogue.get("online")
    assert recruiters.has_deck and not online.has_deck
    slides = recruiters.slides("fr")
    assert [(s.level, s.heading) for s in slides] == [
        (1, "Présentation d’essai"),
        (2, "Le programme"),
        (2, "Ce que dit la loi"),
    ]
    path = deck_dir / "recruiters" / "deck.fr.md"
    assert [s.line for s in slides] == [
        _line(path, "# Présentation"),
        _line(path, "## Le programme"),
        _line(path, "## Ce que dit la loi"),
    ]
    assert slides[2].source == "Source : Code criminel, art. 286.1."
    assert "Source" not in slides[2].body
    # Heading and body are counted, the source line is not.
    assert slides[2].words == 5 + 7  # "Ce que dit la loi", "Acheter … un crime."
    assert recruiters.slides("en")[2].source == "Source: Criminal Code, s. 286.1."


def test_a_deck_needs_both_languages(deck_dir):
    (deck_dir / "recruiters" / "deck.en.md").unlink()
    messages = _messages(deck_dir)
    assert messages == [
        "curriculum/recruiters/deck.en.md:1: missing file: "
        "a module with a deck needs both deck.fr.md and deck.en.md"
    ]
    assert [m.slug for m in load_catalogue(deck_dir).modules] == ["online"]


def test_every_slide_starts_with_a_heading(deck_dir):
    slides = [*SLIDES["fr"][:2], "Du texte sans titre.\n\n## Un titre trop tard"]
    path = write_deck(deck_dir / "recruiters", "fr", slides)
    line = _line(path, "Du texte sans titre")
    assert _messages(deck_dir) == [
        f"curriculum/recruiters/deck.fr.md:{line}: a slide must start with a '#' or '##' heading"
    ]


def test_at_most_80_words_a_slide(deck_dir):
    assert MAX_WORDS == 80
    heading = "## Trop de mots"  # three words
    just_enough = f"{heading}\n\n" + " ".join(["mot"] * (MAX_WORDS - 3))
    path = write_deck(deck_dir / "recruiters", "fr", [*SLIDES["fr"][:2], just_enough])
    assert _messages(deck_dir) == []
    # Markdown's marks are not words; the slide's source is not counted.
    marked = f"{just_enough}\n\n- **\n\nSource : Code criminel, art. 286.1."
    write_deck(deck_dir / "recruiters", "fr", [*SLIDES["fr"][:2], marked])
    assert _messages(deck_dir) == []
    write_deck(deck_dir / "recruiters", "fr", [*SLIDES["fr"][:2], just_enough + " encore"])
    line = _line(path, heading)
    assert _messages(deck_dir) == [
        f"curriculum/recruiters/deck.fr.md:{line}: 81 words on this slide: at most 80 "
        "(split it, or leave the details to the teacher guide)"
    ]


def test_both_languages_have_the_same_slides(deck_dir):
    write_deck(deck_dir / "recruiters", "en", SLIDES["en"][:2])
    # Reported on the body's first line, the one after the front matter's five.
    assert _messages(deck_dir) == [
        "curriculum/recruiters/deck.en.md:6: 2 slides, but deck.fr.md has 3: "
        "both languages show the same slides"
    ]


def test_empty_slides_front_matter_and_versions(deck_dir):
    folder = deck_dir / "recruiters"
    path = write_deck(folder, "fr", [*SLIDES["fr"], ""], version="0.9")
    write_deck(folder, "en", updated="2026-11-02")
    separators = [n for n, line in enumerate(path.read_text().split("\n"), 1) if line == "---"]
    messages = _messages(deck_dir)
    assert (
        f"curriculum/recruiters/deck.fr.md:{separators[-1]}: "
        "empty slide: two '---' in a row, or one at either end" in messages
    )
    assert (
        "curriculum/recruiters/deck.fr.md:3: version 0.9 lags behind 1.0: "
        "update this file (or its translation) and its version" in messages
    )
    assert (
        "curriculum/recruiters/deck.en.md:4: 'updated' differs from deck.fr.md "
        "(datetime.date(2026, 11, 1))" in messages
    )
    assert len(messages) == 3
    path.write_text(path.read_text().replace("updated: 2026-11-01\n", "colour: purple\n"))
    messages = _messages(deck_dir)
    assert "curriculum/recruiters/deck.fr.md:1: missing key 'updated' in the front matter" in (
        messages
    )
    assert "curriculum/recruiters/deck.fr.md:4: unknown key 'colour'" in messages


def test_help_numbers_are_refused_in_a_deck(deck_dir):
    slides = [*SLIDES["en"][:2], "## Call\n\nCall 1 800 263-2266 now."]
    path = write_deck(deck_dir / "recruiters", "en", slides)
    line = _line(path, "Call 1 800")
    assert any(
        m.startswith(f"curriculum/recruiters/deck.en.md:{line}: a phone number")
        for m in _messages(deck_dir)
    )


def test_the_deck_is_part_of_the_content_hash(curriculum_dir):
    def content_hashes():
        catalogue = load_catalogue(curriculum_dir)
        return {m.slug: m.content_hash for m in catalogue.modules}

    before = content_hashes()
    for lang in ("fr", "en"):
        write_deck(curriculum_dir / "recruiters", lang)
    with_deck = content_hashes()
    assert with_deck["recruiters"] != before["recruiters"]
    assert with_deck["online"] == before["online"]
    write_deck(curriculum_dir / "recruiters", "en", [*SLIDES["en"][:2], "## Edited\n\nText."])
    assert content_hashes()["recruiters"] not in (before["recruiters"], with_deck["recruiters"])


def test_the_mirrored_hash_follows_the_deck(db, curriculum_dir):
    from app.curriculum.services import sync_modules

    sync_modules(db, catalogue=load_catalogue(curriculum_dir))
    for lang in ("fr", "en"):
        write_deck(curriculum_dir / "recruiters", lang)
    result = sync_modules(db, catalogue=load_catalogue(curriculum_dir))
    assert (result.updated, result.unchanged) == (1, 1)


def test_the_check_command_reports_deck_problems(make_app, deck_dir):
    (deck_dir / "recruiters" / "deck.fr.md").unlink()
    runner = make_app(CURRICULUM_PATH=str(deck_dir)).test_cli_runner()
    result = runner.invoke(args=["curriculum", "check"])
    assert result.exit_code != 0
    assert "curriculum/recruiters/deck.fr.md:1: missing file: a module with a deck" in (
        result.output
    )


# The PDF


@pytest.fixture
def deck_app(make_app, deck_dir, tmp_path):
    return make_app(
        CURRICULUM_PATH=str(deck_dir),
        CURRICULUM_RELOAD_SECONDS=0,
        PDF_CACHE_DIR=str(tmp_path / "pdf-cache"),
    )


@pytest.fixture
def client(deck_app):
    return ClosingClient(deck_app.test_client())


def _pages(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return reader, [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize(
    ("lang", "other", "helpline", "reviewed"),
    [
        ("fr", "en", "Cyberaide.ca", "Numéros vérifiés pour la dernière fois"),
        ("en", "fr", "Cybertip.ca", "Numbers last reviewed on"),
    ],
)
def test_deck_pdf(client, lang, other, helpline, reviewed):
    response = client.get(f"/{lang}/modules/recruiters/deck.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (
        f"filename=mobilis-recruiters-deck-{lang}-v1.0.pdf"
        in response.headers["Content-Disposition"]
    )
    reader, pages = _pages(response.data)
    assert reader.metadata.title == TITLES[lang]
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert "/StructTreeRoot" in reader.trailer["/Root"], "tagged PDF"
    # One landscape 16:9 page per slide, then the question page's slide and the help slide.
    assert len(pages) == len(SLIDES[lang]) + 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height and width / height == pytest.approx(16 / 9, rel=0.01)
    for page, slide in zip(pages, SLIDES[lang], strict=False):
        heading = slide.split("\n")[0].lstrip("# ")
        assert _squash(heading) in _squash(page)
    assert "Source" in pages[2] and "286.1" in pages[2]
    text = _squash("".join(pages))
    for slide in SLIDES[other]:
        assert _squash(slide.split("\n")[0].lstrip("# ")) not in text
    help_slide = pages[-1]
    assert helpline in help_slide and reviewed in help_slide
    assert f"http://localhost/{lang}/help/" in pages[-2]
    assert "1 800 263-2266" in help_slide, "the numbers come from helplines.yaml"
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("MOBILIS-Sans" in f for f in fonts), fonts


def test_the_question_slide_has_the_qr_code(client):
    reader, _pages_text = _pages(client.get("/en/modules/recruiters/deck.pdf").data)
    drawing = reader.pages[-2].get_contents().get_data().decode("latin-1")
    assert drawing.count(" l\n") > 50, "the QR code is drawn"


def test_no_deck_no_pdf(client):
    assert client.get("/fr/modules/online/deck.pdf").status_code == 404
    assert client.get("/en/modules/nowhere/deck.pdf").status_code == 404


def test_deck_pdf_is_public_like_the_other_module_pdfs(deck_app):
    views = deck_app.view_functions
    assert views["curriculum.deck_pdf"].access_rule == views["curriculum.lesson_pdf"].access_rule
    with deck_app.test_request_context():
        from flask import url_for

        assert url_for("curriculum.deck_pdf", lang="fr", slug="recruiters") == (
            "/fr/modules/recruiters/deck.pdf"
        )


def test_cache_etag_and_revalidation(client, deck_dir, tmp_path):
    first = client.get("/en/modules/recruiters/deck.pdf")
    etag = first.headers["ETag"]
    cached = list((tmp_path / "pdf-cache").glob("*.pdf"))
    assert len(cached) == 1
    again = client.get("/en/modules/recruiters/deck.pdf", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get(
        "/en/modules/recruiters/deck.pdf",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status_code == 304
    assert len(list((tmp_path / "pdf-cache").glob("*.pdf"))) == 1, "not rendered again"
    # Editing the deck gives a new PDF; the lesson's handout changes too (same content hash).
    lesson = client.get("/en/modules/recruiters.pdf")
    write_deck(deck_dir / "recruiters", "en", [*SLIDES["en"][:2], "## Edited slide\n\nNew text."])
    edited = client.get("/en/modules/recruiters/deck.pdf", headers={"If-None-Match": etag})
    assert edited.status_code == 200 and edited.headers["ETag"] != etag
    assert "Edited slide" in _pages(edited.data)[1][2]
    assert (
        client.get(
            "/en/modules/recruiters.pdf", headers={"If-None-Match": lesson.headers["ETag"]}
        ).status_code
        == 200
    )


# The program's own decks


def test_the_programs_decks_pass_the_check_and_fit_their_slides(make_app, project_root, tmp_path):
    catalogue = load_catalogue(project_root / "curriculum")
    assert [p.format() for p in catalogue.problems] == []
    with_deck = [m for m in catalogue.modules if m.has_deck]
    assert {"your-body-is-not-a-commodity", "how-recruiters-work"} <= {m.slug for m in with_deck}
    app = make_app(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))
    client = ClosingClient(app.test_client())
    for module in with_deck:
        for lang in ("fr", "en"):
            response = client.get(f"/{lang}/modules/{module.slug}/deck.pdf")
            assert response.status_code == 200
            _reader, pages = _pages(response.data)
            # A slide that spills over a second page shows as a page without its heading.
            slides = module.slides(lang)
            for number, (page, slide) in enumerate(zip(pages, slides, strict=False), 1):
                assert _squash(slide.heading) in _squash(page), (
                    f"{module.slug}/deck.{lang}.md:{slide.line}: slide {number} "
                    "does not fit on one page"
                )
            assert len(pages) == len(slides) + 2, f"{module.slug} ({lang})"
