"""Servers the multi-process tests start: redis-server, and app hosts (gunicorn).

Used by tests/test_two_hosts.py (two hosts on PostgreSQL) and
tests/test_rate_limit_store.py (two app instances on one Redis).
"""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import pytest
import redis

from tests.conftest import extract_csrf_token


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {seconds} s")


class RedisServer:
    """A redis-server of our own: no persistence, in a temporary folder."""

    def __init__(self, binary, folder):
        self.binary, self.folder = binary, folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.answers, seconds=10, what="redis-server")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def _client(self):
        return redis.Redis.from_url(self.url, socket_timeout=2)

    def answers(self):
        try:
            with self._client() as client:
                return client.ping()
        except redis.RedisError:
            return False

    def flush(self):
        with self._client() as client:
            client.flushall()

    def keys(self):
        with self._client() as client:
            return [key.decode() for key in client.scan_iter()]


def redis_binary():
    """The redis-server to run, or a skip that says how to get it."""
    binary = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/bin:/usr/sbin")
    if binary is None:
        pytest.skip(
            "redis-server is not installed: `make test-deps` (scripts/install-test-deps) "
            "installs Debian's redis-server"
        )
    return binary


class Host:
    """One app host: gunicorn with one worker, its own instance folder."""

    def __init__(self, name, folder, env, *, site):
        self.name, self.folder, self.site = name, folder, site
        self.port = free_port()
        self.log = folder / "host.log"
        self.env = {**env, "MOBILIS_INSTANCE_PATH": str(folder / "instance")}
        self.process = None

    def start(self):
        # Run from the host's folder, so that no gunicorn.conf.py is picked up:
        # the command line says everything this test relies on.
        command = [sys.executable, "-m", "gunicorn", "app:create_app()", "--workers", "1"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", "120"]
        command += ["--no-control-socket"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.folder,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ready(self):
        if self.process.poll() is not None:
            raise AssertionError(f"host {self.name} exited:\n{self.log.read_text()[-3000:]}")
        try:
            return request(self, "GET", "/healthz").status == 200
        except OSError:
            return False

    def stop(self):
        """Ask for gunicorn's quick shutdown; `wait` for it to end."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def wait(self):
        if self.process is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(20)
        # Whatever is left of its process group: the worker, had the master gone first.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(5)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode()


def request(host, method, path, *, cookies=None, form=None):
    """One request to `host`, named as the site; redirects are not followed."""
    headers = {"Host": host.site}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", host.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


class Browser:
    """Keeps its cookies whichever host answers, like a browser behind a load balancer."""

    def __init__(self, cookies=None):
        self.cookies = dict(cookies or {})

    def send(self, host, method, path, form=None):
        response = request(host, method, path, cookies=self.cookies, form=form)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header and "Expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response

    def get(self, host, path):
        return self.send(host, "GET", path)

    def post_form(self, host, path, fields):
        """Open `path` on `host` for a CSRF token, then post `fields` there."""
        page = self.get(host, path)
        assert page.status == 200, page.status
        return self.send(
            host, "POST", path, {**fields, "csrf_token": extract_csrf_token(page.text)}
        )
