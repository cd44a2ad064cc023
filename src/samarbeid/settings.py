"""Django settings.

Zero configuration: without ``DATABASE_URL`` the registry is an SQLite file under ``./var/``
(``SAMARBEID_VAR_DIR`` moves it). With ``DATABASE_URL`` (``postgres://user:pw@host:port/db``)
it is PostgreSQL, the production database.

Web: ``SAMARBEID_HTTPS=1`` when the site is served over TLS (by a reverse proxy that sets
``X-Forwarded-Proto``): secure cookies, HSTS and redirects to https. ``SAMARBEID_ALLOWED_HOSTS``
lists the host names (never ``*``: ``samarbeid serve`` refuses it), ``SAMARBEID_CSRF_TRUSTED_ORIGINS``
any extra origins for forms, ``SAMARBEID_SITE_URL`` (``https://samarbeid.example.no``) the address
links in e-mails are built from, whatever Host header a request came with.

Production (``SAMARBEID_HTTPS=1``) needs ``SAMARBEID_SECRET_KEY`` (at least 50 characters): without
it the settings refuse to load with a message, instead of signing sessions with a known default.
Every variable is read with its type (django-environ); a value of the wrong type is refused by name.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_env = environ.Env()


def _read(name: str, kind: str, default: Any) -> Any:
    """One environment variable with its type; a wrong value is refused by name."""
    try:
        return getattr(_env, kind)(name, default=default)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            f"{name}={_env.str(name)!r} er ugyldig: forventet {_KINDS[kind]} ({error})."
        ) from None


_KINDS = {"bool": "1 eller 0", "int": "et heltall", "float": "et tall", "str": "en tekst"}

VAR_DIR = Path(_read("SAMARBEID_VAR_DIR", "str", str(Path.cwd() / "var")))
HTTPS = _read("SAMARBEID_HTTPS", "bool", False)

#: Development only: never used when SAMARBEID_HTTPS=1 (see the module's docstring).
_DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = _read("SAMARBEID_SECRET_KEY", "str", "").strip()
if HTTPS and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SAMARBEID_SECRET_KEY mangler eller er for kort (under 50 tegn), og SAMARBEID_HTTPS=1 sier "
        "at dette er drift. Sett en lang, tilfeldig verdi, for eksempel fra "
        "«python3 -c 'import secrets; print(secrets.token_urlsafe(64))'»."
    )
SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
DEBUG = _read("SAMARBEID_DEBUG", "bool", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in _read("SAMARBEID_ALLOWED_HOSTS", "str", "localhost,127.0.0.1").split(",")
    if h.strip()
]
#: The site's own address for links that leave the request (e-mails); empty: from the request.
SITE_URL = _read("SAMARBEID_SITE_URL", "str", "").strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # Editors sign in (samarbeid.web.auth); their sessions are rows in the database.
    "django.contrib.sessions",
    # The notice after a save and redirect ("… er lagret (versjon 3)"), kept in the session.
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "samarbeid.registry",
    "samarbeid.intake",
    "samarbeid.reports",
    "samarbeid.web",
    "samarbeid.verification",  # kontrollrunder (issue #6)
    "samarbeid.portfolio",  # styring og portefølje (issue #12)
    "samarbeid.adoption",  # fellesløsninger og utbredelse (issue #13)
    "samarbeid.finance",  # kostnadsdeling (issue #14)
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
    # An address with NUL (%00) in it is a 400 before any view or cache sees it.
    "samarbeid.web.middleware.NulGuardMiddleware",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A busy database is a 503 with Retry-After, a lost race a 409 (web/errors.py).
    "samarbeid.web.errors.ContentionMiddleware",
]
ROOT_URLCONF = "samarbeid.urls"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Object permissions from the role rules (samarbeid.registry.rules) first, then Django's own.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PAGE_CACHE = _read("SAMARBEID_PAGE_CACHE", "bool", True)
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
    o for o in _read("SAMARBEID_CSRF_TRUSTED_ORIGINS", "str", "").split(",") if o
]
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_SSL_REDIRECT = True
    # TLS ends at the reverse proxy; it must set (and never pass on a client's) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
_database_url = _read("DATABASE_URL", "str", "").strip()
if _database_url:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unknown scheme is refused below, with its name
        try:
            _database = _env.db_url_config(_database_url)
        except (ValueError, KeyError, environ.ImproperlyConfigured):
            _database = {}
    if _database.get("ENGINE") not in _ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL er ugyldig ({_database_url.split(':', 1)[0]}:…); forventet "
            "postgres://bruker:passord@vert:5432/database (eller sqlite:////sti/til/fil)."
        )
    DATABASES = {"default": {**_database, "CONN_MAX_AGE": 60}}
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
                "timeout": _read("SAMARBEID_SQLITE_TIMEOUT", "float", 10.0),
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
EMAIL_BACKEND = _read(
    "SAMARBEID_EMAIL_BACKEND", "str", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = _read(
    "SAMARBEID_FROM_EMAIL", "str", "Samarbeidsregisteret <ikke-svar@localhost>"
)
EMAIL_HOST = _read("SAMARBEID_EMAIL_HOST", "str", "localhost")
EMAIL_PORT = _read("SAMARBEID_EMAIL_PORT", "int", 25)
EMAIL_HOST_USER = _read("SAMARBEID_EMAIL_USER", "str", "")
EMAIL_HOST_PASSWORD = _read("SAMARBEID_EMAIL_PASSWORD", "str", "")
EMAIL_USE_TLS = _read("SAMARBEID_EMAIL_TLS", "bool", False)
