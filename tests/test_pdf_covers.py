"""The covers and page furniture of the modules' PDFs: handout, guide and deck.

Read from the PDFs themselves, in both languages, for a module of the program
that has all three: the cover names the program (its mark), the module's
number and title, its grades and duration, and gives the help numbers; every
page after it says « page 2 sur 7 »; the file is a tagged PDF/UA document in
its language.
"""

import io
import re

import pytest
from pypdf import PdfReader

from app.config import PROJECT_ROOT
from app.curriculum.modules import load_catalogue
from tests.conftest import ClosingClient
from tests.pdf_reading import structure

pytestmark = pytest.mark.one_database("postgres")

MODULE = load_catalogue(PROJECT_ROOT / "curriculum").get("how-recruiters-work")
KINDS = {"handout": "{slug}.pdf", "guide": "{slug}/guide.pdf", "deck": "{slug}/deck.pdf"}
EXPECTED = {
    "fr": {
        "kind": {
            "handout": "ATELIER ET DOCUMENT",
            "guide": "GUIDE POUR LE PERSONNEL",
            "deck": "DIAPORAMA",
        },
        "grades": "2e secondaire, 3e secondaire",
        "duration": "75 minutes",
        "footer": "page {page} sur {pages}",
    },
    "en": {
        "kind": {"handout": "LESSON AND HANDOUT", "guide": "TEACHER GUIDE", "deck": "SLIDE DECK"},
        "grades": "Secondary 2, Secondary 3",
        "duration": "75 minutes",
        "footer": "page {page} of {pages}",
    },
}  # fmt: skip


@pytest.fixture
def app(make_app, tmp_path):
    return make_app(PDF_CACHE_DIR=str(tmp_path / "pdf-cache"))


@pytest.fixture
def client(app):
    return ClosingClient(app.test_client())


def _flat(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_cover_footer_language_and_tags(client, kind, lang):
    response = client.get(f"/{lang}/modules/" + KINDS[kind].format(slug=MODULE.slug))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    pages = [_flat(page.extract_text()) for page in reader.pages]
    expected = EXPECTED[lang]

    cover = pages[0]
    assert f"MODULE {MODULE.order} · {expected['kind'][kind]}" in cover.upper()
    assert _flat(MODULE.title(lang)) in cover
    assert expected["grades"] in cover and expected["duration"] in cover
    for number in ("911", "1 800 263-2266", "1 800 668-6868"):
        assert number in cover, (number, cover)
    # The name mark, a figure with its name for screen readers, is on the cover.
    tags = structure(reader)
    assert ("/Figure", "MOBILIS Prévention") in tags
    assert tags.index(("/Figure", "MOBILIS Prévention")) < 10, "at the top of the cover"

    # « page 2 sur 7 » on every page after the cover, none on the cover.
    total = len(pages)
    assert total >= 4
    assert "page 1" not in cover
    for number, text in enumerate(pages[1:], 2):
        assert expected["footer"].format(page=number, pages=total) in text, (number, text[-80:])

    # A tagged PDF/UA document in its language, titled.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert {"/H1", "/P", "/L"} <= {role for role, _alt in tags}
    metadata = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfuaid:part="1"' in metadata
    assert reader.metadata.title


def test_the_pack_cover_lists_every_module_by_number(client):
    reader = PdfReader(io.BytesIO(client.get("/en/modules/pack.pdf").data))
    cover = _flat(reader.pages[0].extract_text())
    for module in load_catalogue(PROJECT_ROOT / "curriculum").modules:
        assert f"Module {module.order} · {_flat(module.title('en'))}" in cover
    assert "1 800 263-2266" in cover
    assert "page 2 of" in _flat(reader.pages[1].extract_text())
