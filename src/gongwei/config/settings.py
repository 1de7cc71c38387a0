"""Settings for gongwei.

One settings module for every deployment; what differs between a demo on a clinic PC and a
county server comes from the environment:

- ``DATABASE_URL``: PostgreSQL for a county (``postgres://…``); unset means the embedded
  SQLite database under ``GONGWEI_VAR`` (WAL mode).
- ``GONGWEI_VAR``: folder for the SQLite database and generated files (default ``./var``).
- ``GONGWEI_SECRET_KEY``: required when ``GONGWEI_DEBUG`` is off and the site is not the demo;
  otherwise a key is generated once and kept in ``var/secret_key``.
- ``GONGWEI_DEBUG``: ``1`` for development.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GONGWEI_VAR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("GONGWEI_DEBUG", "") == "1"


def _secret_key() -> str:
    if key := os.environ.get("GONGWEI_SECRET_KEY"):
        return key
    # A key that survives restarts, so sessions do too, without the operator having to
    # invent one for a demo.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("GONGWEI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
] + ["testserver"]

# Each national programme is one folder under programmes/ (a Django app); adding a
# programme touches that folder only.
PROGRAMME_APPS = sorted(
    f"gongwei.programmes.{p.name}" for p in (BASE_DIR / "programmes").iterdir()
    if (p / "apps.py").exists()
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "gongwei.orgs",
    "gongwei.audit",
    "gongwei.people",
    "gongwei.care",
    *PROGRAMME_APPS,
    "gongwei.indicators",
    "gongwei.quality",
    "gongwei.reports",
    "gongwei.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gongwei.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "gongwei.orgs.access.ScopeDeclaredMiddleware",
    # Last, so that it sees the outcome of authentication of the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongwei.config.urls"
WSGI_APPLICATION = "gongwei.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongwei.web.context.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Work lists are many small index scans; starting parallel workers for them cost more
        # than it saved (township list p95 71 → 49 ms at 500,000 residents, county indicators
        # unchanged; docs/benchmarks.md). GONGWEI_PG_OPTIONS overrides.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
            "GONGWEI_PG_OPTIONS", "-c max_parallel_workers_per_gather=0")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "gongwei.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while a visit is written; IMMEDIATE takes the write
                # lock at BEGIN so two writers wait instead of failing half-way with
                # "database is locked".
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# care_visit_latest_idx covers its columns on PostgreSQL; SQLite builds it on the key columns
# only, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: five wrong passwords lock the account from that address for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
# axes logs the username of every failed attempt by default; usernames of village doctors
# are personal data, so it stays quiet and the attempts live only in its table.
AXES_VERBOSE = False

# Sessions end after 30 minutes without a request; every request extends them.
SESSION_COOKIE_AGE = int(os.environ.get("GONGWEI_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Behind HTTPS in a county deployment; the demo is plain HTTP on loopback.
SECURE_COOKIES = os.environ.get("GONGWEI_HTTPS", "") == "1"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the pages use is served by this site (intranets have no internet): no inline
# script, no remote origin, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
# Front-end packages from the npm registry (package.json), installed by `make` into
# node_modules/; never copied into the repository. Pages work without them (tables instead
# of charts) when a machine could not install them.
REPO_DIR = BASE_DIR.parent.parent
ECHARTS_DIR = Path(os.environ.get("GONGWEI_ECHARTS_DIR", REPO_DIR / "node_modules" / "echarts" / "dist"))
STATICFILES_DIRS = [("echarts", ECHARTS_DIR)] if (ECHARTS_DIR / "echarts.min.js").exists() else []
ECHARTS_AVAILABLE = bool(STATICFILES_DIRS)
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo serves straight from the installed packages, so no collectstatic step can be
# forgotten; a county server runs collectstatic once at install (`gongwei deploy-check`).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Logging: never personal data --------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "gongwei.orgs.logredact.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Request lines carry query strings, and search queries are names and ID numbers.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # One INFO line per login attempt is noise; failures and lockouts stay (masked).
        "axes": {"level": "WARNING"},
    },
}
