"""A student on a phone (390×844, touch, no mouse): the home page's first screen
says « Pose ta question »; on every page they may reach — home, catalogue, a
module, a campaign, the question pages, a 404 and a 429 — the quick exit is
on screen, stays there while the page scrolls, is a large tap target and says
nothing of a keyboard; one tap leaves for the neutral site and Back does not
return to the question page. On a computer the Esc shortcut is offered and
works. Both languages; every page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import a11y
from tests.browser.a11y import goto, scan
from tests.browser.conftest import _CALL_FAILED, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.one_database("sqlite")]

PHONE = {"width": 390, "height": 844}
NEUTRAL_SITE = {"fr": "https://www.meteomedia.com/", "en": "https://www.theweathernetwork.com/"}
ASK = {"fr": "Pose ta question", "en": "Ask a question"}
QUICK_EXIT = {"fr": "Sortie rapide", "en": "Quick exit"}
HINT = {"fr": "ou appuie deux fois sur Échap", "en": "or press Esc twice"}
TEACHERS = {"fr": "Voir les ateliers du programme", "en": "See the program's modules"}
# What the neutral site answers in these tests: the machine has no Internet.
NEUTRAL_PAGE = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Météo</title>'
    "</head><body><main><h1>Météo</h1><p>Ensoleillé, 21 °C.</p></main></body></html>"
)

# Chromium logs the error pages these tests open on purpose as failed loads.
EXPECTED_ERROR = re.compile(
    r"^console error on http://127\.0\.0\.1:\d+/(fr|en)/(no-such-page/|help/check): "
    r"Failed to load resource: the server responded with a status of (404|429) "
)


@pytest.fixture
def app(make_app):
    # One passphrase try per browser and minute: the second is refused (429).
    return make_app(HELP_CHECK_RATE_LIMIT="1 per minute")


def _neutral_site(lang):
    def answer(route):
        route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE.format(lang=lang))

    return answer


def _open(browser, live_server, axe_source, request, **options):
    context = browser.new_context(base_url=live_server, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    checks = a11y.Checks(page, axe_source)
    for lang, url in NEUTRAL_SITE.items():
        page.route(url + "**", _neutral_site(lang))
    try:
        yield page
    finally:
        context.close()
        checks.forget(page)
    if request.node.stash.get(_CALL_FAILED, True):
        return
    if problems := [p for p in checks.problems() if not EXPECTED_ERROR.search(p)]:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def phone(browser, live_server, axe_source, request):
    """A phone: touch screen, no mouse, no keyboard."""
    yield from _open(
        browser,
        live_server,
        axe_source,
        request,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
        locale="fr-CA",
    )


@pytest.fixture
def small_phone(browser, live_server, axe_source, request):
    yield from _open(
        browser,
        live_server,
        axe_source,
        request,
        viewport={"width": 320, "height": 568},
        is_mobile=True,
        has_touch=True,
        locale="fr-CA",
    )


@pytest.fixture
def computer(browser, live_server, axe_source, request):
    """A computer: a mouse and a keyboard."""
    yield from _open(
        browser, live_server, axe_source, request, viewport={"width": 1280, "height": 800}
    )


def _in_viewport(page, locator):
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None, "not rendered"
    return (
        box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] + box["width"] <= viewport["width"]
    )


def _on_top(page, locator):
    """Nothing covers the middle of the element: a tap there reaches it."""
    box = locator.bounding_box()
    return page.evaluate(
        "([x, y]) => { const hit = document.elementFromPoint(x, y);"
        " return !!hit && !!hit.closest('#quick-exit'); }",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )


def _assert_quick_exit_on_a_phone(page, lang):
    """On screen at the top, full width, tall enough to tap, no Esc hint; still
    there, uncovered, once the page is scrolled to its end."""
    quick_exit = page.get_by_role("link", name=QUICK_EXIT[lang], exact=True)
    expect(quick_exit).to_be_visible()
    assert quick_exit.get_attribute("href") == NEUTRAL_SITE[lang]
    box = quick_exit.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE["width"] - 40, box
    assert _in_viewport(page, quick_exit) and _on_top(page, quick_exit)
    # It takes its own room: the site's header starts below it, nothing is under it.
    header = page.locator(".site-header").bounding_box()
    assert header["y"] >= box["y"] + box["height"]
    expect(page.locator("#quick-exit-hint")).to_be_hidden()
    expect(page.get_by_text(HINT[lang])).to_be_hidden()

    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(
        "window.scrollY > 0 || document.documentElement.scrollHeight <= innerHeight"
    )
    expect(quick_exit).to_be_visible()
    assert _in_viewport(page, quick_exit) and _on_top(page, quick_exit)
    assert abs(page.locator(".quick-exit-bar").bounding_box()["y"]) <= 1, "stuck to the top"
    page.evaluate("window.scrollTo(0, 0)")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_first_screen_of_a_phone_says_ask_a_question(phone, lang):
    goto(phone, f"/{lang}/")
    ask = phone.get_by_role("link", name=ASK[lang], exact=True)
    expect(ask).to_be_visible()
    assert _in_viewport(phone, ask), "the link to ask is on the first screen, without scrolling"
    assert phone.evaluate("window.scrollY") == 0
    teachers = phone.get_by_role("link", name=TEACHERS[lang], exact=True)
    assert ask.bounding_box()["y"] < teachers.bounding_box()["y"], "above the teachers' link"
    ask.click()
    scan(phone)
    expect(phone).to_have_url(re.compile(rf"^http://127\.0\.0\.1:\d+/{lang}/help/$"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_quick_exit_is_on_every_page_a_student_reaches(phone, lang):
    for path in (
        "/",
        "/modules/",
        "/modules/getting-help/",
        "/campaigns/your-body-is-not-a-commodity/",
        "/help/",
        "/help/check",
        "/no-such-page/",
    ):
        response = goto(phone, f"/{lang}{path}")
        assert response.status == (404 if "no-such" in path else 200), path
        _assert_quick_exit_on_a_phone(phone, lang)

    # Too many passphrase tries: the 429 page keeps it too.
    statuses = []
    for _ in range(2):
        goto(phone, f"/{lang}/help/check")
        phone.locator("#passphrase").fill("un deux trois quatre cinq six")
        with phone.expect_navigation() as navigation:
            phone.locator("main form button[type=submit]").click()
        statuses.append(navigation.value.status)
        scan(phone)
    assert statuses == [200, 429]
    expect(phone.locator("h1")).to_have_text(
        {"fr": "Trop de requêtes", "en": "Too many requests"}[lang]
    )
    _assert_quick_exit_on_a_phone(phone, lang)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_tap_leaves_and_back_does_not_return_to_the_question_page(phone, lang):
    goto(phone, f"/{lang}/")
    goto(phone, f"/{lang}/help/")
    phone.locator("#body").fill("Une question que personne ne doit voir.")
    phone.get_by_role("link", name=QUICK_EXIT[lang], exact=True).tap()
    phone.wait_for_url(NEUTRAL_SITE[lang])
    scan(phone)
    phone.go_back()
    scan(phone)
    assert "/help/" not in phone.url
    assert phone.url.endswith(f"/{lang}/")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_computer_is_told_of_the_esc_shortcut_and_it_works(computer, lang):
    goto(computer, f"/{lang}/modules/")
    goto(computer, f"/{lang}/help/check")
    hint = computer.locator("#quick-exit-hint")
    expect(hint).to_be_visible()
    expect(hint).to_have_text(HINT[lang])
    quick_exit = computer.get_by_role("link", name=QUICK_EXIT[lang], exact=True)
    box = quick_exit.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    # The keyboard reaches it right after the skip link, and shows where it is.
    computer.keyboard.press("Tab")
    computer.keyboard.press("Tab")
    expect(quick_exit).to_be_focused()
    assert computer.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    expect(quick_exit).to_have_accessible_description(
        {
            "fr": "Quitte ce site tout de suite pour un site de météo.",
            "en": "Leaves this site at once for a weather site.",
        }[lang]
    )
    computer.keyboard.press("Escape")
    computer.keyboard.press("Escape")
    computer.wait_for_url(NEUTRAL_SITE[lang])
    scan(computer)
    computer.go_back()
    scan(computer)
    assert computer.url.endswith(f"/{lang}/modules/")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_quick_exit_fits_a_320_pixel_phone(small_phone, lang):
    for path in ("/", "/help/"):
        goto(small_phone, f"/{lang}{path}")
        assert small_phone.evaluate("document.documentElement.scrollWidth") <= 320
        quick_exit = small_phone.get_by_role("link", name=QUICK_EXIT[lang], exact=True)
        assert _in_viewport(small_phone, quick_exit)
        assert quick_exit.bounding_box()["height"] >= 44
