"""Awareness campaigns: the check (every rule with its file and line), the pages, the loader."""

import datetime
import hashlib
import re

import pytest

from app.campaigns import views as campaign_views
from app.campaigns.loader import load_campaigns
from app.curriculum.modules import load_catalogue
from tests.campaigns_factory import write_campaign

# The materials' routes live in campaign_materials.py; until they are there,
# these stand-ins let the pages build their links.
MATERIAL_RULES = {
    "campaigns.poster": "/<lang:lang>/campaigns/<slug>/poster-<size>.pdf",
    "campaigns.card": "/<lang:lang>/campaigns/<slug>/card-<shape>.png",
    "campaigns.slide": "/<lang:lang>/campaigns/<slug>/slide.pdf",
}


def _with_material_routes(application):
    for endpoint, rule in MATERIAL_RULES.items():
        if endpoint not in application.view_functions:
            application.add_url_rule(rule, endpoint=endpoint, view_func=lambda **_: "")
    return application


@pytest.fixture
def campaign_dir(curriculum_dir):
    """The two test modules, and two campaigns: one in March, one over the school year."""
    write_campaign(curriculum_dir, "school-year", n=1, start="09-01", end="06-20", posts=4)
    write_campaign(curriculum_dir, "march", n=2, module="recruiters")
    return curriculum_dir


@pytest.fixture
def app(make_app, campaign_dir, tmp_path):
    return _with_material_routes(
        make_app(
            CURRICULUM_PATH=str(campaign_dir),
            CURRICULUM_RELOAD_SECONDS=0,
            PDF_CACHE_DIR=str(tmp_path / "pdf-cache"),
        )
    )


def _messages(root):
    return [p.format(root) for p in load_campaigns(root).problems]


def _line(path, text, occurrence=1):
    """The number of the line of `path` holding `text` (its `occurrence`-th time)."""
    found = [i for i, line in enumerate(path.read_text().split("\n"), 1) if text in line]
    return found[occurrence - 1]


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# The loader


def test_valid_campaigns_load_in_the_order_of_their_start(campaign_dir):
    catalogue = load_campaigns(campaign_dir)
    assert catalogue.problems == []
    assert [c.slug for c in catalogue.campaigns] == ["march", "school-year"]
    march = catalogue.get("march")
    assert catalogue.get("nowhere") is None
    assert (march.version, march.updated) == ("1.0", datetime.date(2026, 11, 1))
    assert march.audience == ("students", "staff")
    assert (march.starts, march.ends) == ((3, 1), (3, 7))
    folder = campaign_dir / "campaigns" / "march"
    expected = hashlib.sha256(
        b"fr.md" + (folder / "fr.md").read_bytes() + b"en.md" + (folder / "en.md").read_bytes()
    ).hexdigest()
    assert march.content_hash == expected


def test_a_campaign_speaks_both_languages(campaign_dir):
    march = load_campaigns(campaign_dir).get("march")
    assert march.title("fr") == "Campagne d’essai 2" and march.title("en") == "Test campaign 2"
    assert march.key_message("en") == "Key message 2."
    assert march.poster("fr") == {
        "headline": "Le titre de l’affiche 2",
        "text": "Le texte de l’affiche 2.",
    }
    assert march.card("en") == {
        "text": "Card text 2.",
        "alt": "Card 2. In large letters: “Card text 2.”",
    }
    assert march.slide("en") == {"headline": "Slide headline 2", "text": "Slide text 2."}
    assert march.posts("fr")[0] == {
        "when": "Le jour 1 de la campagne 2",
        "text": "La publication 1 de la campagne 2.",
    }
    assert len(march.posts("en")) == 3


def test_periods_by_year_and_across_new_year(campaign_dir):
    catalogue = load_campaigns(campaign_dir)
    march, year = catalogue.get("march"), catalogue.get("school-year")
    d = datetime.date
    assert march.period_in(2027) == (d(2027, 3, 1), d(2027, 3, 7))
    assert year.period_in(2026) == (d(2026, 9, 1), d(2027, 6, 20)), "ends the next year"
    assert march.next_period(d(2027, 3, 3)) == (d(2027, 3, 1), d(2027, 3, 7))
    assert march.next_period(d(2027, 3, 8)) == (d(2028, 3, 1), d(2028, 3, 7))
    assert year.next_period(d(2027, 2, 1)) == (d(2026, 9, 1), d(2027, 6, 20)), "under way"
    assert year.next_period(d(2027, 7, 1)) == (d(2027, 9, 1), d(2028, 6, 20))


def test_the_module_loader_ignores_the_campaigns_folder(campaign_dir):
    catalogue = load_catalogue(campaign_dir)
    assert catalogue.problems == []
    assert [m.slug for m in catalogue.modules] == ["recruiters", "online"]


def test_no_campaigns_folder_is_no_problem(curriculum_dir):
    catalogue = load_campaigns(curriculum_dir)
    assert (catalogue.campaigns, catalogue.problems) == ([], [])


# The check: each rule with its file and line


def test_schema_errors_are_reported_at_their_line(campaign_dir):
    fr = campaign_dir / "campaigns" / "march" / "fr.md"
    _edit(fr, 'key_message: "Le message clé 2."\n', "")
    _edit(fr, "audience: [students, staff]", "audience: [students, teachers]")
    _edit(fr, 'version: "1.0"', "version: 1.0")
    _edit(fr, 'start: "03-01"', 'start: "02-29"')
    _edit(fr, 'headline: "Le titre de l’affiche 2"', f'headline: "{"mot " * 13}"')
    _edit(fr, "    alt: ", "    colour: purple\n    alt: ")
    _edit(fr, "updated: 2026-11-01", "updated: 2026-11-01\nhashtags: [mobilis]")
    prefix = "curriculum/campaigns/march/fr.md"
    messages = _messages(campaign_dir)
    expected = [
        f"{prefix}:1: missing key 'key_message' in the front matter",
        f"{prefix}:{_line(fr, 'audience:')}: 'audience': a list of audiences among "
        "students, staff, parents, community",
        f"{prefix}:{_line(fr, 'version:')}: 'version': a text like \"1.0\" "
        "(MAJOR.MINOR, in quotes)",
        f"{prefix}:{_line(fr, 'period:')}: 'period.start': a day written \"MM-DD\", in quotes, "
        "that exists every year",
        f"{prefix}:{_line(fr, 'mot mot')}: 'materials.poster.headline': a text of at most 12 words",
        f"{prefix}:{_line(fr, 'colour:')}: unknown key 'materials.card.colour'",
        f"{prefix}:{_line(fr, 'hashtags:')}: unknown key 'hashtags'",
    ]
    for message in expected:
        assert message in messages
    assert len(messages) == len(expected)
    assert [c.slug for c in load_campaigns(campaign_dir).campaigns] == ["school-year"], (
        "a campaign with problems is left out"
    )


def test_materials_and_posts_limits(campaign_dir):
    en = campaign_dir / "campaigns" / "march" / "en.md"
    _edit(en, 'alt: "Card 2. In large letters: “Card text 2.”"', f'alt: "{"x" * 301}"')
    _edit(en, 'text: "Card text 2."', f'text: "{"word " * 21}"')
    _edit(en, 'text: "Slide text 2."', f'text: "{"word " * 61}"')
    _edit(en, 'text: "Post 2 of campaign 2."', f'text: "{"y" * 281}"')
    _edit(en, '    text: "Poster text 2."\n', "")
    prefix = "curriculum/campaigns/march/en.md"
    messages = _messages(campaign_dir)
    expected = [
        f"{prefix}:{_line(en, 'alt:')}: 'materials.card.alt': a text of at most 300 characters",
        f"{prefix}:{_line(en, 'word word', 1)}: 'materials.card.text': a text of at most 20 words",
        f"{prefix}:{_line(en, 'word word', 2)}: 'materials.slide.text': a text of at most 60 words",
        f"{prefix}:{_line(en, 'yyyy')}: 'posts[1].text': a text of at most 280 characters",
        f"{prefix}:{_line(en, 'poster:')}: missing key 'materials.poster.text' in "
        "'materials.poster'",
    ]
    for message in expected:
        assert message in messages
    assert len(messages) == len(expected)


def test_three_to_five_posts_the_same_number_in_both_languages(tmp_path):
    root = tmp_path / "curriculum"
    write_campaign(root, "few", posts=2)
    fr = root / "campaigns" / "few" / "fr.md"
    posts_line = _line(fr, "posts:")
    few = "'posts': a list of 3 to 5 posts, each with 'when' and 'text'"
    assert f"curriculum/campaigns/few/fr.md:{posts_line}: {few}" in _messages(root)
    write_campaign(root, "few", posts=4)
    en = root / "campaigns" / "few" / "en.md"
    _edit(en, '  - when: "Day 4 of campaign 1"\n    text: "Post 4 of campaign 1."\n', "")
    assert _messages(root) == [
        f"curriculum/campaigns/few/en.md:{posts_line}: 3 posts, but fr.md has 4: "
        "both languages suggest the same posts"
    ]


def test_shared_keys_must_agree_between_languages(campaign_dir):
    en = campaign_dir / "campaigns" / "march" / "en.md"
    _edit(en, 'end: "03-07"', 'end: "03-08"')
    _edit(en, "updated: 2026-11-01", "updated: 2026-11-02")
    messages = _messages(campaign_dir)
    prefix = "curriculum/campaigns/march/en.md"
    assert f"{prefix}:{_line(en, 'period:')}: 'period' differs from fr.md " in messages[0]
    assert f"{prefix}:{_line(en, 'updated:')}: 'updated' differs from fr.md " in messages[1]
    assert len(messages) == 2


def test_phone_numbers_are_refused_anywhere_in_the_file(campaign_dir):
    fr = campaign_dir / "campaigns" / "march" / "fr.md"
    _edit(fr, 'text: "La publication 1 de la campagne 2."', 'text: "Appelle au 1 800 263-2266."')
    _edit(fr, "Le texte de la campagne 2.", "Le texte. Texte au 514 555-1234.")
    messages = _messages(campaign_dir)
    refused = "a phone number in a campaign: help numbers live in app/data/helplines.yaml"
    for text in ("1 800 263-2266", "514 555-1234"):
        line = _line(fr, text)
        assert any(
            m.startswith(f"curriculum/campaigns/march/fr.md:{line}: {refused}") for m in messages
        )
    assert len(messages) == 2


def test_the_body_needs_its_sources_and_sound_links(campaign_dir):
    fr = campaign_dir / "campaigns" / "march" / "fr.md"
    _edit(fr, "- Code criminel du Canada, art. 286.1.", "")
    _edit(fr, "module:recruiters", "module:nowhere")
    _edit(fr, "Le texte de la campagne 2.", "![affiche](images/a.png) [là](../other/fr.md)")
    en = campaign_dir / "campaigns" / "school-year" / "en.md"
    _edit(en, "## Sources", "## Where it comes from")
    messages = _messages(campaign_dir)
    prefix = "curriculum/campaigns/march/fr.md"
    body = _line(fr, "![affiche]")
    assert set(messages) == {
        f"{prefix}:{_line(fr, '## Sources')}: the 'Sources' section is empty",
        f"{prefix}:{body}: link to unknown module 'nowhere'",
        f"{prefix}:{body}: no images in a campaign",
        f"{prefix}:{body}: link '../other/fr.md': link to a module as module:<slug>, "
        "else use https://",
        f"curriculum/campaigns/school-year/en.md:{_line(en, '## Why') - 1}: no '## Sources' "
        "section: the body lists where each fact comes from",
    }


def test_missing_language_and_bad_folder_name(campaign_dir):
    (campaign_dir / "campaigns" / "march" / "en.md").unlink()
    (campaign_dir / "campaigns" / "school-year").rename(campaign_dir / "campaigns" / "School_Year")
    messages = _messages(campaign_dir)
    assert messages == [
        "curriculum/campaigns/School_Year:1: folder name must be a slug (a-z, 0-9, hyphens)",
        "curriculum/campaigns/march/en.md:1: missing file: every campaign needs en.md",
    ]
    assert load_campaigns(campaign_dir).campaigns == []


def test_a_campaign_cannot_take_the_name_of_a_page(campaign_dir):
    (campaign_dir / "campaigns" / "march").rename(campaign_dir / "campaigns" / "records")
    assert _messages(campaign_dir) == [
        "curriculum/campaigns/records:1: 'records' is the name of a page under /campaigns/"
    ]


def test_check_command_reports_campaigns(make_app, campaign_dir):
    runner = make_app(CURRICULUM_PATH=str(campaign_dir)).test_cli_runner()
    result = runner.invoke(args=["curriculum", "check"])
    assert result.exit_code == 0
    assert "2 modules, no problem." in result.output
    assert "2 campaigns, no problem." in result.output
    _edit(campaign_dir / "campaigns" / "march" / "en.md", 'version: "1.0"', "version: 1")
    runner = make_app(CURRICULUM_PATH=str(campaign_dir)).test_cli_runner()
    result = runner.invoke(args=["curriculum", "check"])
    assert result.exit_code != 0
    assert "curriculum/campaigns/march/en.md:6: 'version': a text like" in result.output


def test_the_programs_own_campaigns_pass_the_check(project_root, make_app):
    catalogue = load_campaigns(project_root / "curriculum")
    assert [p.format() for p in catalogue.problems] == []
    slugs = {c.slug for c in catalogue.campaigns}
    assert {"your-body-is-not-a-commodity", "march-week"} <= slugs
    result = make_app().test_cli_runner().invoke(args=["curriculum", "check"])
    assert result.exit_code == 0, result.output
    assert f"{len(catalogue.campaigns)} campaigns, no problem." in result.output


def test_the_programs_campaigns_type_no_help_number_and_cite_sources(project_root):
    for campaign in load_campaigns(project_root / "curriculum").campaigns:
        for lang in ("fr", "en"):
            text = (campaign.folder / f"{lang}.md").read_text()
            assert "## Sources" in text
            assert not re.search(r"\b(?:1[\s-]?8\d\d|866|888)\b", text), "no toll-free numbers"
            assert "·" not in text, "no point médian"
            assert 3 <= len(campaign.posts(lang)) <= 5


# The pages


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_campaign_list(client, lang):
    response = client.get(f"/{lang}/campaigns/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    march, year = (f'href="/{lang}/campaigns/{slug}/"' for slug in ("march", "school-year"))
    assert march in html and year in html
    assert html.index(march) < html.index(year), "by the day they start"
    key = {"fr": "Le message clé 2.", "en": "Key message 2."}[lang]
    assert key in html
    assert {"fr": "1er\u00a0mars", "en": "March 1"}[lang] in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_campaign_page(client, monkeypatch, lang):
    monkeypatch.setattr(campaign_views, "local_today", lambda: datetime.date(2027, 3, 3))
    response = client.get(f"/{lang}/campaigns/march/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    key = {"fr": "Le message clé 2.", "en": "Key message 2."}[lang]
    assert f'<p class="lead">{key}</p>' in html
    assert {"fr": "1er\u00a0mars\u00a02027", "en": "March 1, 2027"}[lang] in html, (
        "this year's dates"
    )
    when = {"fr": "Le jour 3 de la campagne 2", "en": "Day 3 of campaign 2"}[lang]
    post = {"fr": "La publication 3 de la campagne 2.", "en": "Post 3 of campaign 2."}[lang]
    assert html.index(when) < html.index(post)
    base = f"/{lang}/campaigns/march"
    for href in ("poster-letter.pdf", "poster-tabloid.pdf", "slide.pdf"):
        assert f'href="{base}/{href}"' in html
    alt = {
        "fr": "Carte 2. En grandes lettres\u00a0: «\u00a0Le texte de la carte 2.\u00a0»",
        "en": "Card 2. In large letters: “Card text 2.”",
    }[lang]
    for shape in ("square", "story"):
        link = html.index(f'href="{base}/card-{shape}.png"')
        item = html[link : html.index("</li>", link)]
        assert alt in item, "the alt text beside each card"
    body = {"fr": "Le texte de la campagne 2.", "en": "The text of campaign 2."}[lang]
    assert body in html
    assert f'href="/{lang}/modules/recruiters/"' in html, "module: links become URLs"
    assert 'id="sources"' in html
    assert 'class="help-box"' in html
    other = "en" if lang == "fr" else "fr"
    assert f'href="/{other}/campaigns/march/"' in html


def test_campaign_page_dates_of_a_campaign_under_way_across_new_year(client, monkeypatch):
    monkeypatch.setattr(campaign_views, "local_today", lambda: datetime.date(2027, 2, 1))
    html = client.get("/en/campaigns/school-year/").get_data(as_text=True)
    assert "From September 1, 2026 to June 20, 2027 (under way)" in html
    monkeypatch.setattr(campaign_views, "local_today", lambda: datetime.date(2027, 7, 1))
    html = client.get("/en/campaigns/school-year/").get_data(as_text=True)
    assert "From September 1, 2027 to June 20, 2028</dd>" in html


def test_unknown_or_invalid_campaign_is_404(client, campaign_dir):
    assert client.get("/fr/campaigns/nowhere/").status_code == 404
    _edit(campaign_dir / "campaigns" / "march" / "fr.md", 'version: "1.0"', "version: 1")
    assert client.get("/fr/campaigns/march/").status_code == 404
    assert 'href="/fr/campaigns/march/"' not in client.get("/fr/campaigns/").get_data(as_text=True)


def test_an_edited_campaign_is_served_at_once(client, campaign_dir):
    _edit(campaign_dir / "campaigns" / "march" / "en.md", "Key message 2.", "A new message.")
    assert "A new message." in client.get("/en/campaigns/march/").get_data(as_text=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_home_and_header_link_to_the_campaigns(client, lang):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert html.count(f'href="/{lang}/campaigns/"') == 2, "in the header and on the home page"
    html = client.get(f"/{lang}/campaigns/").get_data(as_text=True)
    assert re.search(rf'href="/{lang}/campaigns/"\s+aria-current="page"', html)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_programs_campaign_pages(make_app, lang):
    application = _with_material_routes(make_app())
    client = application.test_client()
    catalogue = load_campaigns(application.config["CURRICULUM_PATH"])
    html = client.get(f"/{lang}/campaigns/").get_data(as_text=True)
    for campaign in catalogue.campaigns:
        assert f'href="/{lang}/campaigns/{campaign.slug}/"' in html
        page = client.get(f"/{lang}/campaigns/{campaign.slug}/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert f'<p class="lead">{campaign.key_message(lang)}</p>' in text
        assert f'href="/{lang}/campaigns/{campaign.slug}/card-square.png"' in text


def test_a_mapping_written_as_a_text(tmp_path):
    root = tmp_path / "curriculum"
    write_campaign(root, "flat")
    fr = root / "campaigns" / "flat" / "fr.md"
    text = fr.read_text()
    start, end = text.index("materials:"), text.index("posts:")
    fr.write_text(text[:start] + 'materials: "une affiche"\n' + text[end:])
    assert _messages(root) == [
        f"curriculum/campaigns/flat/fr.md:{_line(fr, 'materials:')}: 'materials': a mapping "
        "with the keys poster, card, slide"
    ]
