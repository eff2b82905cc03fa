"""Serving in-process: the trusted proxy, fingerprinted static files, JSON log lines.

The same pieces behind real gunicorn and nginx: tests/test_deploy.py.
"""

import hashlib
import io
import json
import logging
import re
from pathlib import Path

import pytest
from flask import url_for
from gunicorn.glogging import SafeAtoms

from app import PROJECT_ROOT, jsonlog
from app.security import public

HTTPS = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "mobilis.example.org"}
# The public name behind the proxy, served as configured (app/hosts.py).
BEHIND_NGINX = {"PROXY_HOPS": 1, "TRUSTED_HOSTS": ["mobilis.example.org", "localhost"]}


def _sign_in_attempt(client, address):
    html = client.get("/fr/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return client.post(
        "/fr/login",
        data={"email": "nobody@example.org", "password": "x", "csrf_token": token},
        headers={"X-Forwarded-For": address},
    ).status_code


def test_without_a_proxy_forwarded_headers_are_ignored(make_app):
    client = make_app().test_client()
    response = client.get("/fr/login", headers=HTTPS)
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def test_behind_one_proxy_the_visitor_scheme_and_host_count(make_app):
    client = make_app(**BEHIND_NGINX).test_client()
    response = client.get("/fr/login", headers=HTTPS)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "; Secure" in response.headers["Set-Cookie"]
    plain = make_app(**BEHIND_NGINX).test_client().get("/fr/login")
    assert "Strict-Transport-Security" not in plain.headers
    assert "Secure" not in plain.headers["Set-Cookie"]


def test_behind_an_https_proxy_forms_work_without_a_referrer(make_app):
    """Every page says Referrer-Policy: no-referrer, so browsers send none."""
    client = make_app(**BEHIND_NGINX).test_client()
    html = client.get("/en/login", headers=HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post(
        "/en/login",
        data={"email": "nobody@example.org", "password": "x", "csrf_token": token},
        headers=HTTPS,
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.get_data(as_text=True)


def test_behind_one_proxy_the_rate_limit_counts_each_client(make_app):
    app = make_app(**BEHIND_NGINX, LOGIN_RATE_LIMIT="2 per minute")
    client = app.test_client()
    assert [_sign_in_attempt(client, "203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert _sign_in_attempt(client, "198.51.100.4") == 200


def test_without_a_proxy_a_forwarded_address_does_not_escape_the_limit(make_app):
    client = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    assert [_sign_in_attempt(client, "203.0.113.7") for _ in range(2)] == [200, 200]
    assert _sign_in_attempt(client, "198.51.100.4") == 429


def test_the_page_cache_sees_the_visitor_scheme(make_app):
    """ProxyFix is outside the page cache: an HTTPS page is not served over HTTP."""
    app = make_app(**BEHIND_NGINX)
    secure = app.test_client().get("/fr/", headers=HTTPS)
    assert "Strict-Transport-Security" in secure.headers
    plain = app.test_client().get("/fr/", headers={"X-Forwarded-Host": "mobilis.example.org"})
    assert plain.status_code == 200
    assert "Strict-Transport-Security" not in plain.headers
    again = app.test_client().get("/fr/", headers=HTTPS)
    assert "Strict-Transport-Security" in again.headers


def _fingerprint(relative):
    return hashlib.sha256((PROJECT_ROOT / "static" / relative).read_bytes()).hexdigest()[:12]


def test_static_urls_carry_the_file_fingerprint(app):
    with app.test_request_context("/fr/"):
        url = url_for("static", filename="css/site.css")
    assert url == f"/static/css/site.css?v={_fingerprint('css/site.css')}"
    html = app.test_client().get("/en/").get_data(as_text=True)
    assert f"/static/css/site.css?v={_fingerprint('css/site.css')}" in html
    assert f"/static/img/favicon.svg?v={_fingerprint('img/favicon.svg')}" in html


def test_a_fingerprinted_static_file_is_kept_a_year(client):
    response = client.get(f"/static/css/site.css?v={_fingerprint('css/site.css')}")
    assert response.status_code == 200
    assert response.data == (PROJECT_ROOT / "static" / "css" / "site.css").read_bytes()
    response.close()
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == 365 * 24 * 3600


@pytest.mark.parametrize("query", ["", "?v=0123456789ab"])
def test_a_static_file_without_its_current_fingerprint_is_kept_briefly(client, query):
    response = client.get(f"/static/css/site.css{query}")
    response.close()
    assert response.status_code == 200
    assert response.cache_control.max_age == 300
    assert not response.cache_control.immutable


def test_no_fingerprint_outside_the_static_folder(client):
    assert client.get("/static/../app/config.py").status_code == 404
    assert client.get("/static/css/none.css").status_code == 404


@pytest.fixture
def json_log():
    """The JSON handler on the root logger, writing into a string; removed after."""
    stream = io.StringIO()
    handler = jsonlog.install(stream)
    assert handler.stream is stream, "another test left a JSON handler behind"
    yield stream
    logging.getLogger().removeHandler(handler)


def _lines(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_name_the_endpoint_never_the_address_or_query(make_app, json_log):
    app = make_app(LOG_FORMAT="json")
    app.logger.warning("checked %s", "something")
    with app.test_request_context(
        "/fr/help/check?passphrase=secret-words",
        environ_base={"REMOTE_ADDR": "203.0.113.9", "HTTP_USER_AGENT": "Agent/1.0"},
        headers={"Referer": "https://elsewhere.example/"},
    ):
        app.preprocess_request()
        app.logger.info("a line inside a request")
    lines = _lines(json_log)
    assert [line["message"] for line in lines] == ["checked something", "a line inside a request"]
    inside = lines[1]
    assert inside["level"] == "info" and inside["logger"] == "app"
    assert inside["method"] == "GET" and inside["endpoint"] == "help.check"
    assert set(inside) == {"time", "level", "logger", "message", "method", "endpoint"}
    text = json_log.getvalue()
    for trace in ("203.0.113.9", "Agent/1.0", "elsewhere", "secret-words", "passphrase"):
        assert trace not in text


def test_an_exception_is_logged_without_its_message(json_log):
    logger = logging.getLogger("app.test")
    email = "camille" + "@example.org"
    try:
        raise ValueError(f"{email} is already taken")
    except ValueError:
        logger.exception("could not save")
    (line,) = _lines(json_log)
    assert line["message"] == "could not save"
    assert line["exception"] == "ValueError"
    assert "test_an_exception_is_logged_without_its_message" in line["traceback"]
    assert "camille@example.org" not in json_log.getvalue()


def _gunicorn_settings():
    settings = {}
    exec(Path(PROJECT_ROOT / "gunicorn.conf.py").read_text(), settings)  # noqa: S102
    return settings


def test_gunicorn_access_lines_keep_the_route_and_drop_the_visitor(json_log, monkeypatch, caplog):
    """A share link's page (the help pages' lines hold less: tests/test_help_logs.py)."""
    monkeypatch.setenv("LOG_FORMAT", "json")
    caplog.set_level(logging.INFO, logger="gunicorn.access")
    settings = _gunicorn_settings()
    for atom in ("%(h)s", "%(a)s", "%(f)s", "%(r)s", "%(U)s", "%(q)s", "{x-forwarded-for}i"):
        assert atom not in settings["access_log_format"]
    # The atoms gunicorn's Logger.access builds for a request (glogging.Logger.atoms).
    atoms = SafeAtoms(
        {
            "h": "203.0.113.9",
            "a": "Agent/1.0",
            "f": "https://elsewhere.example/",
            "r": "GET /fr/s/share-token-abc/?from=secret-words HTTP/1.1",
            "U": "/fr/s/share-token-abc/",
            "q": "from=secret-words",
            "m": "GET",
            "s": "200",
            "B": 1234,
            "M": 12,
            "{x-forwarded-for}i": "198.51.100.4",
            "{mobilis.route}e": "/<lang:lang>/s/<token>/",
            "{mobilis.endpoint}e": "visits.shared_schedule",
        }
    )
    logging.getLogger("gunicorn.access").info(settings["access_log_format"], atoms)
    (line,) = _lines(json_log)
    assert line["logger"] == "gunicorn.access"
    assert line["route"] == "/<lang:lang>/s/<token>/"
    assert line["endpoint"] == "visits.shared_schedule"
    assert (line["method"], line["status"], line["bytes"], line["duration_ms"]) == (
        "GET",
        "200",
        1234,
        12,
    )
    for trace in ("203.0.113.9", "198.51.100.4", "Agent/1.0", "elsewhere", "secret-words"):
        assert trace not in json_log.getvalue()
    assert "share-token-abc" not in json_log.getvalue()


def test_the_app_puts_its_route_where_gunicorn_reads_it(app):
    """gunicorn logs from the WSGI environ once the app is done with it."""
    seen = []
    inner = app.wsgi_app

    def server(environ, start_response):
        body = inner(environ, start_response)
        seen.append(environ)
        return body

    app.wsgi_app = server
    client = app.test_client()
    assert client.get("/en/help/").status_code == 200
    assert client.get("/en/no-such-page/").status_code == 404
    assert seen[0][jsonlog.ROUTE_KEY] == "/<lang:lang>/help/"
    assert seen[0][jsonlog.ENDPOINT_KEY] == "help.ask"
    assert jsonlog.ROUTE_KEY not in seen[1]


def test_an_unhandled_exception_is_logged_with_the_route_not_the_path(make_app, json_log):
    app = make_app(LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom/<token>")
    @public
    def boom(token):
        raise RuntimeError(f"cannot open {token}")

    assert app.test_client().get("/boom/share-token-abc").status_code == 500
    (line,) = [line for line in _lines(json_log) if line.get("exception")]
    assert line["message"] == "Exception on /boom/<token> [GET]"
    assert line["exception"] == "RuntimeError"
    assert "share-token-abc" not in json_log.getvalue()  # neither the path nor the message
