"""Only configured host names are served, and no cache keys on any other."""

import io

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from app.config import Config
from app.pagecache import PublicPageCache
from tests.conftest import ClosingClient

UNKNOWN = ["evil.example", "a.evil.example", "localhost.evil.example", "127.0.0.2"]
REFUSAL = "This site does not answer to this host name."


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


def _page_cache(app):
    layer = app.wsgi_app
    while not isinstance(layer, PublicPageCache):
        layer = layer.wsgi_app
    return layer


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_unknown_host_is_refused_in_the_page_language(app, lang):
    with app.app_context(), force_locale(app.config["LOCALES"][lang]):
        text = gettext(REFUSAL)
    for host in UNKNOWN:
        response = app.test_client().get(f"/{lang}/", headers={"Host": host})
        assert response.status_code == 400, host
        assert response.headers["Content-Language"] == lang
        assert "Set-Cookie" not in response.headers
        assert response.get_data(as_text=True) == text
    negotiated = app.test_client().get(
        "/", headers={"Host": "evil.example", "Accept-Language": "en"}
    )
    assert negotiated.status_code == 400
    assert negotiated.headers["Content-Language"] == "en"


def test_an_unknown_host_is_refused_for_a_form_too(app):
    response = app.test_client().post(
        "/en/help/", data={"body": "hello"}, headers={"Host": "evil.example"}
    )
    assert response.status_code == 400
    assert "host name" in response.get_data(as_text=True)


def test_the_configured_names_are_served_on_any_port(make_app, curriculum_dir):
    app = make_app(CURRICULUM_PATH=str(curriculum_dir), TRUSTED_HOSTS=["mobilis.example.org"])
    client = app.test_client()
    for host in ("mobilis.example.org", "mobilis.example.org:8443"):
        assert client.get("/fr/", headers={"Host": host}).status_code == 200
    # Once a name is configured, the machine's own names are not served either.
    assert client.get("/fr/").status_code == 400


def test_the_page_cache_never_keeps_a_page_for_an_unknown_host(app):
    cache = _page_cache(app)
    for host in UNKNOWN * 3:
        app.test_client().get("/fr/modules/", headers={"Host": host})
    assert len(cache._entries) == 0
    assert app.test_client().get("/fr/modules/").status_code == 200
    assert [key[1] for key in cache._entries] == ["localhost"]


def test_no_pdf_is_rendered_or_kept_for_an_unknown_host(app, tmp_path):
    for host in UNKNOWN:
        response = app.test_client().get("/en/modules/recruiters.pdf", headers={"Host": host})
        assert response.status_code == 400, host
    folder = tmp_path / "pdf-cache"
    assert not folder.exists() or not list(folder.iterdir())


def test_behind_a_proxy_the_forwarded_host_is_the_one_checked(make_app):
    app = make_app(PROXY_HOPS=1, TRUSTED_HOSTS=["mobilis.example.org"])
    client = app.test_client()
    good = {"X-Forwarded-Host": "mobilis.example.org", "X-Forwarded-Proto": "https"}
    assert client.get("/fr/", headers=good).status_code == 200
    bad = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    assert client.get("/fr/", headers=bad).status_code == 400


def test_the_names_come_from_the_environment(monkeypatch):
    assert Config.from_env()["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]
    monkeypatch.setenv("TRUSTED_HOSTS", "mobilis.example.org, www.mobilis.example.org")
    assert Config.from_env()["TRUSTED_HOSTS"] == ["mobilis.example.org", "www.mobilis.example.org"]


PORTS = ["localhost", "localhost:1", "localhost:2", "localhost:3", "localhost:80"]


def _pdf_text(response):
    reader = PdfReader(io.BytesIO(response.get_data()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_port_on_a_served_name_is_no_new_page_or_pdf(app, tmp_path):
    """A port other than the server's own is dropped before anything keys on
    the name: four ports, one page-cache entry and one PDF built and kept."""
    cache = _page_cache(app)
    for host in PORTS:
        assert app.test_client().get("/fr/modules/", headers={"Host": host}).status_code == 200
    assert [key[1] for key in cache._entries] == ["localhost"]
    client = ClosingClient(app.test_client())
    for host in PORTS:
        response = client.get("/en/modules/recruiters.pdf", headers={"Host": host})
        assert response.status_code == 200, host
        # The address printed under the QR code names no port either.
        assert "http://localhost/en/help/" in _pdf_text(response)
    assert len(list((tmp_path / "pdf-cache").glob("*.pdf"))) == 1


def test_a_pdf_prints_the_public_address_whatever_name_asked_for_it(make_app, curriculum_dir):
    """`make run` serves on port 5000 (PUBLIC_URL's default): a PDF built
    ahead points there, whichever served name or port a visitor used."""
    app = make_app(CURRICULUM_PATH=str(curriculum_dir), PUBLIC_URL="http://localhost:5000")
    client = ClosingClient(app.test_client())
    for host in ("localhost:5000", "localhost:5001", "127.0.0.1"):
        response = client.get(
            "/en/modules/recruiters.pdf",
            headers={"Host": host},
            environ_overrides={"SERVER_PORT": "5000"},
        )
        assert response.status_code == 200, host
        assert "http://localhost:5000/en/help/" in _pdf_text(response)
