"""Rate limits are counted once for every worker and host: in Redis.

Two app instances, each its own process (gunicorn, one worker: as two workers
or two hosts run), on one database and one throw-away redis-server, set up
with the shipped settings' RATELIMIT_STORAGE_URI (docs/deploy/mobilis.env)
pointed at that server's port. The help form's limit reached through one is
reached for the other. When Redis is down, each keeps answering and counts
in its own memory, and says so in its log. (The same with PostgreSQL and
sign-in: tests/test_two_hosts.py.)
"""

import re
import secrets
import time

import pytest
from cryptography.fernet import Fernet

from app import PROJECT_ROOT
from app.migrations.commands import upgrade
from tests.servers import Browser, Host, RedisServer, redis_binary, wait_for

ASK_LIMIT = 2
QUESTION = {"body": "Est-ce normal qu'un ami plus vieux me donne de l'argent?", "topic": "other"}


def _shipped_storage_uri():
    text = (PROJECT_ROOT / "docs" / "deploy" / "mobilis.env").read_text()
    return re.search(r"^RATELIMIT_STORAGE_URI=(\S+)$", text, re.M).group(1)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(redis_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def instances(redis_server, tmp_path_factory):
    shipped = _shipped_storage_uri()
    assert shipped == "redis://127.0.0.1:6379/0", "the deployment counts in Redis"
    database = tmp_path_factory.mktemp("database") / "mobilis.sqlite3"
    upgrade(f"sqlite:///{database}")
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(PROJECT_ROOT),
        "SECRET_KEY": secrets.token_hex(32),
        "HELP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "HELP_PASSPHRASE_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{database}",
        "RATELIMIT_STORAGE_URI": shipped.replace(":6379/", f":{redis_server.port}/"),
        "HELP_ASK_RATE_LIMIT": f"{ASK_LIMIT} per minute",
        "HELP_ALERT_RUNNER": "off",
        "MAIL_BACKEND": "memory",
    }
    hosts = [
        Host(name, tmp_path_factory.mktemp(f"instance-{name}"), env, site="localhost")
        for name in "AB"
    ]
    try:
        for host in hosts:
            host.start()
        for host in hosts:
            wait_for(host.ready, seconds=90, what=f"instance {host.name} answering")
        yield hosts
    finally:
        for host in hosts:
            host.stop()
        for host in hosts:
            host.wait()


def _ask(browser, host):
    """The help form as a student sends it: open it, then send a question."""
    page = browser.get(host, "/en/help/")
    assert page.status == 200, page.status
    html = page.text
    fields = dict(QUESTION)
    for name in ("csrf_token", "submission"):
        fields[name] = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)
    return browser.send(host, "POST", "/en/help/", fields)


def test_the_help_form_limit_reached_on_one_instance_holds_on_the_other(instances, redis_server):
    a, b = instances
    redis_server.flush()
    statuses = [_ask(Browser(), a).status for _ in range(ASK_LIMIT)]
    assert statuses == [200] * ASK_LIMIT
    refused = _ask(Browser(), b)
    assert refused.status == 429
    assert "Too many requests" in refused.text
    assert _ask(Browser(), a).status == 429

    keys = redis_server.keys()
    assert keys and all("address:" in key and "127.0.0.1" not in key for key in keys), keys
    redis_server.flush()  # the count lived in Redis: gone, both accept again
    assert _ask(Browser(), b).status == 200


def test_with_redis_down_each_instance_answers_and_counts_alone(instances, redis_server):
    a, b = instances
    redis_server.stop()
    try:
        started = time.monotonic()
        statuses = [_ask(Browser(), a).status for _ in range(ASK_LIMIT + 1)]
        assert statuses == [200] * ASK_LIMIT + [429], "still a limit, in A's own memory"
        assert _ask(Browser(), b).status == 200, "B's memory has its own count"
        assert time.monotonic() - started < 30, "no request waits long on the dead Redis"
        for host in (a, b):
            assert "Rate limit storage unreachable" in host.log.read_text(), host.name
    finally:
        redis_server.start()
