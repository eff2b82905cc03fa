"""The catalogue, module pages, guides and facilitator notes."""

import pytest
from sqlmodel import select

from app.curriculum.models import CurriculumModule
from app.security import Role


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_catalogue_lists_modules_in_both_languages(client, lang):
    html = client.get(f"/{lang}/modules/").get_data(as_text=True)
    title = {"fr": "Module d’essai", "en": "Test module"}[lang]
    assert html.count(title) == 2
    assert f'href="/{lang}/modules/recruiters/"' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("grade=sec2", ["recruiters"]),
        ("grade=sec3", ["recruiters", "online"]),
        ("topic=online", ["online"]),
        ("q=EDUCATION", ["recruiters", "online"]),
        ("q=module+2", ["online"]),
        ("q=nothing-like-this", []),
        ("grade=sec9", ["recruiters", "online"]),
    ],
)
def test_catalogue_filters_and_search(client, query, expected):
    html = client.get(f"/en/modules/?{query}").get_data(as_text=True)
    start = html.index('id="results-heading"')
    found = [s for s in ("recruiters", "online") if f'href="/en/modules/{s}/"' in html[start:]]
    assert found == expected


def test_search_ignores_accents_and_case(client):
    html = client.get("/fr/modules/?q=Education").get_data(as_text=True)
    assert "2 ateliers" in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_module_page(client, lang):
    response = client.get(f"/{lang}/modules/recruiters/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert f'href="/{lang}/modules/recruiters.pdf"' in html
    assert f'href="/{lang}/modules/recruiters/guide/"' in html
    assert f'href="/{lang}/modules/online/"' in html, "module: links become URLs"
    assert "<table>" in html and 'id="' in html, "tables and heading anchors"
    assert f'href="/{"en" if lang == "fr" else "fr"}/modules/recruiters/"' in html
    assert 'class="help-box"' in html and "Tel-jeunes" in html
    assert "Secret notes" not in html and "Notes secrètes" not in html


def test_unknown_module_is_404(client):
    assert client.get("/fr/modules/nope/").status_code == 404
    assert client.get("/fr/modules/nope.pdf").status_code == 404


def test_guide_is_public(client):
    html = client.get("/fr/modules/recruiters/guide/").get_data(as_text=True)
    assert "Guide pour le personnel enseignant 1" in html


def test_notes_are_hidden_from_visitors_and_police(client, auth, create_user):
    response = client.get("/fr/modules/recruiters/notes/")
    assert response.status_code == 302 and "/fr/login" in response.location
    assert "Notes secrètes" not in response.get_data(as_text=True)
    auth.login(create_user(Role.POLICE_OFFICER).email)
    response = client.get("/fr/modules/recruiters/notes/")
    assert response.status_code == 403
    assert "Notes secrètes" not in response.get_data(as_text=True)


def test_notes_are_shown_to_workers(client, auth, create_user):
    auth.login(create_user(Role.PREVENTION_WORKER).email)
    html = client.get("/en/modules/recruiters/notes/").get_data(as_text=True)
    assert "Secret notes 1" in html
    assert 'href="/en/modules/recruiters/notes/"' in client.get("/en/modules/recruiters/").get_data(
        as_text=True
    )


def test_markdown_is_sanitised(make_app, curriculum_dir):
    path = curriculum_dir / "recruiters" / "en.md"
    path.write_text(
        path.read_text()
        + '\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(2)">\n\n'
        + "[click](javascript:alert(3))\n"
    )
    client = make_app(CURRICULUM_PATH=str(curriculum_dir)).test_client()
    html = client.get("/en/modules/recruiters/").get_data(as_text=True)
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html


def test_edited_files_are_picked_up(client, curriculum_dir):
    path = curriculum_dir / "online" / "en.md"
    path.write_text(path.read_text().replace("Test module 2", "Renamed module"))
    assert "Renamed module" in client.get("/en/modules/online/").get_data(as_text=True)


def test_modules_are_mirrored_in_the_database(app, db, runner, curriculum_dir):
    rows = db.exec(select(CurriculumModule).order_by(CurriculumModule.sort_order)).all()
    assert [(r.slug, r.version, r.title_en, r.active) for r in rows] == [
        ("recruiters", "1.0", "Test module 1", True),
        ("online", "1.0", "Test module 2", True),
    ]
    old_hash = rows[1].content_hash
    for name in ("fr.md", "en.md", "guide.fr.md", "guide.en.md", "notes.fr.md", "notes.en.md"):
        path = curriculum_dir / "online" / name
        path.write_text(path.read_text().replace('version: "1.0"', 'version: "1.1"'))
    (curriculum_dir / "recruiters" / "fr.md").unlink()  # now invalid: not served, retired
    result = runner.invoke(args=["curriculum", "sync"])
    assert result.exit_code == 0
    assert "0 added, 1 updated, 1 retired, 0 unchanged." in result.output
    db.expire_all()
    online = db.exec(select(CurriculumModule).where(CurriculumModule.slug == "online")).one()
    assert online.version == "1.1" and online.content_hash != old_hash
    recruiters = db.exec(
        select(CurriculumModule).where(CurriculumModule.slug == "recruiters")
    ).one()
    assert recruiters.active is False
