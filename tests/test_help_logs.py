"""A student's request to the help pages leaves no moment and no size in any log.

The rule (app/jsonlog.py, is_student_request): a request routed to help.ask,
help.check or help.reply, or whose path is /<lang>/help or below when routing
found nothing. Its lines carry the hour only and no size or duration; gunicorn
writes no access line for it (gunicorn.conf.py says why); the development
server's line is rounded too (app/help/logs.py). Staff's and other pages'
lines keep their precise time, size and duration. nginx's side is in
tests/test_deploy.py (PostgreSQL run).
"""

import http.client
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import SafeAtoms
from werkzeug.serving import make_server

from app import PROJECT_ROOT
from app.help.logs import DropAddresses
from app.jsonlog import JsonFormatter
from tests.conftest import extract_csrf_token
from tests.help_factory import PASSPHRASE

# A moment with minutes, seconds and milliseconds, and its hour.
MOMENT = datetime(2025, 3, 4, 14, 37, 21, 456000, tzinfo=UTC).timestamp()
PRECISE = "2025-03-04T14:37:21.456+00:00"
HOUR = "2025-03-04T14:00:00.000+00:00"
VISITOR = "203.0.113.9"


def _format(name, msg, args=(), *, exc_info=None):
    """A record as logging makes it for `logging.getLogger(name).info(msg, *args)`
    at MOMENT, formatted as the JSON line it becomes."""
    record = logging.getLogger(name).makeRecord(
        name, logging.INFO, __file__, 1, msg, args, exc_info
    )
    record.created, record.msecs = MOMENT, 456.0
    return json.loads(JsonFormatter().format(record))


def _access_atoms(method, path, status, *, route=None, endpoint=None):
    """The atoms gunicorn's Logger.access gives its access log for a request
    (glogging.Logger.atoms); the route and endpoint are there when routing
    found them (app/jsonlog.py)."""
    atoms = {
        "h": VISITOR,
        "a": "Agent/1.0",
        "f": "https://elsewhere.example/",
        "r": f"{method} {path}?from=poster HTTP/1.1",
        "U": path,
        "q": "from=poster",
        "m": method,
        "s": status,
        "B": 5123,
        "b": "5123",
        "M": 87,
        "{content-length}i": "1357",
    }
    if route is not None:
        atoms["{mobilis.route}e"] = route
        atoms["{mobilis.endpoint}e"] = endpoint
    return SafeAtoms(atoms)


def _access_line(settings, atoms):
    return _format("gunicorn.access", settings["access_log_format"], (atoms,))


# (a) The JSON lines -----------------------------------------------------------

STUDENT_REQUESTS = [
    ("POST", "/fr/help/", "200", "/<lang:lang>/help/", "help.ask"),
    ("POST", "/en/help/check", "429", "/<lang:lang>/help/check", "help.check"),
    ("POST", "/fr/help/reply", "400", "/<lang:lang>/help/reply", "help.reply"),
    # Routing found nothing: the path decides.
    ("GET", "/fr/help/nothing", "404", None, None),
    ("GET", "/fr/help/reply", "405", None, None),
    ("GET", "/en/help", "308", None, None),
    ("GET", "/FR//Help/", "404", None, None),
]
OTHER_REQUESTS = [
    ("GET", "/fr/inbox/", "200", "/<lang:lang>/inbox/", "help.inbox_index"),
    ("POST", "/fr/login", "302", "/<lang:lang>/login", "accounts.login"),
    ("GET", "/fr/s/abc/", "200", "/<lang:lang>/s/<token>/", "visits.shared_schedule"),
    ("GET", "/fr/helpers/", "404", None, None),
    ("GET", "/fr/modules/help/", "404", None, None),
]


@pytest.mark.parametrize(("method", "path", "status", "route", "endpoint"), STUDENT_REQUESTS)
def test_a_student_access_record_has_the_hour_and_no_size(
    gunicorn_settings, method, path, status, route, endpoint
):
    line = _access_line(
        gunicorn_settings, _access_atoms(method, path, status, route=route, endpoint=endpoint)
    )
    assert line["time"] == HOUR
    assert "bytes" not in line and "duration_ms" not in line
    assert (line["method"], line["status"]) == (method, status)
    assert line["route"] == (route or "-") and line["endpoint"] == (endpoint or "-")
    text = json.dumps(line)
    for trace in (VISITOR, "5123", "87", "1357", "poster", path):
        assert trace not in text


@pytest.mark.parametrize(("method", "path", "status", "route", "endpoint"), OTHER_REQUESTS)
def test_staff_and_other_access_records_keep_their_time_size_and_duration(
    gunicorn_settings, method, path, status, route, endpoint
):
    line = _access_line(
        gunicorn_settings, _access_atoms(method, path, status, route=route, endpoint=endpoint)
    )
    assert line["time"] == PRECISE
    assert (line["bytes"], line["duration_ms"]) == (5123, 87)
    assert VISITOR not in json.dumps(line)


def test_a_request_gunicorn_could_not_parse_counts_by_its_request_line(gunicorn_settings):
    """gunicorn logs such a request without PATH_INFO (workers/base.py handle_error)."""
    atoms = _access_atoms("GET", "/fr/help/", "400")
    atoms["U"] = None
    assert _access_line(gunicorn_settings, atoms)["time"] == HOUR
    atoms = _access_atoms("GET", "/fr/login", "400")
    atoms["U"] = None
    assert _access_line(gunicorn_settings, atoms)["time"] == PRECISE


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_gunicorn_writes_no_access_line_for_a_student_request(gunicorn_settings):
    """gunicorn.conf.py's logger class, called as gunicorn's worker calls it."""
    settings = gunicorn_settings
    logger = object.__new__(settings["logger_class"])  # no setup(): the logging config stays
    logger.cfg = Config()
    logger.cfg.set("access_log_format", settings["access_log_format"])
    logger._access_log_enabled = True
    logger.access_log = logging.getLogger("tests.gunicorn.access")
    logger.access_log.propagate = False
    logger.access_log.setLevel(logging.INFO)
    collect = _Collect()
    logger.access_log.addHandler(collect)
    resp = SimpleNamespace(status="200 OK", headers=[], sent=5123)
    req = SimpleNamespace(headers=[("Host", "localhost")])

    def served(path, endpoint=None, *, parsed=True):
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1"}
        environ["REMOTE_ADDR"] = VISITOR
        if parsed:
            environ["PATH_INFO"] = urllib.parse.urlsplit(path).path
        if endpoint:
            environ["mobilis.endpoint"] = endpoint
        before = len(collect.records)
        logger.access(resp, req, environ, timedelta(milliseconds=87))
        return len(collect.records) - before

    try:
        assert served("/fr/help/", "help.ask") == 0
        assert served("/en/help/check?x=1", "help.check") == 0
        assert served("/fr/help/nothing") == 0  # a 404: no endpoint
        assert served("/fr/help/", parsed=False) == 0  # an invalid request
        assert served("/fr/inbox/", "help.inbox_index") == 1
        assert served("/fr/nothing") == 1
        assert served("/fr/login", parsed=False) == 1
    finally:
        logger.access_log.removeHandler(collect)


def test_gunicorn_error_lines_about_a_student_request_have_the_hour_and_no_uri():
    secret = "-".join(("the", "error's", "message"))

    def handling(*args):
        try:
            raise RuntimeError(secret)
        except RuntimeError:
            return _format(
                "gunicorn.error", "Error handling request " + " ".join(["%s"] * len(args)), args,
                exc_info=sys.exc_info(),
            )  # fmt: skip

    line = handling("POST", "/fr/help/check?passphrase=un-deux-trois")
    assert line["time"] == HOUR
    assert line["message"] == "Error handling request POST"
    assert line["exception"] == "RuntimeError" and "handling" in line["traceback"]
    assert "passphrase" not in json.dumps(line) and secret not in json.dumps(line)
    assert handling("/en/help/")["time"] == HOUR  # older gunicorn: the URI only
    staff = handling("GET", "/fr/s/share-token/")
    assert staff["time"] == PRECISE
    assert "share-token" not in json.dumps(staff)

    invalid = _format(
        "gunicorn.error", f"Invalid request from ip={VISITOR}: Invalid HTTP Header: 'Bad Header'"
    )
    assert invalid["time"] == HOUR  # it names no path: it may be a student's
    assert invalid["message"] == "Invalid request (Invalid HTTP Header)"
    assert _format("gunicorn.error", "Booting worker with pid: %s", (42,))["time"] == PRECISE


def test_app_lines_during_a_student_request_have_the_hour(app):
    def during(path, method="GET"):
        with app.test_request_context(path, method=method):
            try:
                raise ValueError("could not save")
            except ValueError:
                return _format("app.help", "could not save", exc_info=sys.exc_info())

    line = during("/fr/help/", "POST")
    assert line["time"] == HOUR and line["endpoint"] == "help.ask"
    assert line["exception"] == "ValueError" and "during" in line["traceback"]
    assert during("/en/help/check", "POST")["time"] == HOUR
    assert during("/fr/help/nothing")["time"] == HOUR  # routing found nothing
    assert during("/fr/help/reply")["time"] == HOUR  # a 405
    staff = during("/fr/inbox/")
    assert staff["time"] == PRECISE and staff["endpoint"] == "help.inbox_index"
    assert during("/fr/login")["time"] == PRECISE
    assert _format("app", "outside any request")["time"] == PRECISE


# (b) A real gunicorn, with gunicorn.conf.py -----------------------------------


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """gunicorn run with the repository's gunicorn.conf.py, one worker (so its
    lines come in the order of the requests); its stderr in a file."""

    def __init__(self, port, stderr, process):
        self.port, self.stderr, self.process = port, stderr, process
        self.cookies = {}

    def request(self, method, path, form=None):
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data, len(body or b"")

    def raw(self, data):
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as connection:
            connection.sendall(data)
            return connection.recv(4096)

    def lines(self):
        return [json.loads(line) for line in self.stderr.read_text().splitlines() if line]

    def wait_for_line(self, check, after=0, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            lines = self.lines()
            for index in range(after, len(lines)):
                if check(lines[index]):
                    return index
            assert self.process.poll() is None, self.stderr.read_text()[-3000:]
            time.sleep(0.1)
        raise AssertionError(f"no such line in:\n{self.stderr.read_text()[-3000:]}")


@pytest.fixture
def served(database_url, tmp_path):
    port = _free_port()
    stderr = tmp_path / "gunicorn.stderr"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "MOBILIS_INSTANCE_PATH": str(tmp_path / "instance"),
        "MAIL_BACKEND": "memory",
        "LOG_FORMAT": "json",
        # The public files' builder logs at its own moments, whatever students
        # do: not a request's lines, so not in this test's window.
        "PDF_BUILD_AT_START": "false",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": "120",
    }
    with stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(PROJECT_ROOT / "gunicorn.conf.py")],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
    site = Served(port, stderr, process)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, stderr.read_text()[-3000:]
            try:
                if site.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer in 90 s"
            time.sleep(0.2)
        yield site
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)


_CLOCK = re.compile(r"\d{2}:(\d{2}):(\d{2})(?:\.(\d+))?")


def test_under_gunicorn_a_question_leaves_no_address_moment_or_size(served):
    # A page before them, whose line comes before theirs (one worker, in order).
    assert served.request("GET", "/fr/login")[0] == 200
    before = served.wait_for_line(lambda line: line.get("route") == "/<lang:lang>/login")

    status, page, _ = served.request("GET", "/fr/help/")
    assert status == 200
    form = {
        "csrf_token": extract_csrf_token(page.decode()),
        "body": "Est-ce que c'est correct de dire non à mon chum?",
        "topic": "other",
        "school_id": "0",
    }
    status, sent, request_size = served.request("POST", "/fr/help/", form)
    assert status == 200
    assert PASSPHRASE.search(sent.decode()), "the passphrase page"
    check = {"csrf_token": form["csrf_token"], "passphrase": "un deux trois quatre cinq six"}
    assert served.request("POST", "/fr/help/check", check)[0] == 200
    assert served.request("GET", "/fr/help/nothing")[0] == 404
    assert served.request("GET", "/fr/help/reply")[0] == 405
    # gunicorn refuses it itself, and logs an error line naming the client.
    refused = served.raw(b"GET /fr/help/ HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n")
    assert refused.startswith(b"HTTP/1.1 400")

    # Pages after them, whose lines come after theirs.
    assert served.request("GET", "/fr/no-such-page")[0] == 404
    assert served.request("GET", "/healthz")[0] == 200
    after = served.wait_for_line(lambda line: line.get("route") == "/healthz", after=before + 1)
    lines = served.lines()
    help_lines, others = lines[before + 1 : after - 1], lines[after - 1 : after + 1]

    for line in help_lines:
        text = json.dumps(line)
        assert "127.0.0.1" not in text
        moment = datetime.fromisoformat(line["time"])
        assert (moment.minute, moment.second, moment.microsecond) == (0, 0, 0), line
        for minutes, seconds, fraction in _CLOCK.findall(text):
            assert minutes == seconds == "00" and not (fraction or "").strip("0"), line
        assert not {"bytes", "duration_ms"} & set(line)
        for size in (len(page), len(sent), request_size):
            assert not re.search(rf"\b{size}\b", text), (size, line)
        assert line["logger"] != "gunicorn.access"

    # The refused request's line, without the header it quotes; nothing else.
    (refusal,) = help_lines
    assert re.fullmatch(r"Invalid request \(Invalid HTTP header[^)']*\)", refusal["message"], re.I)

    # The other pages' access lines keep their size and duration.
    assert [line["status"] for line in others] == ["404", "200"]
    for line in others:
        assert line["logger"] == "gunicorn.access"
        assert isinstance(line["bytes"], int) and isinstance(line["duration_ms"], int)
        assert "127.0.0.1" not in json.dumps(line)


# (c) The development server ---------------------------------------------------


def _werkzeug_record(request_line, status, size):
    """A record as werkzeug's WSGIRequestHandler.log_request makes it."""
    record = logging.getLogger("werkzeug").makeRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        f'{VISITOR} - - [04/Mar/2025 14:37:21] "%s" %s %s',
        (request_line, status, size),
        None,
    )
    record.created, record.msecs = MOMENT, 456.0
    return record


def test_the_development_server_line_of_a_student_request_has_the_hour_and_no_size():
    record = _werkzeug_record("POST /fr/help/?source=poster HTTP/1.1", "200", 5123)
    assert DropAddresses().filter(record)
    assert record.getMessage() == '- - - [04/Mar/2025 14:00:00] "POST /fr/help/ HTTP/1.1" 200 -'
    assert (record.created, record.msecs) == (MOMENT - 37 * 60 - 21.456, 0.0)
    assert json.loads(JsonFormatter().format(record))["time"] == HOUR

    # On a terminal werkzeug colours the request line; a 404 has no route.
    record = _werkzeug_record("\x1b[33mGET /en/help/nothing HTTP/1.1\x1b[0m", "404", 231)
    DropAddresses().filter(record)
    assert (
        record.getMessage() == '- - - [04/Mar/2025 14:00:00] "GET /en/help/nothing HTTP/1.1" 404 -'
    )


def test_the_development_server_line_of_another_page_loses_only_the_address():
    record = _werkzeug_record("GET /fr/login HTTP/1.1", "200", 5123)
    DropAddresses().filter(record)
    assert record.getMessage() == '- - - [04/Mar/2025 14:37:21] "GET /fr/login HTTP/1.1" 200 5123'
    assert record.created == MOMENT


def test_the_development_server_itself(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in ("/fr/help/", "/fr/login"):
            with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{path}") as page:
                assert page.status == 200
    finally:
        server.shutdown()
        server.server_close()
    lines = {r.getMessage(): r for r in caplog.records if r.name == "werkzeug"}
    (help_line,) = [line for line in lines if "/fr/help/" in line]
    assert re.fullmatch(r'- - - \[\S+ \d{2}:00:00\] "GET /fr/help/ HTTP/1.1" 200 -', help_line)
    assert lines[help_line].created % 3600 == 0
    (login_line,) = [line for line in lines if "/fr/login" in line]
    assert login_line.startswith("- - - [")
    assert lines[login_line].created % 3600 != 0


def test_an_access_record_holds_only_the_fields_a_line_may_show(gunicorn_settings):
    """gunicorn's own atoms copy every header and environ variable into each
    record (half an access line's cost, issue 22); the record holds only
    the fields of ACCESS_FIELDS and the path that decides a student's."""
    logger = object.__new__(gunicorn_settings["logger_class"])
    logger.cfg = Config()
    logger.cfg.set("access_log_format", gunicorn_settings["access_log_format"])
    logger._access_log_enabled = True
    logger.access_log = logging.getLogger("tests.gunicorn.access.fields")
    logger.access_log.propagate = False
    logger.access_log.setLevel(logging.INFO)
    collect = _Collect()
    logger.access_log.addHandler(collect)
    resp = SimpleNamespace(status="200 OK", headers=[("Set-Cookie", "s=secret")], sent=512)
    req = SimpleNamespace(headers=[("Host", "localhost"), ("Authorization", "Bearer secret")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/fr/s/secret-token/",
        "PATH_INFO": "/fr/s/secret-token/",
        "QUERY_STRING": "token=secret",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": VISITOR,
        "HTTP_USER_AGENT": "secret agent",
        "mobilis.route": "/<lang:lang>/s/<token>/",
        "mobilis.endpoint": "visits.shared",
    }
    try:
        logger.access(resp, req, environ, timedelta(milliseconds=87))
        (record,) = collect.records
    finally:
        logger.access_log.removeHandler(collect)
    assert set(record.args) == {"m", "U", "{mobilis.route}e", "{mobilis.endpoint}e", "s", "B", "M"}
    record.name = "gunicorn.access"  # the logger gunicorn writes its access lines to
    line = json.loads(JsonFormatter().format(record))
    assert (line["method"], line["route"], line["status"], line["bytes"], line["duration_ms"]) == (
        "GET",
        "/<lang:lang>/s/<token>/",
        "200",
        512,
        87,
    )
    assert "secret" not in json.dumps(line)


def test_a_gunicorn_worker_loads_the_urgency_model_before_its_first_request(gunicorn_settings, app):
    """Seconds for the first question of each worker otherwise (issue 22):
    gunicorn.conf.py runs the app's warm-ups once the worker has loaded it."""
    from app.help import urgency_model

    urgency_model.shipped.cache_clear()
    gunicorn_settings["post_worker_init"](SimpleNamespace(wsgi=app))
    assert urgency_model.shipped.cache_info().currsize == 1
