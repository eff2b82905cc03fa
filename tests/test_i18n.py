"""Languages: the URL prefix decides, `/` negotiates, every page can switch."""

import re
from datetime import UTC, datetime

import pytest
from flask_babel import format_date, format_datetime

from app.security import Role

PUBLIC_PAGES = ["/{lang}/", "/{lang}/login"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "/fr/"),
        ("en-CA,en;q=0.9", "/en/"),
        ("fr-CA,fr;q=0.9,en;q=0.5", "/fr/"),
        ("de-DE,de;q=0.9", "/fr/"),
        ("de;q=0.9,en;q=0.5", "/en/"),
    ],
)
def test_root_redirects_by_accept_language(client, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    response = client.get("/", headers=headers)
    assert response.status_code == 302
    assert response.location == expected
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_in_both_languages(client, lang, page):
    response = client.get(page.format(lang=lang))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    other = "en" if lang == "fr" else "fr"
    assert f'href="{page.format(lang=other)}" hreflang="{other}"' in html


def test_pages_are_translated(client):
    fr = client.get("/fr/").get_data(as_text=True)
    en = client.get("/en/").get_data(as_text=True)
    assert "Ton corps n’est pas une marchandise" in fr
    assert "Your body is not a commodity" in en
    assert "Your body is not a commodity" not in fr


def test_unknown_language_prefix_is_404(client):
    assert client.get("/de/").status_code == 404
    assert client.get("/es/login").status_code == 404
    response = client.get("/de/", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in response.get_data(as_text=True)


def test_language_switch_keeps_the_page_and_its_arguments(client, auth, create_user):
    admin = create_user(Role.ADMIN)
    auth.login(admin.email)
    html = client.get(f"/fr/admin/users/{admin.id}/edit").get_data(as_text=True)
    assert f'href="/en/admin/users/{admin.id}/edit" hreflang="en"' in html
    html = client.get("/en/admin/users/?page=1").get_data(as_text=True)
    assert 'href="/fr/admin/users/?page=1" hreflang="fr"' in html


def test_every_link_stays_in_the_page_language(client, auth, create_user):
    admin = create_user(Role.ADMIN)
    auth.login(admin.email, lang="en")
    html = client.get("/en/admin/users/").get_data(as_text=True)
    links = re.findall(r'(?:href|action)="(/[^"]*)"', html)
    for link in links:
        if link.startswith("/static/") or 'hreflang="fr"' in link:
            continue
        assert link.startswith("/en/") or link == "/fr/admin/users/", link


def test_dates_are_formatted_for_quebec_in_montreal_time(app):
    moment = datetime(2026, 3, 8, 17, 30, tzinfo=UTC)  # 13:30 (EDT) in Montreal
    with app.test_request_context("/fr/"):
        app.preprocess_request()
        assert format_date(moment, "long") == "8 mars 2026"
        assert "13 h 30" in format_datetime(moment, "short")
    with app.test_request_context("/en/"):
        app.preprocess_request()
        assert format_date(moment, "long") == "March 8, 2026"
        assert "1:30" in format_datetime(moment, "short")


def test_form_errors_are_in_the_page_language(client, auth, create_user):
    admin = create_user(Role.ADMIN)
    auth.login(admin.email)
    from tests.conftest import extract_csrf_token

    for lang, expected in [("fr", "Ce champ est requis."), ("en", "This field is required.")]:
        token = extract_csrf_token(client.get(f"/{lang}/admin/users/new").get_data(as_text=True))
        response = client.post(f"/{lang}/admin/users/new", data={"csrf_token": token})
        assert expected in response.get_data(as_text=True)


def test_language_switch_after_a_posted_form_stays_on_the_page(client, auth):
    html = auth.login("nobody@example.org", "wrong").get_data(as_text=True)
    assert 'href="/en/login" hreflang="en"' in html
