"""A request body over the limit is refused with a 413 page before it is read."""

import io

import pytest
from flask_babel import force_locale, gettext

from app.security import Role
from tests.conftest import extract_csrf_token

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
    """POST `stream` as the body, given straight to the app as wsgi.input."""
    environ = {"wsgi.input": stream, "CONTENT_TYPE": "application/x-www-form-urlencoded"}
    if chunked:
        environ["wsgi.input_terminated"] = True  # as gunicorn says of a chunked body
    else:
        environ["CONTENT_LENGTH"] = str(stream.size)
    return client.post(path, environ_overrides=environ)


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


def test_a_large_body_without_a_length_is_read_no_further_than_the_limit(app, client):
    """Chunked: Werkzeug stops reading at the limit (nginx refuses it with a 413 first)."""
    stream = CountingStream(50 * MIB)
    response = _post_stream(client, "/en/help/", stream, chunked=True)
    assert response.status_code in (400, 413)  # cut short, so no CSRF token either
    assert stream.given <= app.config["MAX_CONTENT_LENGTH"]


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


def _upload(client, path, size):
    """A CSV file of `size` bytes, as a browser sends it (built here: the test
    client would spool a large one to a temporary file it never closes)."""
    token = extract_csrf_token(client.get(path).get_data(as_text=True))
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
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_an_import_may_send_more_and_hears_about_a_file_too_large(client, auth, create_user):
    auth.login(create_user(Role.COORDINATOR).email, lang="en")
    response = _upload(client, "/en/schools/import", int(1.5 * MIB))
    assert response.status_code == 422
    assert "The file is larger than 1 MB." in response.get_data(as_text=True)


def test_an_import_over_its_own_limit_is_refused(app, client, auth, create_user):
    auth.login(create_user(Role.COORDINATOR).email, lang="en")
    response = _upload(client, "/en/schools/import", app.config["IMPORT_MAX_CONTENT_LENGTH"] + 1)
    assert response.status_code == 413
    assert "Too much sent at once" in response.get_data(as_text=True)
    # Another form of the same staff member stays at the general limit.
    other = _post_stream(client, "/en/schools/new", CountingStream(int(1.5 * MIB)))
    assert other.status_code == 413
