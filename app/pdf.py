"""PDFs with WeasyPrint, fetching nothing but the project's own files.

Documents are rendered with the internal base URL below; the fetcher maps
its paths to folders of the project (static files, module images) and
refuses everything else: no `file://`, no outside host, so a document can
neither read the server's disk nor call out to the network.

WeasyPrint copies a document's @font-face fonts into a temporary folder that
it removes only when the garbage collector gets to its font configuration
(a reference cycle): a worker killed before then, or one that renders faster
than it collects, leaves them behind. Each rendering here removes its own.

The public PDFs are built ahead and served from disk (app/pdfbuild.py,
app/pdfserve.py); the reports' PDFs are drawn on request, for the one who asks.
"""

import contextlib
import mimetypes
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from app.config import PROJECT_ROOT

BASE_URL = "https://mobilis.invalid/"
# The packages whose versions change how a file is drawn (app/pdfbuild.py
# builds every file again when one does).
RENDERERS = ("weasyprint", "pydyf", "pypdfium2", "segno", "pillow")
# The project's own files a document may use: its styles, fonts and images.
PDF_FOLDERS = {"/static/": PROJECT_ROOT / "static"}


class ProjectFilesFetcher(URLFetcher):
    """Answers `data:` URIs and BASE_URL paths under known prefixes, nothing else."""

    def __init__(self, folders):
        super().__init__(allowed_protocols=("https", "data"), fail_on_errors=False)
        # URL path prefix ("/static/") -> folder on disk.
        self.folders = {prefix: Path(folder) for prefix, folder in folders.items()}

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
            raise ValueError(f"refused to fetch {url}: not one of the project's files")
        path = unquote(parts.path)
        for prefix, folder in self.folders.items():
            if path.startswith(prefix):
                target = safe_join(str(folder), path[len(prefix) :])
                if target and Path(target).is_file():
                    mime = mimetypes.guess_type(target)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, Path(target).read_bytes(), {"Content-Type": mime}
                    )
        raise ValueError(f"refused to fetch {url}: no such project file")


@contextlib.contextmanager
def _font_configuration():
    """WeasyPrint's font configuration, whose temporary folder goes with the rendering."""
    fonts = FontConfiguration()
    try:
        yield fonts
    finally:
        # WeasyPrint's own __del__ removes the same folder, later (see above).
        folder = getattr(fonts, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def render_pdf(html, *, folders, stylesheets=(), variant=None):
    """The PDF bytes of `html` (tagged, with the document's title and language).

    `variant` is one of WeasyPrint's PDF variants: "pdf/ua-1" (accessible PDF)
    adds its identification to the metadata for the readers that look for it.
    """
    fetcher = ProjectFilesFetcher(folders)
    with _font_configuration() as fonts:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        css = [
            CSS(string=c, url_fetcher=fetcher, base_url=BASE_URL, font_config=fonts)
            for c in stylesheets
        ]
        return document.write_pdf(
            stylesheets=css,
            font_config=fonts,
            pdf_tags=True,
            pdf_variant=variant,
            custom_metadata=True,
        )


def page_count(html, *, folders, stylesheets=()):
    """How many pages `html` lays out to, without writing a PDF (to fit a text to a page)."""
    fetcher = ProjectFilesFetcher(folders)
    with _font_configuration() as fonts:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        css = [
            CSS(string=c, url_fetcher=fetcher, base_url=BASE_URL, font_config=fonts)
            for c in stylesheets
        ]
        return len(document.render(stylesheets=css, font_config=fonts).pages)
