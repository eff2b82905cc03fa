"""The public page cache: shared only where every visitor would see the same bytes."""

import re

import pytest
from flask import Flask, session
from flask_wtf.csrf import generate_csrf

from app.forms import CsrfSessions
from app.pagecache import PublicPageCache, share_form_page
from app.security import Role


@pytest.fixture
def app(curriculum_app):
    return curriculum_app


def _cache(app):
    """The page cache among the app's WSGI layers (the host check wraps it)."""
    layer = app.wsgi_app
    while not isinstance(layer, PublicPageCache):
        layer = getattr(layer, "wsgi_app", None)
        assert layer is not None, "no page cache"
    return layer


def test_anonymous_pages_are_kept_and_served_again(app):
    first = app.test_client().get("/fr/modules/recruiters/")
    assert len(_cache(app)._entries) == 1
    second = app.test_client().get("/fr/modules/recruiters/")
    assert second.data == first.data
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    head = app.test_client().head("/fr/modules/recruiters/")
    assert head.status_code == 200 and head.data == b""


def test_staff_pages_are_never_shared(app, create_user):
    staff = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(staff).login(create_user(Role.PREVENTION_WORKER).email)
    html = staff.get("/fr/modules/recruiters/").get_data(as_text=True)
    assert "/fr/modules/recruiters/notes/" in html
    anonymous = app.test_client().get("/fr/modules/recruiters/").get_data(as_text=True)
    assert "/fr/modules/recruiters/notes/" not in anonymous
    assert "staff-nav" not in anonymous
    again = staff.get("/fr/modules/recruiters/").get_data(as_text=True)
    assert "/fr/modules/recruiters/notes/" in again, (
        "a visitor's cached page is not served to staff"
    )


def test_pages_that_set_a_cookie_or_are_not_marked_are_not_kept(app):
    app.test_client().get("/fr/login")  # sets the CSRF session cookie
    app.test_client().get("/healthz")  # not a public page
    app.test_client().get("/fr/modules/nope/")  # 404
    assert len(_cache(app)._entries) == 0


def test_an_edited_module_is_not_served_stale(app, curriculum_dir):
    assert "Test module 2" in app.test_client().get("/en/modules/online/").get_data(as_text=True)
    path = curriculum_dir / "online" / "en.md"
    path.write_text(path.read_text().replace("Test module 2", "Fresh title"))
    assert "Fresh title" in app.test_client().get("/en/modules/online/").get_data(as_text=True)


def test_the_cache_is_bounded(make_app, curriculum_dir):
    app = make_app(CURRICULUM_PATH=str(curriculum_dir), PUBLIC_PAGE_CACHE_BYTES=60_000)
    for query in range(20):
        app.test_client().get(f"/en/modules/?q=x{query}")
    assert 0 < _cache(app)._size <= 60_000


def test_the_cache_can_be_turned_off(make_app):
    layer, layers = make_app(PUBLIC_PAGE_CACHE_BYTES=0).wsgi_app, []
    while layer is not None:
        layers.append(layer)
        layer = getattr(layer, "wsgi_app", None)
    assert not any(isinstance(layer, PublicPageCache) for layer in layers)


# The anonymous question's form: the same page, each visitor's own tokens ---------

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SUBMISSION = re.compile(r'name="submission" type="hidden" value="([^"]+)"')


def _visit(client):
    page = client.get("/fr/help/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    token, submission = TOKEN.search(html).group(1), SUBMISSION.search(html).group(1)
    cookie = page.headers["Set-Cookie"]
    return page, html, token, submission, cookie


def test_the_help_form_is_served_again_with_each_visitors_own_tokens(app):
    first = _visit(app.test_client())
    ran = []
    view = app.view_functions["help.ask"]
    app.view_functions["help.ask"] = lambda **kw: ran.append(kw) or view(**kw)
    visitors = [app.test_client() for _ in range(3)]
    visits = [_visit(client) for client in visitors]
    assert ran == [], "answered by the page cache, the view never ran"
    for found in (first, *visits):
        assert len(found[2]) == len(first[2]) and len(found[3]) == len(first[3])
    assert len({v[2] for v in (first, *visits)}) == 4, "a CSRF token of its own"
    assert len({v[3] for v in (first, *visits)}) == 4, "a submission id of its own"
    assert len({v[4] for v in (first, *visits)}) == 4, "a session of its own"
    page, html, token, submission, cookie = visits[0]
    assert html.replace(token, "T").replace(submission, "S") == first[1].replace(
        first[2], "T"
    ).replace(first[3], "S")
    assert cookie.split(";", 1)[1] == first[4].split(";", 1)[1]  # HttpOnly, SameSite...
    assert page.headers["Content-Length"] == str(len(page.data))
    for name in ("Cache-Control", "Content-Security-Policy", "Vary", "X-Frame-Options"):
        assert page.headers[name] == first[0].headers[name]

    # Each student sends the form with the page's tokens, in their own session.
    for client, (_page, _html, token, submission, _cookie) in zip(visitors, visits, strict=True):
        sent = client.post(
            "/fr/help/",
            data={
                "csrf_token": token,
                "submission": submission,
                "body": "Est-ce normal qu'un gars plus vieux me donne de l'argent?",
                "topic": "pressure",
                "school_id": "0",
            },
        )
        assert sent.status_code == 200
        assert 'id="passphrase"' in sent.get_data(as_text=True)
    assert len(ran) == 3


def test_a_token_from_one_visitor_does_not_pass_in_anothers_session(app):
    _visit(app.test_client())
    alice, bob = app.test_client(), app.test_client()
    _visit(alice)
    _page, _html, bobs_token, submission, _cookie = _visit(bob)
    sent = alice.post(
        "/fr/help/",
        data={"csrf_token": bobs_token, "submission": submission, "body": "Allo", "topic": ""},
    )
    assert 'id="passphrase"' not in sent.get_data(as_text=True)


def test_the_form_page_is_kept_a_minute_only(app, monkeypatch):
    from app import pagecache

    monkeypatch.setattr(pagecache, "FORM_PAGE_SECONDS", -1)
    _visit(app.test_client())
    ran = []
    view = app.view_functions["help.ask"]
    app.view_functions["help.ask"] = lambda **kw: ran.append(kw) or view(**kw)
    _visit(app.test_client())
    assert len(ran) == 1, "expired: the app made the page again"


def _form_app(*, more_in_session):
    """A public form whose view may put more than its CSRF token in the session."""
    flask_app = Flask(__name__)
    flask_app.secret_key = "test-only-secret"

    @flask_app.route("/form")
    def form():
        token = generate_csrf()
        if more_in_session:
            session["seen"] = True
        share_form_page(csrf_token=token)
        return f'<input name="csrf_token" value="{token}">'

    flask_app.wsgi_app = PublicPageCache(
        flask_app.wsgi_app,
        version=lambda: 0,
        max_bytes=1 << 20,
        csrf_sessions=CsrfSessions(flask_app),
    )
    return flask_app


@pytest.mark.parametrize(("more_in_session", "kept"), [(False, 1), (True, 0)])
def test_a_form_page_is_kept_only_when_its_session_holds_its_token_alone(more_in_session, kept):
    flask_app = _form_app(more_in_session=more_in_session)
    flask_app.test_client().get("/form")
    assert len(flask_app.wsgi_app._entries) == kept


def test_a_page_from_the_cache_names_its_route_for_the_access_log(app):
    app.test_client().get("/fr/modules/recruiters/")
    cache, ran, served = _cache(app), [], []
    inner, outer = _cache(app).wsgi_app, app.wsgi_app
    cache.wsgi_app = lambda env, start: ran.append(env) or inner(env, start)
    app.wsgi_app = lambda env, start: served.append(env) or outer(env, start)
    assert app.test_client().get("/fr/modules/recruiters/").status_code == 200
    assert ran == [], "from the cache"
    (environ,) = served
    assert environ["mobilis.route"] == "/<lang:lang>/modules/<slug>/"
    assert environ["mobilis.endpoint"] == "curriculum.module"
