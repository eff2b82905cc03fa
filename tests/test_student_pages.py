"""What a student meets on the site: the way in from the home page, the quick
exit on every page they may reach (error pages included), the numbers (the
urgent panel, the DPJ where reporting is spoken of), and « tu » in French."""

import re
from pathlib import Path

import pytest
from flask import Blueprint

from app.core.helplines import load_helplines, report_lines
from app.help.replies import reply_templates
from app.security import Role, public
from tests.campaigns_factory import write_campaign
from tests.conftest import AuthActions, extract_csrf_token

ROOT = Path(__file__).resolve().parent.parent
LANGS = ["fr", "en"]
NEUTRAL_SITE = {"fr": "https://www.meteomedia.com/", "en": "https://www.theweathernetwork.com/"}
TRAFFICKING = "1 833 900-1010"
INFO_AIDE = "1 888 933-9007"
DPJ = ("1 800 361-5310", "450 679-0140")
DPJ_HEADING = {
    "fr": "Pour signaler une situation à la DPJ",
    "en": "To report a situation to youth protection (DPJ)",
}
INFO_AIDE_NAME = {
    "fr": "Info-aide violence sexuelle",
    "en": "Sexual Violence Helpline (Info-aide violence sexuelle)",
}
# « vous » and its forms, as whole words (« vous » in a student's page is a slip).
VOUS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)


def _main(html):
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _quick_exit(html, lang):
    """The quick exit's markup, checked: a plain link to the neutral site that
    leaves no referrer, its script, and the Esc hint hidden until the script runs."""
    match = re.search(r'<a class="quick-exit" id="quick-exit" href="([^"]+)"([^>]*)>', html)
    assert match, "no quick exit on this page"
    assert match.group(1) == NEUTRAL_SITE[lang]
    assert 'rel="noreferrer"' in match.group(2)
    assert "/static/js/quick-exit.js" in html
    assert re.search(r'<span class="quick-exit-hint" id="quick-exit-hint" hidden>', html)
    # Before the header: the first thing after the skip link, on every page.
    assert html.index('id="quick-exit"') < html.index('class="site-header"')
    return match


def _has_no_quick_exit(html):
    return 'id="quick-exit"' not in html and "quick-exit.js" not in html


def _token(client, path):
    return extract_csrf_token(client.get(path).get_data(as_text=True))


WRONG_PASSPHRASE = "un deux trois quatre cinq six"


def _check(client, lang):
    """One passphrase try (a wrong one)."""
    path = f"/{lang}/help/check"
    return client.post(
        path, data={"csrf_token": _token(client, path), "passphrase": WRONG_PASSPHRASE}
    )


# The home page ---------------------------------------------------------------


@pytest.mark.parametrize(("lang", "label"), [("fr", "Pose ta question"), ("en", "Ask a question")])
def test_the_home_page_asks_students_first(client, lang, label):
    html = client.get(f"/{lang}/").get_data(as_text=True)
    link = f'<a class="button button-ask" href="/{lang}/help/">{label}</a>'
    assert link in html
    # Above the teachers' way in (the modules) and the key message's lead.
    assert html.index(link) < html.index(f'href="/{lang}/modules/"', html.index("<main"))
    assert html.index(link) < html.index('class="lead"')
    _quick_exit(html, lang)


# The quick exit on every page a student may reach -----------------------------


@pytest.fixture
def student_site(make_app, curriculum_dir):
    """The site on a small curriculum: two modules and a campaign."""
    write_campaign(curriculum_dir, "march", n=1)
    return make_app(CURRICULUM_PATH=str(curriculum_dir))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/modules/",
        "/modules/recruiters/",
        "/modules/recruiters/guide/",
        "/campaigns/",
        "/campaigns/march/",
        "/help/",
        "/help/check",
        "/q/",  # the class questionnaire (app/evaluation)
        "/login",
    ],
)
def test_every_public_page_has_the_quick_exit(student_site, lang, path):
    response = student_site.test_client().get(f"/{lang}{path}")
    assert response.status_code == 200
    _quick_exit(response.get_data(as_text=True), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_pages_after_asking_have_the_quick_exit(student, lang):
    response, secret = student.ask("Comment savoir si une relation est saine?", lang=lang)
    sent = response.get_data(as_text=True)
    opened = student.check(secret, lang=lang).get_data(as_text=True)
    assert 'class="conversation"' in opened
    for html in (sent, opened):
        _quick_exit(html, lang)
        if lang == "fr":
            assert not VOUS.search(_main(html))


@pytest.mark.parametrize("lang", LANGS)
def test_the_404_page_has_the_quick_exit(client, lang):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    _quick_exit(response.get_data(as_text=True), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_400_page_has_the_quick_exit_and_says_tu(client, lang):
    response = client.post(f"/{lang}/help/", data={"body": "Sans jeton"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    _quick_exit(html, lang)
    if lang == "fr":
        assert "reviens en arrière, recharge la page et réessaie" in html
        assert not VOUS.search(_main(html))


@pytest.mark.parametrize("lang", LANGS)
def test_the_500_page_has_the_quick_exit_and_says_tu(make_app, lang):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    broken = Blueprint("broken", __name__)

    @broken.route("/<lang:lang>/broken")
    @public
    def fail():
        raise RuntimeError("boom")

    app.register_blueprint(broken)
    response = app.test_client().get(f"/{lang}/broken")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    _quick_exit(html, lang)
    expected = {"fr": "Réessaie dans un moment.", "en": "Please try again in a moment."}
    assert expected[lang] in html
    if lang == "fr":
        assert not VOUS.search(_main(html))


@pytest.mark.parametrize("lang", LANGS)
def test_the_429_page_has_the_quick_exit_and_says_tu(make_app, lang):
    client = make_app(HELP_CHECK_RATE_LIMIT="1 per minute").test_client()
    assert _check(client, lang).status_code == 200
    response = _check(client, lang)
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    _quick_exit(html, lang)
    expected = {
        "fr": "Trop d’essais en peu de temps. Attends une minute, puis réessaie.",
        "en": "You tried too many times in a short while. Wait a minute, then try again.",
    }
    assert expected[lang] in html
    if lang == "fr":
        assert not VOUS.search(_main(html))


def test_signed_in_staff_keep_vous_and_no_quick_exit_on_their_own_pages(make_app, create_user):
    app = make_app(HELP_CHECK_RATE_LIMIT="1 per minute")
    client = app.test_client()
    AuthActions(client).login(create_user(Role.PREVENTION_WORKER).email)
    schools = client.get("/fr/schools/")
    assert schools.status_code == 200 and _has_no_quick_exit(schools.get_data(as_text=True))
    # The student's own pages keep it, whoever looks at them.
    _quick_exit(client.get("/fr/help/").get_data(as_text=True), "fr")
    _check(client, "fr")
    refused = _check(client, "fr")
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Attendez une minute, puis réessayez." in html
    assert _has_no_quick_exit(html)


# The numbers ---------------------------------------------------------------


def test_numbers_live_only_in_helplines_yaml():
    written = [
        path
        for pattern in ("app/**/*.html", "app/**/*.py", "app/data/reply_templates.yaml")
        for path in ROOT.glob(pattern)
        if any(n in path.read_text(encoding="utf-8") for n in (TRAFFICKING, INFO_AIDE, *DPJ))
    ]
    assert written == []
    yaml = (ROOT / "app/data/helplines.yaml").read_text(encoding="utf-8")
    assert all(n in yaml for n in (TRAFFICKING, INFO_AIDE, *DPJ))


@pytest.mark.parametrize("lang", LANGS)
def test_the_urgent_panel_gives_trafficking_and_sexual_violence_lines(student, lang):
    urgent = {line["key"] for line in load_helplines(lang, tag="urgent")}
    assert {"human-trafficking-hotline", "info-aide-violence-sexuelle"} <= urgent
    response, secret = student.ask("Je veux mourir, aidez-moi. I want to die.", lang=lang)
    assert secret is not None
    panel = response.get_data(as_text=True).split('class="urgent-box"', 1)[1]
    panel = panel.split("</section>", 1)[0]
    assert TRAFFICKING in panel and 'href="tel:+18339001010"' in panel
    assert INFO_AIDE in panel and 'href="tel:+18889339007"' in panel
    assert INFO_AIDE_NAME[lang] in panel
    assert "24" in panel


@pytest.mark.parametrize("lang", LANGS)
def test_the_help_pages_give_the_dpj(student, lang):
    ask = student.client.get(f"/{lang}/help/").get_data(as_text=True)
    _, secret = student.ask("Mon amie ne va pas à l’école depuis une semaine.", lang=lang)
    conversation = student.check(secret, lang=lang).get_data(as_text=True)
    for html in (ask, conversation):
        main = _main(html)
        assert DPJ_HEADING[lang] in main
        assert all(number in main for number in DPJ)
        assert 'href="tel:+18003615310"' in main and 'href="tel:+14506790140"' in main


@pytest.mark.parametrize("lang", LANGS)
def test_module_pages_that_speak_of_the_dpj_give_its_numbers(make_app, curriculum_dir, lang):
    telling = {"fr": "Tu peux faire un signalement à la DPJ.", "en": "You can report to the DPJ."}
    for name in (f"{lang}.md", f"guide.{lang}.md"):
        path = curriculum_dir / "recruiters" / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n{telling[lang]}\n", "utf-8")
    client = make_app(CURRICULUM_PATH=str(curriculum_dir)).test_client()
    for path in ("/modules/recruiters/", "/modules/recruiters/guide/"):
        main = _main(client.get(f"/{lang}{path}").get_data(as_text=True))
        assert DPJ_HEADING[lang] in main and all(number in main for number in DPJ)
    # A module that does not speak of it, and the general lists, leave it out.
    for path in ("/modules/online/", "/modules/online/guide/", "/"):
        main = _main(client.get(f"/{lang}{path}").get_data(as_text=True))
        assert DPJ_HEADING[lang] not in main and not any(number in main for number in DPJ)
    assert "dpj-monteregie" not in {line["key"] for line in load_helplines(lang)}
    assert [line["key"] for line in report_lines(lang)] == ["dpj-monteregie"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_real_module_on_getting_help_gives_the_dpj(client, lang):
    main = _main(client.get(f"/{lang}/modules/getting-help/").get_data(as_text=True))
    assert DPJ_HEADING[lang] in main and all(number in main for number in DPJ)
    assert TRAFFICKING in main and INFO_AIDE in main  # the general list


# « tu » ---------------------------------------------------------------------


def test_every_french_reply_template_says_tu():
    templates = reply_templates("fr")
    assert templates
    for key, title, text in templates:
        assert not VOUS.search(title + " " + text), key
    assert any(re.search(r"\b(tu|te|t’|ton|ta|tes)\b", text) for _, _, text in templates)


@pytest.mark.parametrize("path", ["/fr/", "/fr/help/", "/fr/help/check"])
def test_the_french_student_pages_say_tu(client, path):
    html = client.get(path).get_data(as_text=True)
    # The home page's entry for school staff speaks to adults: « vous » there.
    main = re.sub(r'<section class="home-staff".*?</section>', "", _main(html), flags=re.S)
    assert not VOUS.search(main), path
