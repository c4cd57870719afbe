"""Django settings, read from the environment. SQLite under ./govwatch-data/ needs no settings at all."""

from __future__ import annotations

import os
import secrets
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url


def envbool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DATA_DIR = Path(os.environ.get("GOVWATCH_DATA_DIR", "govwatch-data")).resolve()

# Everything we create is ours alone: the database (password hashes), WARCs, uploads, exports.
# A process-wide umask reaches files made by SQLite, warcio and the crawl child (which inherits
# it) as well as our own: new files 0600, new folders 0700. GOVWATCH_UMASK=022 shares them.
os.umask(int(os.environ.get("GOVWATCH_UMASK", "077"), 8))


def _secret_key() -> str:
    if os.environ.get("GOVWATCH_SECRET_KEY"):
        return os.environ["GOVWATCH_SECRET_KEY"]
    # A per-installation key kept beside the data, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(key)
            path.chmod(0o600)
        except OSError:
            pass
        return key


SECRET_KEY = _secret_key()
DEBUG = envbool("GOVWATCH_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("GOVWATCH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "govwatch.catalog",
    "govwatch.monitoring",
    "govwatch.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under gunicorn, no extra web server
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "govwatch.web.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "govwatch.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "govwatch.web.context.nav",
            ],
        },
    },
]
WSGI_APPLICATION = "govwatch.wsgi.application"

_default_db = f"sqlite:///{DATA_DIR / 'govwatch.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("GOVWATCH_DATABASE_URL") or _default_db, conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=30,  # seconds a writer waits for another process's write (several workers, web + worker)
        # Transactions take the write lock when they begin. With SQLite's default (deferred) a
        # transaction that reads and then writes while another process writes fails at once with
        # "database is locked" instead of waiting: two workers registering their sites together did.
        transaction_mode="IMMEDIATE",
        # Write-ahead log: readers (the dashboard, a worker's reads) never wait for a writer's
        # publish, and a writer never waits for readers. Local disks only (not over NFS).
        init_command="PRAGMA journal_mode=WAL;",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GOVWATCH_STATIC_ROOT", DATA_DIR / "static")).resolve()
# `govwatch serve` runs collectstatic into STATIC_ROOT on start and WhiteNoise serves it from there
# (the builtin server and `govwatch demo` serve straight from the apps). Compressed copies, no
# manifest: a missing manifest never breaks a page.
warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise, before the first collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
LOGIN_URL = "/accounts/login/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": envint("GOVWATCH_PASSWORD_MIN_LENGTH", 10)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("GOVWATCH_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production behind HTTPS (docs/operations.md): `django-admin check --deploy` is clean with
# GOVWATCH_SECURE_COOKIES=1, GOVWATCH_SSL_REDIRECT=1 and GOVWATCH_HSTS_SECONDS=31536000.
SECURE_SSL_REDIRECT = envbool("GOVWATCH_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("GOVWATCH_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("GOVWATCH_HSTS_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = envbool("GOVWATCH_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
if envbool("GOVWATCH_BEHIND_PROXY", False):
    # Only behind a reverse proxy that sets (and strips from clients) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("GOVWATCH_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
# Web app security (govwatch.web): short sessions that end with the browser, no cross-site cookies.
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("GOVWATCH_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Largest uploaded image (a stamp, a screenshot) in pixels: Pillow reads this from the header,
# before decoding, so a small file that would inflate to gigabytes is refused.
GOVWATCH_MAX_IMAGE_PIXELS = envint("GOVWATCH_MAX_IMAGE_PIXELS", 24_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
if os.environ.get("GOVWATCH_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["GOVWATCH_CACHE_URL"]}}

# Login throttling (docs/decisions.md): django-axes checks every authenticate() call, the
# dashboard's login and the admin's alike, and counts failures where all workers see them: in
# the database, or in the shared cache when GOVWATCH_CACHE_URL (Redis) is set. Failures count
# per username and, separately, per client address; either reaching the limit locks it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = ("axes.handlers.cache.AxesCacheHandler" if os.environ.get("GOVWATCH_CACHE_URL")
                else "axes.handlers.database.AxesDatabaseHandler")
AXES_FAILURE_LIMIT = envint("GOVWATCH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("GOVWATCH_LOGIN_LOCK_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "govwatch.web.throttle.client_ip"
AXES_LOCKOUT_CALLABLE = "govwatch.web.throttle.lockout_response"
AXES_VERBOSE = False
# The request header a trusted reverse proxy sets to the client's address (e.g. X-Real-IP or
# X-Forwarded-For). Empty: REMOTE_ADDR, since any client can send such headers itself.
GOVWATCH_TRUSTED_PROXY_HEADER = os.environ.get("GOVWATCH_TRUSTED_PROXY_HEADER", "").strip()

# Where runs keep their WARC files and crawl state.
RUNS_DIR = Path(os.environ.get("GOVWATCH_RUNS_DIR", DATA_DIR / "runs")).resolve()
# A run with no progress for this long is failed with a reason (pipeline/watchdog.py); 0: never.
RUN_STALL_SECONDS = envint("GOVWATCH_RUN_STALL_SECONDS", 30 * 60)
BROKER_URL = os.environ.get("GOVWATCH_BROKER_URL", "")

# E-mail (digests after each run). Without GOVWATCH_SMTP_HOST mail is printed to the console.
EMAIL_BACKEND = os.environ.get(
    "GOVWATCH_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.environ.get("GOVWATCH_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
# Mail reaches people only through SMTP (or a backend the operator names); the console backend
# prints it to the server's log.
GOVWATCH_MAIL_CONFIGURED = bool(os.environ.get("GOVWATCH_SMTP_HOST") or os.environ.get("GOVWATCH_EMAIL_BACKEND"))
# Password reset by e-mail: off unless mail is configured and the office turns it on.
GOVWATCH_PASSWORD_RESET = envbool("GOVWATCH_PASSWORD_RESET", False)
EMAIL_HOST = os.environ.get("GOVWATCH_SMTP_HOST", "localhost")
EMAIL_PORT = envint("GOVWATCH_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("GOVWATCH_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GOVWATCH_SMTP_PASSWORD", "")
EMAIL_USE_TLS = envbool("GOVWATCH_SMTP_TLS", False)
EMAIL_USE_SSL = envbool("GOVWATCH_SMTP_SSL", False)
EMAIL_TIMEOUT = envint("GOVWATCH_SMTP_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("GOVWATCH_MAIL_FROM", "govwatch@localhost")
# The office's addresses for the run summary, comma-separated.
GOVWATCH_OFFICE_EMAILS = [a.strip() for a in os.environ.get("GOVWATCH_OFFICE_EMAILS", "").split(",") if a.strip()]
# Public address of the web app, for links in e-mails (optional).
GOVWATCH_BASE_URL = os.environ.get("GOVWATCH_BASE_URL", "").rstrip("/")

# Called with each run once it is published (govwatch.pipeline.hooks): notifiers hang here,
# so the pipeline never imports them.
GOVWATCH_AFTER_PUBLISH_HOOKS = ["govwatch.reports.digests.send_after_publish",
                                # group robots and webhooks named in the site configuration (Apprise)
                                "govwatch.reports.notify.send_after_publish"]
