"""Django settings.

Zero configuration: without ``DATABASE_URL`` the registry is an SQLite file under ``./var/``
(``SAMARBEID_VAR_DIR`` moves it). With ``DATABASE_URL`` (``postgres://user:pw@host:port/db``)
it is PostgreSQL, the production database.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

VAR_DIR = Path(os.environ.get("SAMARBEID_VAR_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("SAMARBEID_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = os.environ.get("SAMARBEID_DEBUG", "") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("SAMARBEID_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "samarbeid.registry",
    "samarbeid.intake",
    "samarbeid.reports",
]

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "samarbeid.urls"

_database_url = os.environ.get("DATABASE_URL", "").strip()
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "samarbeid.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "nb"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
