"""Settings, read from the environment with safe defaults.

Values may also come from `.env` / `.flaskenv` (loaded by the `flask` command
and by `create_app` through python-dotenv). Nothing here touches the disk;
app/instance.py fills in what depends on the instance folder.
"""

import os
from datetime import timedelta
from pathlib import Path

# The repository's root: static/, curriculum/, translations/ and docs/ are there.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value else default


def _names(name, default):
    """A comma-separated list of names, e.g. TRUSTED_HOSTS=a.example.org,b.example.org."""
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [part.strip() for part in value.split(",") if part.strip()]


class Config:
    """Defaults for every environment; `from_env()` reads the overrides."""

    # Filled from the instance folder when left empty (app/instance.py).
    SECRET_KEY = None
    DATABASE_URL = None

    LANGUAGES = ("fr", "en")
    DEFAULT_LANGUAGE = "fr"
    # Locales used for formatting; the catalogs are per language (fr/, en/).
    LOCALES = {"fr": "fr_CA", "en": "en_CA"}
    BABEL_DEFAULT_LOCALE = "fr_CA"
    BABEL_DEFAULT_TIMEZONE = "America/Montreal"

    # A staff session lasts while it is used: it ends after this much idle
    # time, and in any case after SESSION_ABSOLUTE_HOURS from the sign-in.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=2)
    SESSION_ABSOLUTE_HOURS = 12
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_NAME = "mobilis_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Also made Secure per request whenever the request came over HTTPS.
    SESSION_COOKIE_SECURE = False

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Flask-WTF refuses an HTTPS POST whose Referer is missing or foreign; every
    # page here says Referrer-Policy: no-referrer (students' privacy), so
    # browsers send none and every form would fail behind HTTPS. The CSRF
    # token and the SameSite=Lax session cookie remain the protection.
    WTF_CSRF_SSL_STRICT = False

    # Sign-in throttling (app/accounts/throttle.py): pauses, never a lock.
    # After LOGIN_MAX_FAILURES wrong passwords from one address for one e-mail
    # (LOGIN_ADDRESS_MAX_FAILURES from one address, LOGIN_ACCOUNT_MAX_FAILURES
    # for one e-mail from anywhere), the next attempt waits
    # LOGIN_FIRST_DELAY_SECONDS, doubling at each failure, at most
    # LOGIN_LOCK_MINUTES. PASSWORD_RESET_HOURS: how long a reset link lives.
    LOGIN_MAX_FAILURES = 5
    LOGIN_ADDRESS_MAX_FAILURES = 30
    LOGIN_ACCOUNT_MAX_FAILURES = 30
    LOGIN_FIRST_DELAY_SECONDS = 30
    LOGIN_LOCK_MINUTES = 15
    PASSWORD_RESET_HOURS = 24
    LOGIN_RATE_LIMIT = "10 per minute"

    # argon2id parameters: argon2-cffi's defaults, RFC 9106's "low memory"
    # profile (3 passes, 64 MiB, 4 lanes). Tests lower them to run fast.
    PASSWORD_HASH_PARAMETERS = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}

    # In this process's memory (app/ratelimit_memory.py); Redis in production.
    RATELIMIT_STORAGE_URI = "memory-swept://"
    RATELIMIT_HEADERS_ENABLED = False
    # When Redis does not answer (app/security.py gives it a second), each
    # process counts in its own memory until Redis is back, and a storage error
    # never turns a request into a 500: the site keeps answering, with limits
    # per host for that while (docs/security.md, "Rate limits").
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True

    # The modules' folder, and how often (seconds) to look for edited files.
    CURRICULUM_PATH = None  # default: <project>/curriculum
    CURRICULUM_RELOAD_SECONDS = 2
    # The public PDFs and cards, built ahead and named by a digest of their
    # inputs (app/pdfbuild.py; default: <instance>/pdf-cache), and how long a
    # browser may keep one before asking again (it then revalidates: ETag).
    PDF_CACHE_DIR = None
    PDF_MAX_AGE = 3600
    # Room on disk for the files of other versions than the current one (a
    # host on the previous release): past it, the oldest go after each full
    # build. The current files are always kept.
    PDF_CACHE_MAX_BYTES = 256 * 1024 * 1024
    # Build the public files in the background when a process starts (beside
    # `flask curriculum build`); the tests build when they choose.
    PDF_BUILD_AT_START = True
    # The site's public address, printed on the files (the QR code to the
    # question page) whoever builds them and whatever name a visitor used.
    # Its host must be one of TRUSTED_HOSTS. The default is `make run`'s.
    PUBLIC_URL = "http://127.0.0.1:5000"

    # Public pages kept in memory per process for visitors without a cookie
    # (app/pagecache.py); 0 turns the cache off.
    PUBLIC_PAGE_CACHE_BYTES = 64 * 1024 * 1024

    # Minutes a presenter needs between two schools on the same day.
    TRAVEL_MINUTES = 30

    # The anonymous box. Keys: filled from the instance folder when empty
    # (app/help/vault.py); HELP_ENCRYPTION_KEYS is a comma-separated list of
    # 32-byte URL-safe base64 keys, the first one encrypting.
    HELP_ENCRYPTION_KEYS = None
    HELP_PASSPHRASE_KEY = None
    HELP_RETENTION_DAYS = 90  # after closing
    HELP_INACTIVE_DAYS = 180  # an open conversation nobody wrote in
    # Urgent alerts (app/help/alerts.py): sent by a thread in each process
    # ("thread") or only by `flask help send-alerts` ("off"); the thread's
    # pass interval; minutes after which an urgent question nobody opened
    # alerts again, the coordinators too.
    HELP_ALERT_RUNNER = "thread"
    HELP_ALERT_INTERVAL_SECONDS = 60
    HELP_URGENT_REMINDER_MINUTES = 30
    HELP_ASK_RATE_LIMIT = "60 per minute"  # per address: a whole class may share one
    HELP_CHECK_RATE_LIMIT = "5 per minute"  # passphrase tries per browser
    # Messages from an open conversation per browser: a teen writes in bursts.
    HELP_REPLY_RATE_LIMIT = "20 per minute"
    HELP_CHECK_RATE_LIMIT_PER_ADDRESS = "30 per minute"

    # The evaluation (app/evaluation): the key class codes are derived from
    # (filled from the instance folder when empty, like the help's keys), and
    # the questionnaire's rate limits: pages per address (a class shares one),
    # submissions per browser.
    EVALUATION_CODE_KEY = None
    EVALUATION_PAGE_RATE_LIMIT = "120 per minute"
    EVALUATION_SEND_RATE_LIMIT = "6 per minute"
    EVALUATION_FEEDBACK_RATE_LIMIT = "20 per hour"  # teachers' feedback, per address

    # Reports: counts from 1 to this number minus one are shown as "<5" in
    # anything that leaves the partnership (exports, PDF, API).
    REPORT_SUPPRESSION_THRESHOLD = 5

    # The public request form (app/presentations/request_views.py): requests
    # per address, and the fewest seconds between showing the form and sending it.
    REQUEST_RATE_LIMIT = "10 per hour"
    REQUEST_MIN_SECONDS = 3

    # E-mail (app/mail.py): console, memory or smtp.
    MAIL_BACKEND = "console"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_FROM = "MOBILIS Prévention <no-reply@mobilis.invalid>"
    MAIL_TIMEOUT = 10  # seconds to wait for the SMTP server at each step

    # Serving (gunicorn.conf.py, docs/deploy/). PROXY_HOPS: how many reverse
    # proxies in front of the app set X-Forwarded-For/-Proto/-Host; 0 when the
    # app is reached directly (those headers are then ignored: anyone can send
    # them). LOG_FORMAT: "json" for JSON lines (app/jsonlog.py), anything else
    # for Flask's plain text. STATIC_MAX_AGE: seconds a static file may be kept
    # when its URL lacks the current fingerprint (app/static_files.py).
    PROXY_HOPS = 0
    LOG_FORMAT = "text"
    STATIC_MAX_AGE = 300

    # The host names the site answers to (Flask's setting; app/hosts.py): the
    # public name(s) in production, comma-separated in the environment. Any
    # other Host gets a 400 before the page cache, the PDF cache or a view sees
    # it. The default serves only this machine (development, tests, `make run`).
    TRUSTED_HOSTS = ("localhost", "127.0.0.1")

    # Request bodies (app/bodysize.py): a larger one is refused with a 413
    # page before it is read. The school and class-group imports (CSV files of
    # at most 1 MiB, app/schools/csvrows.py) may send IMPORT_MAX_CONTENT_LENGTH.
    MAX_CONTENT_LENGTH = 1024 * 1024
    IMPORT_MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    SQLITE_BUSY_TIMEOUT_MS = 5000
    USERS_PER_PAGE = 25

    @classmethod
    def from_env(cls):
        """Return the settings as a dict, environment first, then defaults."""
        settings = {k: v for k, v in vars(cls).items() if k.isupper()}
        for name in (
            "SECRET_KEY",
            "DATABASE_URL",
            "RATELIMIT_STORAGE_URI",
            "CURRICULUM_PATH",
            "PDF_CACHE_DIR",
            "PUBLIC_URL",
            "HELP_ENCRYPTION_KEYS",
            "HELP_PASSPHRASE_KEY",
            "HELP_ASK_RATE_LIMIT",
            "HELP_CHECK_RATE_LIMIT",
            "HELP_REPLY_RATE_LIMIT",
            "HELP_CHECK_RATE_LIMIT_PER_ADDRESS",
            "EVALUATION_CODE_KEY",
            "EVALUATION_PAGE_RATE_LIMIT",
            "EVALUATION_SEND_RATE_LIMIT",
            "EVALUATION_FEEDBACK_RATE_LIMIT",
            "REQUEST_RATE_LIMIT",
            "MAIL_BACKEND",
            "MAIL_SERVER",
            "MAIL_USERNAME",
            "MAIL_PASSWORD",
            "MAIL_FROM",
            "HELP_ALERT_RUNNER",
        ):
            if os.environ.get(name):
                settings[name] = os.environ[name]
        settings["SESSION_COOKIE_SECURE"] = _bool("SESSION_COOKIE_SECURE")
        settings["LOGIN_MAX_FAILURES"] = _int("LOGIN_MAX_FAILURES", cls.LOGIN_MAX_FAILURES)
        settings["LOGIN_LOCK_MINUTES"] = _int("LOGIN_LOCK_MINUTES", cls.LOGIN_LOCK_MINUTES)
        for name in (
            "LOGIN_ADDRESS_MAX_FAILURES",
            "LOGIN_ACCOUNT_MAX_FAILURES",
            "LOGIN_FIRST_DELAY_SECONDS",
            "PASSWORD_RESET_HOURS",
        ):
            settings[name] = _int(name, getattr(cls, name))
        settings["TRAVEL_MINUTES"] = _int("TRAVEL_MINUTES", cls.TRAVEL_MINUTES)
        for name in (
            "HELP_RETENTION_DAYS",
            "HELP_INACTIVE_DAYS",
            "HELP_ALERT_INTERVAL_SECONDS",
            "HELP_URGENT_REMINDER_MINUTES",
            "MAIL_TIMEOUT",
        ):
            settings[name] = _int(name, getattr(cls, name))
        settings["REPORT_SUPPRESSION_THRESHOLD"] = _int(
            "REPORT_SUPPRESSION_THRESHOLD", cls.REPORT_SUPPRESSION_THRESHOLD
        )
        settings["REQUEST_MIN_SECONDS"] = _int("REQUEST_MIN_SECONDS", cls.REQUEST_MIN_SECONDS)
        settings["MAIL_PORT"] = _int("MAIL_PORT", cls.MAIL_PORT)
        settings["MAIL_USE_TLS"] = _bool("MAIL_USE_TLS")
        settings["PUBLIC_PAGE_CACHE_BYTES"] = _int(
            "PUBLIC_PAGE_CACHE_BYTES", cls.PUBLIC_PAGE_CACHE_BYTES
        )
        settings["PDF_BUILD_AT_START"] = _bool("PDF_BUILD_AT_START", cls.PDF_BUILD_AT_START)
        settings["PROXY_HOPS"] = _int("PROXY_HOPS", cls.PROXY_HOPS)
        settings["LOG_FORMAT"] = os.environ.get("LOG_FORMAT") or cls.LOG_FORMAT
        settings["STATIC_MAX_AGE"] = _int("STATIC_MAX_AGE", cls.STATIC_MAX_AGE)
        settings["TRUSTED_HOSTS"] = _names("TRUSTED_HOSTS", cls.TRUSTED_HOSTS)
        for name in ("MAX_CONTENT_LENGTH", "IMPORT_MAX_CONTENT_LENGTH", "PDF_CACHE_MAX_BYTES"):
            settings[name] = _int(name, getattr(cls, name))
        if os.environ.get("LOGIN_RATE_LIMIT"):
            settings["LOGIN_RATE_LIMIT"] = os.environ["LOGIN_RATE_LIMIT"]
        return settings
