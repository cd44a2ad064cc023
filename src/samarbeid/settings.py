"""Django settings.

Zero configuration: without ``DATABASE_URL`` the registry is an SQLite file under ``./var/``
(``SAMARBEID_VAR_DIR`` moves it). With ``DATABASE_URL`` (``postgres://user:pw@host:port/db``)
it is PostgreSQL, the production database.

Web: ``SAMARBEID_HTTPS=1`` when the site is served over TLS (by a reverse proxy that sets
``X-Forwarded-Proto``): secure cookies, HSTS and redirects to https. ``SAMARBEID_ALLOWED_HOSTS``
lists the host names (never ``*``: ``samarbeid serve`` refuses it), ``SAMARBEID_CSRF_TRUSTED_ORIGINS``
any extra origins for forms, ``SAMARBEID_SITE_URL`` (``https://samarbeid.example.no``) the address
links in e-mails are built from, whatever Host header a request came with.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

VAR_DIR = Path(os.environ.get("SAMARBEID_VAR_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("SAMARBEID_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("SAMARBEID_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("SAMARBEID_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]
#: The site's own address for links that leave the request (e-mails); empty: from the request.
SITE_URL = os.environ.get("SAMARBEID_SITE_URL", "").strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Editors sign in (samarbeid.web.auth); their sessions are rows in the database.
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "samarbeid.registry",
    "samarbeid.intake",
    "samarbeid.reports",
    "samarbeid.web",
    "samarbeid.verification",  # kontrollrunder (issue #6)
    # The JSON API (/api/): Django REST framework, and our app with the API keys and api_token.
    "rest_framework",
    "samarbeid.web.api",
]

MIDDLEWARE = [
    # HSTS, nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, https redirect.
    "django.middleware.security.SecurityMiddleware",
    # Static files (collected into STATIC_ROOT by `samarbeid serve`), before anything else runs.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samarbeid.web.middleware.SecurityHeadersMiddleware",  # CSP and Permissions-Policy
    # Anonymous readers get cached public pages until the registry changes (web/page_cache.py).
    "samarbeid.web.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the cookie set by the language switch (/sprak/), else the browser's
    # Accept-Language, else bokmål. After sessions, before CommonMiddleware (Django's order).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A draft is 404 on every route that names it, for everyone without a role for it, before any
    # view (or the CSRF check) runs (web/access.py).
    "samarbeid.web.access.DraftGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A busy database is a 503 with Retry-After, a lost race a 409 (web/errors.py).
    "samarbeid.web.errors.ContentionMiddleware",
]
ROOT_URLCONF = "samarbeid.urls"

# Object permissions from the role rules (samarbeid.registry.rules) first, then Django's own.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PAGE_CACHE = os.environ.get("SAMARBEID_PAGE_CACHE", "1") != "0"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Per server process; stale entries are never served (the key holds the registry generation).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "samarbeid-pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
WSGI_APPLICATION = "samarbeid.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.static",
            ],
        },
    }
]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed file names: served with far-future cache headers by WhiteNoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security headers (the CSP is set by samarbeid.web.middleware).
HTTPS = os.environ.get("SAMARBEID_HTTPS", "") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the site has no JavaScript of its own
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "web:login"
SESSION_COOKIE_AGE = 12 * 60 * 60  # an editor stays signed in for a working day, not two weeks
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("SAMARBEID_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_SSL_REDIRECT = True
    # TLS ends at the reverse proxy; it must set (and never pass on a client's) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "samarbeid.sqlite3",
            # WAL: readers never wait for a writer. IMMEDIATE: a write transaction takes the
            # write lock when it begins, so a second writer waits up to "timeout" seconds (the
            # busy timeout) at the start, before anything is written, and then gets a clean 503
            # with Retry-After (web/errors.py) instead of failing half-way.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
                "timeout": float(os.environ.get("SAMARBEID_SQLITE_TIMEOUT", "10")),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request size limits. A form or API body (not counting an uploaded file, which the upload view
# streams to disk and limits with SAMARBEID_MAX_FILE_MB) is at most 2.5 MB and 1 000 fields;
# more is answered with 413 (or 400) and the limit (web/errors.py, web/api/parsers.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Languages: the msgids in templates and code are bokmål; English comes from the one catalogue in
# src/samarbeid/locale/en/ (scripts/messages.sh updates it). The URLs are the same in both
# languages (no /en/ prefix): a link to an arrangement opens in the reader's own language.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]  # each name in its own language
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the reader's choice lasts a year, not one visit
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# E-mail (the notices of the verification rounds): printed to the console unless
# SAMARBEID_EMAIL_BACKEND names another backend, e.g. django.core.mail.backends.smtp.EmailBackend
# with SAMARBEID_EMAIL_HOST/_PORT/_USER/_PASSWORD and SAMARBEID_EMAIL_TLS=1.
EMAIL_BACKEND = os.environ.get(
    "SAMARBEID_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "SAMARBEID_FROM_EMAIL", "Samarbeidsregisteret <ikke-svar@localhost>"
)
EMAIL_HOST = os.environ.get("SAMARBEID_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAMARBEID_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SAMARBEID_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAMARBEID_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SAMARBEID_EMAIL_TLS", "") == "1"
