"""The WSGI layers around the application, innermost first.

The public page cache (app/pagecache.py) answers anonymous pages from memory;
outside it, the host check (app/hosts.py) refuses unknown host names; outermost,
ProxyFix reads what the reverse proxy says of the visitor.
"""

from werkzeug.middleware.proxy_fix import ProxyFix

from app.forms import CsrfSessions
from app.hosts import TrustedHostsOnly
from app.pagecache import PublicPageCache


def wrap(app):
    """Put the layers the settings ask for around `app.wsgi_app`."""
    if app.config["PUBLIC_PAGE_CACHE_BYTES"]:
        app.wsgi_app = PublicPageCache(
            app.wsgi_app,
            version=app.extensions["curriculum"].version,
            max_bytes=app.config["PUBLIC_PAGE_CACHE_BYTES"],
            csrf_sessions=CsrfSessions(app),
        )
    # Before the page cache: an unknown host name is never a key there, nor
    # in the PDF cache behind the views (app/hosts.py).
    app.wsgi_app = TrustedHostsOnly(app.wsgi_app, app)
    if app.config["PROXY_HOPS"]:
        # Outermost, so that the host check, the page cache's key and the app
        # all see the visitor's scheme and host (and the rate limiter the real client).
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
