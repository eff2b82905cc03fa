"""A request body over the limit is refused with a 413 page before it is read."""

import contextlib
import io
import os
import secrets
import socket
from urllib.parse import urlencode

import pytest
from cryptography.fernet import Fernet
from flask_babel import force_locale, gettext

from app import PROJECT_ROOT
from app.migrations.commands import upgrade
from app.security import Role
from tests.conftest import extract_csrf_token
from tests.servers import Browser, Host, wait_for

MIB = 1024 * 1024


class CountingStream(io.RawIOBase):
    """A request body of `size` bytes that counts how many were read."""

    def __init__(self, size):
        self.size, self.given = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.given)
        buffer[:count] = b"a" * count
        self.given += count
        return count


def _post_stream(client, path, stream, *, chunked=False):
    """POST `stream` as the body, given straight to the app as wsgi.input.

    Chunked, it comes as gunicorn hands such a body on: no Content-Length,
    Transfer-Encoding kept, and `wsgi.input_terminated` (the server ends the
    stream where the last chunk ends)."""
    environ = {"wsgi.input": stream, "CONTENT_TYPE": "application/x-www-form-urlencoded"}
    if chunked:
        environ["wsgi.input_terminated"] = True
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        environ["CONTENT_LENGTH"] = str(stream.size)
    return client.post(path, environ_overrides=environ)


class FormStream(CountingStream):
    """A form body (`fields`, URL-encoded) that counts how much of it was read."""

    def __init__(self, fields):
        self.data = urlencode(fields).encode()
        super().__init__(len(self.data))

    def readinto(self, buffer):
        count = min(len(buffer), self.size - self.given)
        buffer[:count] = self.data[self.given : self.given + count]
        self.given += count
        return count


def _translated(app, lang, text):
    with app.app_context(), force_locale(app.config["LOCALES"][lang]):
        return gettext(text)


@pytest.mark.parametrize(("lang", "error"), [("fr", "Erreur 413"), ("en", "Error 413")])
def test_a_large_form_is_refused_unread_in_the_student_language(app, client, lang, error):
    stream = CountingStream(50 * MIB)
    response = _post_stream(client, f"/{lang}/help/", stream)
    assert response.status_code == 413
    assert stream.given == 0, "nothing of the body was read"
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert error in html
    assert _translated(app, lang, "Too much sent at once") in html
    # A student's page keeps its quick exit, like every other error page.
    assert 'id="quick-exit"' in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_large_body_without_a_length_is_refused_with_the_413_page(app, client, lang):
    """Chunked: read up to the limit and one byte more, then the same 413 page."""
    stream = CountingStream(50 * MIB)
    response = _post_stream(client, f"/{lang}/help/", stream, chunked=True)
    assert response.status_code == 413
    assert stream.given == app.config["MAX_CONTENT_LENGTH"] + 1
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert _translated(app, lang, "Too much sent at once") in html
    assert 'id="quick-exit"' in html


def test_a_valid_form_just_over_the_limit_without_a_length_is_not_cut_and_parsed(client):
    """A form that would pass its CSRF check if cut at the limit is refused whole."""
    page = client.get("/en/help/").get_data(as_text=True)
    form = FormStream(
        {"csrf_token": extract_csrf_token(page), "topic": "other", "body": "a" * (3 * MIB)}
    )
    response = _post_stream(client, "/en/help/", form, chunked=True)
    assert response.status_code == 413
    assert "Too much sent at once" in response.get_data(as_text=True)


def test_a_form_without_a_length_under_the_limit_is_read_whole(make_app):
    """Chunked under the limit: the whole body reaches the form (its CSRF token
    is read, then its own check on the question's length answers)."""
    app = make_app(MAX_CONTENT_LENGTH=300_000)
    client = app.test_client()
    page = client.get("/en/help/").get_data(as_text=True)
    fields = {"csrf_token": extract_csrf_token(page), "topic": "other", "body": "x" * 200_000}
    form = FormStream(fields)
    response = _post_stream(client, "/en/help/", form, chunked=True)
    assert response.status_code == 200
    assert form.given == form.size
    html = response.get_data(as_text=True)
    assert "Too much sent at once" not in html
    assert 'id="body-error"' in html  # the form's own message on its length
    # One byte over the same limit, and it is the 413 page instead.
    fields["body"] += "x" * (app.config["MAX_CONTENT_LENGTH"] - form.size + 1)
    assert _post_stream(client, "/en/help/", FormStream(fields), chunked=True).status_code == 413


def test_a_form_under_the_limit_is_read_as_usual(client):
    page = client.get("/en/help/").get_data(as_text=True)
    response = client.post(
        "/en/help/",
        data={"csrf_token": extract_csrf_token(page), "body": "x" * 200_000, "topic": "other"},
    )
    assert response.status_code == 200  # the form's own message, not a 413


def test_the_limit_is_a_setting(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    assert _post_stream(client, "/en/help/", CountingStream(1001)).status_code == 413


def _csv_upload(token, size):
    """(body, content type): a CSV file of `size` bytes, as a browser sends it
    (built here: the test client would spool a large one to a temporary file
    it never closes)."""
    header = b"name,service_centre,city,region\n"
    content = header + b"x" * (size - len(header))
    boundary = "mobilis-test-boundary"
    body = b"".join(
        [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'.encode(),
            token.encode(),
            f"\r\n--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="file"; filename="schools.csv"\r\n',
            b"Content-Type: text/csv\r\n\r\n",
            content,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _upload(client, path, size, *, chunked=False):
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
    body, content_type = _csv_upload(token, size)
    if not chunked:
        return client.post(path, data=body, content_type=content_type)
    environ = {
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_TYPE": content_type,
    }
    return client.post(path, environ_overrides=environ)


def test_an_import_may_send_more_and_hears_about_a_file_too_large(client, auth, create_user):
    auth.login(create_user(Role.COORDINATOR).email, lang="en")
    response = _upload(client, "/en/schools/import", int(1.5 * MIB))
    assert response.status_code == 422
    assert "The file is larger than 1 MB." in response.get_data(as_text=True)
    # The same, sent without a length: the import's own limit, not the forms'.
    chunked = _upload(client, "/en/schools/import", int(1.5 * MIB), chunked=True)
    assert chunked.status_code == 422
    assert "The file is larger than 1 MB." in chunked.get_data(as_text=True)


def test_an_import_over_its_own_limit_is_refused(app, client, auth, create_user):
    auth.login(create_user(Role.COORDINATOR).email, lang="en")
    response = _upload(client, "/en/schools/import", app.config["IMPORT_MAX_CONTENT_LENGTH"] + 1)
    assert response.status_code == 413
    assert "Too much sent at once" in response.get_data(as_text=True)
    size = app.config["IMPORT_MAX_CONTENT_LENGTH"] + 1
    assert _upload(client, "/en/schools/import", size, chunked=True).status_code == 413
    # Another form of the same staff member stays at the general limit.
    other = _post_stream(client, "/en/schools/new", CountingStream(int(1.5 * MIB)))
    assert other.status_code == 413


# The same against the real server: gunicorn dechunks the body and hands it on
# without a length, as in production behind nginx (whose own limit is larger).


@pytest.fixture(scope="module")
def gunicorn_host(tmp_path_factory):
    database = tmp_path_factory.mktemp("database") / "mobilis.sqlite3"
    upgrade(f"sqlite:///{database}")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(PROJECT_ROOT),
        "SECRET_KEY": secrets.token_hex(32),
        "HELP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "HELP_PASSPHRASE_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{database}",
        "HELP_ALERT_RUNNER": "off",
        "MAIL_BACKEND": "memory",
    }
    host = Host("A", tmp_path_factory.mktemp("gunicorn"), env, site="localhost")
    try:
        host.start()
        wait_for(host.ready, seconds=90, what="gunicorn answering")
        yield host
    finally:
        host.stop()
        host.wait()


def _chunks(data, size=64 * 1024):
    for start in range(0, len(data), size):
        piece = data[start : start + size]
        yield b"%x\r\n" % len(piece) + piece + b"\r\n"
    yield b"0\r\n\r\n"


def _post_chunked(host, path, body, *, cookies):
    """POST `body` in chunks over a socket; return the status code and the page.

    The server may answer (and close) before the last chunk: sending stops
    there and the answer is read."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host.site}\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", host.port), timeout=30) as connection:
        connection.sendall(head.encode())
        with contextlib.suppress(OSError):
            for chunk in _chunks(body):
                connection.sendall(chunk)
        answer = b""
        with contextlib.suppress(OSError):
            while data := connection.recv(65536):
                answer += data
    status_line, _, rest = answer.partition(b"\r\n")
    return int(status_line.split()[1]), rest.decode(errors="replace")


def _help_form_body(browser, host, text):
    page = browser.get(host, "/en/help/")
    assert page.status == 200, page.status
    fields = {"csrf_token": extract_csrf_token(page.text), "topic": "other", "body": text}
    return urlencode(fields).encode()


def test_gunicorn_a_chunked_body_over_the_limit_is_refused_with_the_413_page(gunicorn_host):
    browser = Browser()
    body = _help_form_body(browser, gunicorn_host, "a" * (3 * MIB))
    status, page = _post_chunked(gunicorn_host, "/en/help/", body, cookies=browser.cookies)
    assert status == 413
    assert "Too much sent at once" in page


def test_gunicorn_a_chunked_body_under_the_limit_reaches_the_form_whole(gunicorn_host):
    browser = Browser()
    body = _help_form_body(browser, gunicorn_host, "x" * 200_000)
    status, page = _post_chunked(gunicorn_host, "/en/help/", body, cookies=browser.cookies)
    assert status == 200  # its CSRF token was read, then the form's own message
    assert 'id="body-error"' in page and "Too much sent at once" not in page
