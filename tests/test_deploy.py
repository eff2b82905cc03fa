"""The deployment runbook (docs/deploy.md), on this machine, as far as a test can go.

On the test PostgreSQL server (TEST_DATABASE_URL, set by scripts/with-postgres;
skipped on the SQLite run): a fresh database made with `createdb`, an env file
made from docs/deploy/mobilis.env, `flask db upgrade`, the first admin with
`flask create-user`, `flask curriculum check` and `build`, then gunicorn with the repo's
gunicorn.conf.py (two workers) behind nginx running the repo's
docs/deploy/nginx/mobilis.conf, where only names, ports, paths and a
self-signed certificate are substituted. Every request comes from 127.0.0.2,
so that address must appear in no log line. The systemd units are checked by
`systemd-analyze verify` when it runs here.
"""

import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from app import PROJECT_ROOT
from tests.servers import RedisServer, redis_binary

PG_URL = os.environ.get("TEST_DATABASE_URL")
DEPLOY = PROJECT_ROOT / "docs" / "deploy"
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
CLIENT = "127.0.0.2"  # the visitor's address: it must reach no log
AGENT = "Deploy-Test-Agent/7.3"
REFERRER = "https://referrer.invalid/from-here"
# /usr/sbin is not on every user's PATH.
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bindir():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return found[-1]


def _env_file_values(path):
    """The variables as sh sees them when the cron lines source the file."""
    output = subprocess.run(
        ["sh", "-c", 'set -a && . "$1" && exec env -0', "sh", str(path)],
        env={"PATH": os.environ["PATH"]},
        capture_output=True,
        check=True,
        timeout=10,
    ).stdout.decode()
    return dict(item.split("=", 1) for item in output.split("\0") if "=" in item)


def _substitute(text, replacements):
    for old, new in replacements:
        assert old in text, f"{old!r} is no longer in the shipped file"
        text = text.replace(old, new)
    return text


def _stop(process, timeout=15):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_for(check, what, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up in {seconds} s")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Database, env file, migrations, first admin, gunicorn and nginx, as docs/deploy.md says."""
    if not PG_URL:
        pytest.skip("PostgreSQL only (scripts/with-postgres)")
    if NGINX is None:
        pytest.skip("nginx missing (scripts/install-test-deps installs it)")
    tmp = tmp_path_factory.mktemp("deploy")
    url = sa.engine.make_url(PG_URL)
    name = f"mobilis_deploy_{secrets.token_hex(4)}"
    processes = []
    # Debian's redis-server, as step 1 installs it, on a port of its own.
    redis_server = RedisServer(redis_binary(), tmp_path_factory.mktemp("redis"))
    try:
        redis_server.start()
        # createdb (docs/deploy.md: createuser, createdb as postgres; here the test role
        # owns the server).
        subprocess.run(
            [
                _pg_bindir() / "createdb",
                "-h",
                url.host,
                "-p",
                str(url.port),
                "-U",
                url.username,
                name,
            ],
            check=True,
            timeout=30,
        )
        database_url = url.set(database=name).render_as_string(hide_password=False)
        gunicorn_port, http_port, https_port = _free_port(), _free_port(), _free_port()

        env_path = tmp / "mobilis.env"
        shipped = (DEPLOY / "mobilis.env").read_text()
        env_path.write_text(
            _substitute(
                shipped,
                [
                    (
                        "DATABASE_URL=postgresql+psycopg://mobilis@/mobilis?host=/var/run/postgresql",
                        f"DATABASE_URL={database_url}",
                    ),
                    ("SECRET_KEY=change-me", f"SECRET_KEY={secrets.token_hex(32)}"),
                    (
                        "MOBILIS_INSTANCE_PATH=/srv/mobilis/instance",
                        f"MOBILIS_INSTANCE_PATH={tmp / 'instance'}",
                    ),
                    ("GUNICORN_BIND=127.0.0.1:8000", f"GUNICORN_BIND=127.0.0.1:{gunicorn_port}"),
                    ("GUNICORN_WORKERS=3", "GUNICORN_WORKERS=2"),
                    (
                        "TRUSTED_HOSTS=mobilis.example.org,127.0.0.1",
                        "TRUSTED_HOSTS=localhost,127.0.0.1",
                    ),
                    (
                        "PUBLIC_URL=https://mobilis.example.org",
                        f"PUBLIC_URL=https://localhost:{https_port}",
                    ),
                    (
                        "RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0",
                        f"RATELIMIT_STORAGE_URI={redis_server.url}",
                    ),
                ],
            )
        )
        values = _env_file_values(env_path)
        assert values["MAIL_FROM"] == "MOBILIS Prévention <no-reply@mobilis.example.org>"
        assert values["PROXY_HOPS"] == "1"
        env = {
            "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
            "HOME": str(tmp),
            "LANG": "C.UTF-8",
            **values,
        }

        def flask(*args, timeout=120, **kwargs):
            return subprocess.run(
                [VENV_BIN / "flask", "--app", "app", *args],
                cwd=PROJECT_ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                **kwargs,
            )

        upgraded = flask("db", "upgrade")
        assert upgraded.returncode == 0, upgraded.stderr
        password = secrets.token_urlsafe(18)
        created = flask(
            "create-user",
            "admin@example.org",
            "--role",
            "admin",
            "--name",
            "Première administratrice",
            input=f"{password}\n{password}\n",
        )
        assert created.returncode == 0, created.stderr
        checked = flask("curriculum", "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        # Every public PDF and card, before gunicorn serves them (a few minutes here).
        built = flask("curriculum", "build", timeout=900)
        assert built.returncode == 0, built.stdout + built.stderr

        gunicorn_log = tmp / "gunicorn.log"
        with gunicorn_log.open("wb") as log:
            gunicorn = subprocess.Popen(
                [VENV_BIN / "gunicorn", "-c", "gunicorn.conf.py"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        processes.append(gunicorn)

        # nginx as the current user, everything under tmp (`daemon off` keeps it our child).
        logs = tmp / "nginx-logs"
        logs.mkdir()
        cert, key = tmp / "cert.pem", tmp / "key.pem"
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt"),
                *("ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost"),
                *(
                    "-addext",
                    "subjectAltName=DNS:localhost",
                    "-keyout",
                    str(key),
                    "-out",
                    str(cert),
                ),
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        site_conf = _substitute(
            (DEPLOY / "nginx" / "mobilis.conf").read_text(),
            [
                ("/etc/letsencrypt/live/mobilis.example.org/fullchain.pem", str(cert)),
                ("/etc/letsencrypt/live/mobilis.example.org/privkey.pem", str(key)),
                ("mobilis.example.org", "localhost"),
                ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                ("listen [::]:80;", f"listen [::1]:{http_port};"),
                ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                ("listen [::]:443 ssl http2;", f"listen [::1]:{https_port} ssl http2;"),
                ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
                ("listen [::]:80 default_server;", f"listen [::1]:{http_port} default_server;"),
                (
                    "listen 443 ssl default_server;",
                    f"listen 127.0.0.1:{https_port} ssl default_server;",
                ),
                (
                    "listen [::]:443 ssl default_server;",
                    f"listen [::1]:{https_port} ssl default_server;",
                ),
                ("server 127.0.0.1:8000;", f"server 127.0.0.1:{gunicorn_port};"),
                ("/srv/mobilis/static/", f"{PROJECT_ROOT / 'static'}/"),
                ("/var/log/nginx/", f"{logs}/"),
                ("/var/www/letsencrypt", str(tmp / "acme")),
            ],
        )
        (tmp / "mobilis.conf").write_text(site_conf)
        temp = tmp / "nginx-temp"
        (tmp / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {tmp / "nginx.pid"};
error_log {logs / "main-error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp / "mobilis.conf"};
}}
"""
        )
        temp.mkdir()
        if os.geteuid() == 0:
            # nginx's workers run as nobody when started by root: let them in.
            os.chmod(tmp, 0o755)  # noqa: S103  (a test folder, readable, not writable)
        nginx_command = [NGINX, "-p", str(tmp), "-e", str(logs / "main-error.log")]
        nginx_command += ["-c", str(tmp / "nginx.conf")]
        tested = subprocess.run(
            [*nginx_command, "-t"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert tested.returncode == 0, tested.stderr
        nginx = subprocess.Popen(
            nginx_command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(nginx)

        context = ssl.create_default_context(cafile=str(cert))

        def https(method, path, headers=None, body=None):
            connection = http.client.HTTPSConnection(
                "localhost", https_port, context=context, source_address=(CLIENT, 0), timeout=30
            )
            try:
                sent = {"User-Agent": AGENT, **(headers or {})}
                if method == "GET":
                    # Browsers send none with this site's forms (no-referrer),
                    # but may when arriving from elsewhere.
                    sent.setdefault("Referer", REFERRER)
                connection.request(method, path, body=body, headers=sent)
                response = connection.getresponse()
                return response.status, response.headers, response.read()
            finally:
                connection.close()

        _wait_for(lambda: https("GET", "/healthz")[0] == 200, "gunicorn behind nginx")
        yield {
            "https": https,
            "context": context,
            "redis": redis_server,
            "gunicorn_port": gunicorn_port,
            "https_port": https_port,
            "http_port": http_port,
            "gunicorn": gunicorn,
            "gunicorn_log": gunicorn_log,
            "nginx_access_log": logs / "mobilis-access.log",
            "nginx_logs": logs,
            "password": password,
            "build_output": built.stdout,
            "built": tmp / "instance" / "pdf-cache",
        }
    finally:
        for process in reversed(processes):
            _stop(process)
        redis_server.stop()
        engine = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _json_lines(path):
    lines = path.read_text().splitlines()
    return [json.loads(line) for line in lines]


def test_the_site_answers_over_https_through_nginx(site):
    status, headers, body = site["https"]("GET", "/healthz")
    assert status == 200 and json.loads(body) == {"status": "ok", "database": True}
    status, headers, body = site["https"]("GET", "/fr/")
    assert status == 200
    assert "MOBILIS" in body.decode()
    # ProxyFix trusts nginx's X-Forwarded-Proto: the app knows it is HTTPS.
    assert headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_pack_is_built_before_the_site_serves_it(site):
    """Step 8's build: every public file drawn before gunicorn starts, so the
    first download of the pack is read from disk, then revalidated (304)."""
    summary = re.search(
        r"^(\d+) public files: (\d+) built, 0 unchanged, 0 failed", site["build_output"], re.M
    )
    assert summary and summary.group(1) == summary.group(2), site["build_output"]
    assert "  built /fr/modules/pack.pdf (" in site["build_output"]
    files = [p for p in site["built"].iterdir() if not p.name.startswith(".")]
    assert len(files) == int(summary.group(1))
    status, headers, body = site["https"]("GET", "/fr/modules/pack.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert headers["Content-Length"] == str(len(body))
    assert body in {path.read_bytes() for path in files}, "the file built ahead"
    status, _headers, body = site["https"](
        "GET", "/fr/modules/pack.pdf", headers={"If-None-Match": headers["ETag"]}
    )
    assert status == 304 and body == b""


def test_plain_http_is_sent_to_https(site):
    connection = http.client.HTTPConnection(
        "127.0.0.1", site["http_port"], source_address=(CLIENT, 0), timeout=30
    )
    try:
        connection.request("GET", "/fr/modules/", headers={"Host": "localhost"})
        response = connection.getresponse()
        assert response.status == 301
        assert response.headers["Location"] == "https://localhost/fr/modules/"
    finally:
        connection.close()


def _closed_without_an_answer(connection, host):
    try:
        connection.request("GET", "/fr/", headers={"Host": host})
        connection.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return True
    finally:
        connection.close()
    return False


def test_nginx_closes_any_other_host_name(site):
    """Its default servers: 444 on plain HTTP and HTTPS, no handshake for another name."""
    plain = http.client.HTTPConnection(
        "127.0.0.1", site["http_port"], source_address=(CLIENT, 0), timeout=30
    )
    assert _closed_without_an_answer(plain, "evil.example")
    secure = http.client.HTTPSConnection(
        "localhost",
        site["https_port"],
        context=site["context"],
        source_address=(CLIENT, 0),
        timeout=30,
    )
    assert _closed_without_an_answer(secure, "evil.example")
    anyone = ssl.create_default_context()
    anyone.check_hostname, anyone.verify_mode = False, ssl.CERT_NONE
    with (
        socket.create_connection(("127.0.0.1", site["https_port"]), timeout=30) as raw,
        pytest.raises(ssl.SSLError),
    ):
        anyone.wrap_socket(raw, server_hostname="evil.example")


def test_gunicorn_itself_refuses_another_host_name(site):
    """Reached directly (not through nginx), the app's TRUSTED_HOSTS holds."""

    def direct(host):
        connection = http.client.HTTPConnection("127.0.0.1", site["gunicorn_port"], timeout=30)
        try:
            connection.request("GET", "/healthz", headers={"Host": host})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    assert direct("evil.example")[0] == 400
    # Step 9's check (docs/deploy.md): curl http://127.0.0.1:8000/healthz
    status, body = direct(f"127.0.0.1:{site['gunicorn_port']}")
    assert status == 200 and json.loads(body) == {"database": True, "status": "ok"}


def test_the_rate_limit_counters_are_in_redis(site):
    """Both gunicorn workers count in the one Redis (RATELIMIT_STORAGE_URI)."""
    site["redis"].flush()
    status, headers, body = site["https"]("GET", "/en/login")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body.decode()).group(1)
    status, _headers, _body = site["https"](
        "POST",
        "/en/login",
        headers={
            "Cookie": headers["Set-Cookie"].split(";", 1)[0],
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=f"email=nobody%40example.org&password=wrong&csrf_token={token}",
    )
    assert status == 200
    keys = site["redis"].keys()
    assert keys and all("address:" in key and CLIENT not in key for key in keys), keys


def test_static_files_come_from_disk_with_their_fingerprint(site):
    _status, _headers, body = site["https"]("GET", "/en/")
    url = re.search(r'href="(/static/css/site\.css\?v=([0-9a-f]+))"', body.decode())
    assert url, "the stylesheet's URL carries a fingerprint"
    data = (PROJECT_ROOT / "static" / "css" / "site.css").read_bytes()
    assert url.group(2) == hashlib.sha256(data).hexdigest()[:12]
    status, headers, body = site["https"]("GET", url.group(1))
    assert status == 200 and body == data
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, headers, _body = site["https"]("GET", "/static/css/site.css")
    assert status == 200 and headers["Cache-Control"] == "public, max-age=300"
    # nginx answered: gunicorn never saw a static request.
    assert not [
        line
        for line in _json_lines(site["gunicorn_log"])
        if line.get("endpoint") == "static" or "/static" in line.get("route", "")
    ]


def test_the_first_admin_signs_in_with_a_secure_cookie(site):
    https = site["https"]
    status, headers, body = https("GET", "/fr/login")
    assert status == 200
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body.decode()).group(1)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    form = f"email=admin%40example.org&password={site['password']}&csrf_token={token}"
    status, headers, _body = https(
        "POST",
        "/fr/login",
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        body=form,
    )
    assert status == 302, "the password was accepted"
    assert not headers["Location"].endswith("/fr/login")
    session_cookie = headers["Set-Cookie"]
    assert session_cookie.startswith("mobilis_session=")
    assert "; Secure" in session_cookie and "; HttpOnly" in session_cookie
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    status, _headers, _body = https(
        "GET", headers["Location"], headers={"Cookie": session_cookie.split(";", 1)[0]}
    )
    assert status == 200


def _settled_count(path):
    """The number of lines once the log stops growing: nginx writes a request's
    line after sending its answer, so the last test's line may still come."""
    count = len(_json_lines(path))
    while True:
        time.sleep(0.3)
        now = len(_json_lines(path))
        if now == count:
            return count
        count = now


def _healthz_lines(path):
    return [line for line in _json_lines(path) if line.get("route") == "/healthz"]


def test_a_help_page_leaves_no_trace_of_the_visitor(site):
    nginx_before = _settled_count(site["nginx_access_log"])
    gunicorn_before = len(_healthz_lines(site["gunicorn_log"]))
    status, _headers, _body = site["https"]("GET", "/fr/help/?source=poster-secret")
    assert status == 200
    # A page that is logged, after it: once its line is there, the help
    # page's would be too (its answer was sent first).
    assert site["https"]("GET", "/healthz")[0] == 200
    _wait_for(
        lambda: len(_json_lines(site["nginx_access_log"])) > nginx_before, "the /healthz line"
    )
    _wait_for(
        lambda: len(_healthz_lines(site["gunicorn_log"])) > gunicorn_before,
        "gunicorn's /healthz line",
    )
    time.sleep(0.5)  # gunicorn writes its access line after the response
    # gunicorn writes no access line for a student's page (gunicorn.conf.py,
    # tests/test_help_logs.py), and logs the other pages.
    gunicorn_lines = _json_lines(site["gunicorn_log"])
    assert not [line for line in gunicorn_lines if line.get("endpoint") == "help.ask"]
    nginx_lines = _json_lines(site["nginx_access_log"])
    assert len(nginx_lines) == nginx_before + 1, "nginx keeps no line for the help pages"
    assert nginx_lines, "other pages are logged, as JSON lines"
    for path in [site["gunicorn_log"], *site["nginx_logs"].iterdir()]:
        text = path.read_text()
        for trace in (CLIENT, AGENT, "referrer.invalid", "poster-secret"):
            assert trace not in text, f"{trace} in {path.name}"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_systemd_units_verify(tmp_path):
    """The units with /srv/mobilis pointing at this checkout (their executables exist)."""
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace("/srv/mobilis", str(PROJECT_ROOT))
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(path) for path in tmp_path.iterdir())
    assert len(units) == 7
    result = subprocess.run(
        ["systemd-analyze", "verify", *units],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_runbook_installs_the_packages_make_test_installs():
    """Step 1's apt-get line names exactly docs/deploy/debian-packages, the list
    scripts/install-test-deps installs (so every test runs on those packages)."""
    runbook = (PROJECT_ROOT / "docs/deploy.md").read_text()
    command = re.search(r"apt-get install --no-install-recommends (.+?)\n   ```", runbook, re.S)
    named = set(command.group(1).replace("\\", " ").split())
    listed = {
        line.strip()
        for line in (PROJECT_ROOT / "docs/deploy/debian-packages").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert named == listed
    assert "docs/deploy/debian-packages" in (PROJECT_ROOT / "scripts/install-test-deps").read_text()
    if shutil.which("dpkg-query"):
        for package in sorted(listed):
            status = subprocess.run(
                ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
            ).stdout
            assert status == "install ok installed", package


def _runbook_commands(first_step, next_step):
    """The shell lines of docs/deploy.md's steps from `first_step` up to `next_step`."""
    runbook = (PROJECT_ROOT / "docs/deploy.md").read_text()
    start = runbook.index(f"\n{first_step}. **")
    section = runbook[start : runbook.index(f"\n{next_step}. **", start)]
    blocks = re.findall(r"```sh\n(.*?)\n\s*```", section, re.S)
    assert blocks, f"no commands in steps {first_step} to {next_step - 1}"
    return "\n".join(line.strip() for block in blocks for line in block.splitlines())


@pytest.mark.skipif(
    not PG_URL or os.geteuid() != 0 or not shutil.which("adduser") or not shutil.which("runuser"),
    reason="as root in the PostgreSQL run only (it makes a system user)",
)
def test_steps_2_and_3_make_the_site_user_its_code_and_its_virtualenv():
    """docs/deploy.md's steps 2 and 3 as written, with only the names changed: a system
    user (a throw-away one), the code cloned as that user from a copy standing
    for the project's repository, the folders, the virtualenv with `pip install .`
    and the catalogs; then the installed site, run from its folder as its user,
    finds its modules. The user and its files are removed afterwards."""
    user = f"mbl-{secrets.token_hex(3)}"
    # Not under pytest's temporary folder, which only root may enter.
    top = Path(tempfile.mkdtemp(prefix="site-deploy-"))  # no "mobilis": see below
    top.chmod(0o755)
    home, backups, remote = top / "srv" / "site", top / "backups", top / "site.git"
    subprocess.run(
        ["git", "clone", "--quiet", "--bare", str(PROJECT_ROOT), str(remote)],
        check=True,
        timeout=60,
    )
    script = _substitute(
        _runbook_commands(2, 4),
        [
            ("https://example.org/mobilis.git", str(remote)),
            ("/srv/mobilis", str(home)),
            ("/var/backups/mobilis", str(backups)),
        ],
    )
    script = re.sub(r"\bmobilis\b", user, script)
    (top / "srv").mkdir()
    try:
        # The project's repository belongs to whoever clones from it (git
        # refuses a repository of another owner): the new user's, once made.
        first, rest = script.split("\n", 1)
        subprocess.run(["sh", "-ec", first], check=True, timeout=60, capture_output=True)
        subprocess.run(["chown", "-R", user, str(remote)], check=True, timeout=60)
        subprocess.run(["sh", "-ec", rest], check=True, timeout=600, capture_output=True)
        assert (home / "instance").stat().st_mode & 0o777 == 0o700
        assert backups.owner() == user and home.owner() == user
        result = subprocess.run(
            ["runuser", "-u", user, "--", "sh", "-c",
             'cd "$1" && .venv/bin/flask --app app curriculum check && '
             '.venv/bin/python -c "import app; print(app.__file__)"', "sh", str(home)],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert "modules, no problem." in result.stdout
        assert str(home / "app" / "__init__.py") in result.stdout
        assert list((home / "translations").glob("*/LC_MESSAGES/messages.mo"))
    finally:
        subprocess.run(["deluser", "--quiet", user], check=False, timeout=60, capture_output=True)
        subprocess.run(["delgroup", "--quiet", user], check=False, timeout=60, capture_output=True)
        shutil.rmtree(top, ignore_errors=True)
