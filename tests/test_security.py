"""Headers, cookies, error pages and the absence of third-party assets."""

import re
from pathlib import Path

import pytest

from app.security import Role

ROOT = Path(__file__).resolve().parent.parent


def test_security_headers_on_every_response(client):
    for path in ["/fr/", "/en/login", "/healthz", "/nope", "/static/css/site.css"]:
        response = client.get(path)
        response.close()
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/fr/").headers
    response = client.get("/fr/", base_url="https://localhost")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_a_visitor_gets_no_cookie_on_pages_without_a_form(client):
    assert "Set-Cookie" not in client.get("/fr/").headers
    assert "Set-Cookie" not in client.get("/").headers


def test_staff_pages_are_not_cached(client, auth, create_user):
    auth.login(create_user().email)
    assert client.get("/fr/account/").headers["Cache-Control"] == "no-store"


def _product_files():
    for folder in ("app", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".html", ".css", ".js", ".py", ".svg"}:
                yield path


def test_no_third_party_asset_anywhere():
    """No page loads anything from another host: no CDN, font or analytics."""
    loads = re.compile(
        r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//"""
        r"""|url\(\s*["']?(?:https?:)?//"""
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in _product_files()
        if loads.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_inline_scripts_and_styles_are_absent():
    for path in (ROOT / "app").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None, path
        assert "<style" not in html and " style=" not in html, path
        assert re.search(r"\son[a-z]+=", html) is None, path


@pytest.mark.parametrize(("lang", "title"), [("fr", "Page introuvable"), ("en", "Page not found")])
def test_404_page_in_both_languages(client, lang, title):
    response = client.get(f"/{lang}/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and title in html


@pytest.mark.parametrize(("lang", "title"), [("fr", "Accès refusé"), ("en", "Access denied")])
def test_403_page_in_both_languages(client, auth, create_user, lang, title):
    auth.login(create_user(Role.POLICE_OFFICER).email)
    response = client.get(f"/{lang}/admin/users/")
    assert response.status_code == 403
    assert title in response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "title"), [("fr", "Requête invalide"), ("en", "Bad request")])
def test_400_page_in_both_languages(client, lang, title):
    response = client.post(f"/{lang}/login", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 400
    assert title in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Trop de requêtes"), ("en", "Too many requests")]
)
def test_429_page_in_both_languages(make_app, lang, title):
    from tests.conftest import AuthActions

    client = make_app(LOGIN_RATE_LIMIT="1 per minute").test_client()
    auth = AuthActions(client)
    auth.login("x@example.org", "x", lang=lang)
    response = auth.login("x@example.org", "x", lang=lang)
    assert response.status_code == 429
    assert title in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Une erreur s’est produite"), ("en", "Something went wrong")]
)
def test_500_page_in_both_languages_and_nothing_saved(make_app, db, lang, title):
    from flask import Blueprint
    from sqlmodel import select

    from app.accounts.models import Partner
    from app.accounts.services import create_partner
    from app.db import get_session
    from app.security import public

    app = make_app(PROPAGATE_EXCEPTIONS=False)
    broken = Blueprint("broken", __name__)

    @broken.route("/<lang:lang>/broken")
    @public
    def fail():
        create_partner(get_session(), code="half-saved", name="Half", kind="other")
        raise RuntimeError("boom")

    app.register_blueprint(broken)
    response = app.test_client().get(f"/{lang}/broken")
    assert response.status_code == 500
    assert title in response.get_data(as_text=True)
    assert db.exec(select(Partner).where(Partner.code == "half-saved")).first() is None
