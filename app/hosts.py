"""Only the site's own host names are served.

The Host header (or X-Forwarded-Host, behind PROXY_HOPS trusted proxies) ends
up in cache keys and in the absolute URLs the site writes: a module PDF's QR
code, calendar feeds, share links. Were any name accepted, every new one would
be a fresh page in the page cache and a fresh PDF rendered and kept on disk.

`TRUSTED_HOSTS` (Flask's own setting: the names, port ignored) lists them.
This WSGI middleware refuses anything else with a short 400 before the page
cache, the session, the rate limiter or a view sees the request; inside, Flask
checks the same list again. In production nginx's default server closes such
connections first (docs/deploy/nginx/mobilis.conf).

A port is no part of a name here: `localhost:1`, `localhost:2`... would each be
a new page-cache key and a new PDF. So a port other than the one the server
itself listens on (the socket's, which no header sets), or the scheme's
default, is dropped from the Host before the request goes on; the server's
own port is kept, so that the links of `make run` (port 5000) keep working.
Behind nginx the Host never carries a port ($host).
"""

import logging

from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.sansio.utils import get_host
from werkzeug.wrappers import Request

logger = logging.getLogger(__name__)


def host_is_served(environ, trusted_hosts):
    """Whether the request names one of `trusted_hosts`, as Flask would decide.

    An empty list serves every name (Flask's meaning of TRUSTED_HOSTS = None).
    """
    if not trusted_hosts:
        return True
    server = environ.get("SERVER_NAME")
    port = environ.get("SERVER_PORT")
    try:
        get_host(
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST"),
            (server, int(port)) if server and port and port.isdigit() else None,
            trusted_hosts,
        )
    except SecurityError:
        return False
    return True


def split_port(host):
    """(name, port or None) of a Host value; an IPv6 literal keeps its brackets."""
    if host.startswith("["):
        name, _, rest = host.partition("]")
        port = rest[1:] if rest.startswith(":") else None
        return f"{name}]", port
    name, colon, port = host.rpartition(":")
    return (name, port) if colon else (host, None)


def _own_port(environ):
    """The port the server was reached on: before ProxyFix rewrote it from a
    forwarded header, if it did."""
    original = environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("SERVER_PORT") or environ.get("SERVER_PORT")


DEFAULT_PORTS = {"http": "80", "https": "443"}


def _drop_foreign_port(environ):
    """Keep the Host's port only when it is the server's own and not the
    scheme's default (which URLs leave out anyway): one key per name."""
    host = environ.get("HTTP_HOST")
    if not host:
        return
    name, port = split_port(host)
    if port is None:
        return
    default = DEFAULT_PORTS.get(environ.get("wsgi.url_scheme"))
    if port != _own_port(environ) or port == default:
        environ["HTTP_HOST"] = name


class TrustedHostsOnly:
    """Answers 400 to a request for a host name the site does not serve."""

    def __init__(self, wsgi_app, flask_app):
        self.wsgi_app = wsgi_app
        self.flask_app = flask_app
        self._warned = False

    def __call__(self, environ, start_response):
        if host_is_served(environ, self.flask_app.config["TRUSTED_HOSTS"]):
            _drop_foreign_port(environ)
            return self.wsgi_app(environ, start_response)
        if not self._warned:
            # Once per process: a wrong TRUSTED_HOSTS shows at once in the log,
            # and a flood of made-up names does not fill it.
            self._warned = True
            logger.warning("refused a request for a host name not in TRUSTED_HOSTS")
        lang, text = self._refusal(environ)
        body = text.encode()
        start_response(
            "400 BAD REQUEST",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Content-Language", lang),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _refusal(self, environ):
        """(language, text): the URL's language, else the browser's, else French."""
        config = self.flask_app.config
        languages = config["LANGUAGES"]
        request = Request(environ)
        prefix = request.path.strip("/").split("/", 1)[0]
        lang = (
            prefix
            if prefix in languages
            else request.accept_languages.best_match(languages, config["DEFAULT_LANGUAGE"])
        )
        with self.flask_app.app_context(), force_locale(config["LOCALES"][lang]):
            return lang, _("This site does not answer to this host name.")
