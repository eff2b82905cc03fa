"""PDFs with WeasyPrint, fetching nothing but the project's own files.

Documents are rendered with the internal base URL below; the fetcher maps
its paths to folders of the project (static files, module images) and
refuses everything else: no `file://`, no outside host, so a document can
neither read the server's disk nor call out to the network.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse
from werkzeug.security import safe_join

from app import PROJECT_ROOT

BASE_URL = "https://mobilis.invalid/"
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


def render_pdf(html, *, folders, stylesheets=()):
    """The PDF bytes of `html` (tagged, with the document's title and language)."""
    fetcher = ProjectFilesFetcher(folders)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(string=c, url_fetcher=fetcher, base_url=BASE_URL) for c in stylesheets],
        pdf_tags=True,
        custom_metadata=True,
    )


def page_count(html, *, folders, stylesheets=()):
    """How many pages `html` lays out to, without writing a PDF (to fit a text to a page)."""
    fetcher = ProjectFilesFetcher(folders)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    css = [CSS(string=c, url_fetcher=fetcher, base_url=BASE_URL) for c in stylesheets]
    return len(document.render(stylesheets=css).pages)
