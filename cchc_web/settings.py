"""Django settings. Zero configuration on SQLite; everything else from environment variables
(see .env.example). `DJANGO_ENV` is `development` or `production`, nothing else;
`production` refuses to start with a default or weak secret key (Django's W009) or DEBUG on,
and turns on secure cookies and headers."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from cchc_web import env

BASE_DIR = Path(__file__).resolve().parent
ROOT_DIR = BASE_DIR.parent
# Data lives outside the package and outside any web root: database, uploaded files.
DATA_DIR = env.path("CCHC_DATA_DIR", ROOT_DIR / "var")
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_SECRET = "cchc-development-only-not-secret"
# Only the exact known names: a typo ("Production", "prod") must not run development mode.
ENVIRONMENT = env.choice("DJANGO_ENV", ("development", "production"), "development")
PRODUCTION = ENVIRONMENT == "production"
SECRET_KEY = env.text("DJANGO_SECRET_KEY", DEFAULT_SECRET)
DEBUG = env.flag("DJANGO_DEBUG", default=not PRODUCTION)
if PRODUCTION:
    # Django's `check --deploy` W009, as an error: at least 50 characters, at least 5
    # different ones, not a generated 'django-insecure-' key.
    if SECRET_KEY == DEFAULT_SECRET or env.weak_secret(SECRET_KEY):
        raise env.ConfigError(
            "DJANGO_ENV=production cần DJANGO_SECRET_KEY riêng, ngẫu nhiên: ít nhất 50 ký "
            "tự, ít nhất 5 ký tự khác nhau, không bắt đầu bằng 'django-insecure-'.")
    if DEBUG:
        raise env.ConfigError("DJANGO_ENV=production không được bật DJANGO_DEBUG.")

ALLOWED_HOSTS = env.words("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env.words("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs page's Swagger UI files, served from here (no CDN)
    "cchc_web.apps.CchcWebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cchc_web.middleware.SecurityHeaders",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # before any view (and the CSRF check, which parses the body) reads the body
    "cchc_web.middleware.BodyLimit",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "cchc_web.urls"
WSGI_APPLICATION = "cchc_web.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "cchc_web.context.common",
    ]},
}]

DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL", f"sqlite:///{DATA_DIR / 'cchc.sqlite3'}"),
        conn_max_age=env.integer("CCHC_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Writers take the lock when their transaction begins and wait for each other, instead
    # of failing with "database is locked" when a reader tries to become a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # Tests use a file, not the shared-cache memory database, whose table locks fail at once
    # instead of waiting: concurrent-save tests then see what production sees.
    # One file per test process, so that two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-cchc-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "cchc_web.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Password-check throttling; the rule is in cchc_web/throttle.py.
LOGIN_MAX_FAILURES = env.integer("CCHC_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_SECONDS = env.integer("CCHC_LOGIN_LOCK_SECONDS", 60, minimum=1)
LOGIN_LOCK_MAX_SECONDS = env.integer("CCHC_LOGIN_LOCK_MAX_SECONDS", 3600, minimum=1)
LOGIN_ADDRESS_MAX_FAILURES = env.integer("CCHC_LOGIN_ADDRESS_MAX_FAILURES", 30, minimum=1)
LOGIN_ADDRESS_WINDOW_SECONDS = env.integer("CCHC_LOGIN_ADDRESS_WINDOW_SECONDS", 3600, minimum=1)
LOGIN_SITE_MAX_FAILURES_PER_MINUTE = env.integer("CCHC_LOGIN_SITE_MAX_FAILURES_PER_MINUTE", 60,
                                                 minimum=1)
# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs); none by default, so a
# client cannot choose the address it is counted under.
TRUSTED_PROXIES = env.networks("CCHC_TRUSTED_PROXIES")
SESSION_COOKIE_AGE = env.integer("CCHC_SESSION_SECONDS", 8 * 3600)

# Vietnamese, and the locale traps that corrupt numbers and dates (design.md §4).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
FORMAT_MODULE_PATH = ["cchc_web.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
WHITENOISE_USE_FINDERS = True
# Uploaded reports: never under STATIC_ROOT, never served by URL; only the permission-checked
# download view reads them.
UPLOAD_DIR = env.path("CCHC_UPLOAD_DIR", DATA_DIR / "uploads")
MAX_UPLOAD_MB = env.integer("CCHC_MAX_FILE_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Bodies are refused by size before they are read (cchc_web.middleware.BodyLimit); a file
# streaming in is also stopped at the limit. Django's temporary files of uploads in flight
# go to a folder of ours, which uploads.sweep_pending empties of files a killed worker left.
FILE_UPLOAD_HANDLERS = [
    "cchc_web.middleware.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = str(UPLOAD_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

EMAIL_BACKEND = env.text("DJANGO_EMAIL_BACKEND",
                         "django.core.mail.backends.smtp.EmailBackend"
                         if env.text("DJANGO_EMAIL_HOST") else
                         "django.core.mail.backends.locmem.EmailBackend")
EMAIL_HOST = env.text("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.text("DJANGO_EMAIL_USER")
EMAIL_HOST_PASSWORD = env.text("DJANGO_EMAIL_PASSWORD")
EMAIL_USE_TLS = env.flag("DJANGO_EMAIL_TLS")
DEFAULT_FROM_EMAIL = env.text("DJANGO_EMAIL_FROM", "cchc@localhost")
# Reminders go by e-mail only when a real mail server is configured.
SEND_REMINDER_EMAIL = bool(env.text("DJANGO_EMAIL_HOST")) or env.flag("CCHC_REMINDER_EMAIL")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.flag("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.integer("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_without_traceback": {
        "()": "cchc_web.logfilters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # An expected 403/404 is one line in the log, not a traceback; a 500 keeps its traceback.
    "loggers": {"django.request": {"filters": ["client_errors_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env.text("CCHC_LOG_LEVEL", "WARNING")},
}
