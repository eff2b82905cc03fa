"""The class questionnaire leaves no more trace in the logs than the help
pages: /<lang>/q/ and below count as a student's requests (app/jsonlog.py),
so their lines carry the hour only and gunicorn writes no access line."""

import logging
import sys
import urllib.parse
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from app.help.logs import DropAddresses
from app.jsonlog import is_student_request
from tests.test_help_logs import (
    HOUR,
    PRECISE,
    VISITOR,
    _access_atoms,
    _access_line,
    _Collect,
    _format,
    _werkzeug_record,
)

QUESTIONNAIRE = [
    ("GET", "/fr/q/KCM4-TPXA/", "200", "/<lang:lang>/q/<code>/", "evaluation.questionnaire"),
    ("POST", "/en/q/KCM4TPXA/", "429", "/<lang:lang>/q/<code>/", "evaluation.questionnaire"),
    ("GET", "/fr/q/", "200", "/<lang:lang>/q/", "evaluation.enter_code"),
    ("GET", "/fr/q/KCM4-TPXA", "308", None, None),
    ("GET", "/EN//Q/nothing/more", "404", None, None),
]


@pytest.mark.parametrize(("method", "path", "status", "route", "endpoint"), QUESTIONNAIRE)
def test_a_questionnaire_access_record_has_the_hour_and_no_size(
    gunicorn_settings, method, path, status, route, endpoint
):
    line = _access_line(
        gunicorn_settings, _access_atoms(method, path, status, route=route, endpoint=endpoint)
    )
    assert line["time"] == HOUR
    assert "bytes" not in line and "duration_ms" not in line
    for trace in (VISITOR, "KCM4", "poster", path):
        assert trace not in str(line)


def test_only_the_questionnaire_counts_not_pages_that_look_like_it():
    assert is_student_request("evaluation.questionnaire", "/fr/q/X/")
    assert is_student_request(None, "/q")
    for path in ("/fr/quiz/", "/fr/modules/q/", "/fr/reports/evaluation"):
        assert not is_student_request(None, path), path


def test_gunicorn_writes_no_access_line_for_the_questionnaire(gunicorn_settings):
    logger = object.__new__(gunicorn_settings["logger_class"])
    logger.cfg = Config()
    logger.cfg.set("access_log_format", gunicorn_settings["access_log_format"])
    logger._access_log_enabled = True
    logger.access_log = logging.getLogger("tests.gunicorn.evaluation")
    logger.access_log.propagate = False
    logger.access_log.setLevel(logging.INFO)
    collect = _Collect()
    logger.access_log.addHandler(collect)
    resp = SimpleNamespace(status="200 OK", headers=[], sent=5123)
    req = SimpleNamespace(headers=[("Host", "localhost")])

    def served(path, endpoint=None):
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1"}
        environ["REMOTE_ADDR"] = VISITOR
        environ["PATH_INFO"] = urllib.parse.urlsplit(path).path
        if endpoint:
            environ["mobilis.endpoint"] = endpoint
        before = len(collect.records)
        logger.access(resp, req, environ, timedelta(milliseconds=87))
        return len(collect.records) - before

    try:
        assert served("/fr/q/KCM4-TPXA/", "evaluation.questionnaire") == 0
        assert served("/en/q/?code=KCM4", "evaluation.enter_code") == 0
        assert served("/fr/q/unknown/path") == 0
        assert served("/fr/reports/evaluation", "reports.evaluation") == 1
    finally:
        logger.access_log.removeHandler(collect)


def test_app_lines_during_the_questionnaire_have_the_hour(app):
    def during(path, method="GET"):
        with app.test_request_context(path, method=method):
            try:
                raise ValueError("could not count")
            except ValueError:
                return _format("app.evaluation", "could not count", exc_info=sys.exc_info())

    line = during("/fr/q/KCM4-TPXA/", "POST")
    assert line["time"] == HOUR and line["endpoint"] == "evaluation.questionnaire"
    assert during("/en/q/")["time"] == HOUR
    assert during("/fr/visits/")["time"] == PRECISE


def test_the_development_server_line_of_the_questionnaire_has_the_hour():
    record = _werkzeug_record("POST /fr/q/KCM4-TPXA/?wave=after HTTP/1.1", "200", 5123)
    DropAddresses().filter(record)
    assert record.getMessage() == (
        '- - - [04/Mar/2025 14:00:00] "POST /fr/q/KCM4-TPXA/ HTTP/1.1" 200 -'
    )
