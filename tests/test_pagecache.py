"""The public page cache: shared only where every visitor would see the same bytes."""

import pytest

from app.pagecache import PublicPageCache
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
