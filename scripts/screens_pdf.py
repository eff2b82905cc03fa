"""Pictures of the printed materials for docs/screens/: `make screens-pdf`.

Renders, through the site's own routes and on the project's curriculum, the
covers of a handout, a teacher guide and a slide deck, the handout's
true-or-false page and the guide's answer key, the deck's help slide, the
11x17 and Letter posters and the classroom slide of a campaign, and saves a
page of each as a PNG (pypdfium2), so that the docs show what a teacher or a
school prints. French first, as the program is; the catalogs are the
compiled ones (`make compile-translations`).

    .venv/bin/python scripts/screens_pdf.py [--out docs/screens]
"""

import argparse
import sys
import tempfile
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402  (the project's root is put on the path first)

# (file name, URL, which page: a number from 0, or a text the page holds, and pixels a point)
SHOTS = [
    ("pdf-handout-cover-fr.png", "/fr/modules/online-safety.pdf", 0, 1.5),
    ("pdf-handout-true-false-fr.png", "/fr/modules/online-safety.pdf", "\u2610 Vrai", 1.5),
    ("pdf-guide-cover-en.png", "/en/modules/getting-help/guide.pdf", 0, 1.5),
    ("pdf-guide-answer-key-en.png", "/en/modules/getting-help/guide.pdf", "answer key", 1.5),
    ("pdf-deck-cover-fr.png", "/fr/modules/how-recruiters-work/deck.pdf", 0, 1.5),
    ("pdf-deck-help-slide-fr.png", "/fr/modules/how-recruiters-work/deck.pdf", -1, 1.5),
    (
        "pdf-poster-tabloid-fr.png",
        "/fr/campaigns/your-body-is-not-a-commodity/poster-tabloid.pdf",
        0,
        1.0,
    ),
    ("pdf-poster-letter-en.png", "/en/campaigns/march-week/poster-letter.pdf", 0, 1.25),
    ("pdf-slide-fr.png", "/fr/campaigns/march-week/slide.pdf", 0, 1.5),
]


def _page_index(document, which):
    """The index of the page asked for: a number, or the first page holding a text."""
    if isinstance(which, int):
        return which % len(document)
    for index in range(len(document)):
        textpage = document[index].get_textpage()
        found = which in textpage.get_text_range()
        textpage.close()
        if found:
            return index
    raise SystemExit(f"no page holds {which!r}")


def save_page(pdf, which, scale, path):
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[_page_index(document, which)]
        page.render(scale=scale).to_pil().convert("RGB").save(path, optimize=True)
        page.close()
    finally:
        document.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mobilis-screens-") as folder:
        app = create_app(
            {
                "SECRET_KEY": "screens-only",
                "DATABASE_URL": f"sqlite:///{folder}/screens.sqlite",
                "INSTANCE_PATH": f"{folder}/instance",
                "PDF_CACHE_DIR": f"{folder}/pdf",
                "MAIL_BACKEND": "memory",
                "HELP_ALERT_RUNNER": "off",
            }
        )
        client = app.test_client()
        for name, url, which, scale in SHOTS:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code}")
            save_page(response.get_data(), which, scale, args.out / name)
            response.close()
            print(args.out / name)
        app.extensions["mobilis_engine"].dispose()


if __name__ == "__main__":
    main()
