"""Two writers at once: a busy SQLite database is a 503 with Retry-After (a page in the site's shell;
the API's JSON error), a lost race is a 409 — never a 500, and nothing is written.

The lock is real and held deterministically: the app runs on a file-based database migrated
afresh (WAL, the project's OPTIONS, a busy timeout shortened to 0.2 s), and a second sqlite3
connection holds the write lock with BEGIN IMMEDIATE while the app writes. No sleeping."""

from __future__ import annotations

import copy
import json
import sqlite3

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connection, connections
from django.test import Client
from django.urls import reverse

from samarbeid.registry import permissions
from samarbeid.registry.models import Arrangement, ChangeRecord
from samarbeid.web import errors
from tests.small import small_mapping
from tests.web.api.conftest import Api, make_token

pytestmark = pytest.mark.django_db

BUSY_TIMEOUT_S = 0.2


@pytest.fixture
def file_database(tmp_path, settings):
    """The app's default connection on a file database of its own, for this test only."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's locking (PostgreSQL waits on row locks instead)")
    options = django_settings.DATABASES["default"]["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"] and options["timeout"] >= 5
    path = tmp_path / "samarbeid.sqlite3"
    memory = connections["default"]
    config = copy.deepcopy(memory.settings_dict)
    config["NAME"] = str(path)
    config["OPTIONS"] = {**options, "timeout": BUSY_TIMEOUT_S}
    file_connection = type(memory)(config, alias="default")
    connections["default"] = file_connection
    try:
        # A fresh database (migrations and reference data, as `samarbeid serve` makes it): the
        # in-memory test database cannot be copied while the test's transaction holds it.
        call_command("migrate", verbosity=0, interactive=False)
        with file_connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        yield path
    finally:
        file_connection.close()
        connections["default"] = memory
        ContentType.objects.clear_cache()  # ids of the file database


class WriteLock:
    """Another process's write transaction on the same file (BEGIN IMMEDIATE), until released."""

    def __init__(self, path) -> None:
        self.other = sqlite3.connect(path, isolation_level=None)

    def __enter__(self) -> WriteLock:
        self.other.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc) -> None:
        self.other.execute("ROLLBACK")
        self.other.close()


def _state(ref: str) -> tuple:
    a = Arrangement.objects.get(ref=ref)
    return (a.version, a.name, a.status_note, ChangeRecord.objects.count())


def test_a_locked_database_answers_503_and_writes_nothing(file_database) -> None:
    mapping = small_mapping()
    mapper = get_user_model().objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=mapping)
    api = Api(make_token("kari"))
    page = Client()
    page.force_login(mapper)
    url = f"/api/kartlegginger/{mapping.pk}/ordninger/A1/"
    version = Arrangement.objects.get(ref="A1").version
    change = {"merknader": "Endret under lås", "versjon": version, "endringskilde": "Test"}
    before = _state("A1")

    with WriteLock(file_database):
        answer = api.patch(url, change)
        assert answer.status_code == 503, answer.content
        assert answer["Retry-After"] == str(errors.RETRY_AFTER_S)
        assert answer["Content-Type"].startswith("application/json")
        assert "prøv igjen" in json.loads(answer.content)["detail"].lower()

        deleted = page.post(
            reverse("web:delete_arrangement", args=[mapping.pk, "A2"]),
            {"endringskilde": "Test", "versjon": Arrangement.objects.get(ref="A2").version},
        )
        assert deleted.status_code == 503
        assert deleted["Retry-After"] == str(errors.RETRY_AFTER_S)
        html = deleted.content.decode()
        assert "Registeret er opptatt" in html and 'class="site-header"' in html  # site's shell
        assert _state("A1") == before  # readers are not blocked (WAL)

    assert _state("A1") == before and Arrangement.objects.filter(ref="A2").exists()
    # The same request once the lock is gone: saved (so the 503 was the lock, not the request).
    assert api.patch(url, change).status_code == 200
    assert _state("A1")[0] == version + 1


def test_a_busy_database_met_by_a_middleware_is_503_too(file_database, tmp_path) -> None:
    """Checking an uploaded file writes nothing but the session (SessionMiddleware saves it after
    the view): under the lock that save fails outside any view, and the 500 handler answers."""
    from samarbeid.intake.writers import write_csv
    from tests.small import tables

    mapping = small_mapping()
    mapper = get_user_model().objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=mapping)
    client = Client(raise_request_exception=False)  # as a server: the handler's answer
    client.force_login(mapper)
    path = tmp_path / "liten.csv"
    write_csv(tables(), path)
    with WriteLock(file_database), path.open("rb") as upload:
        response = client.post(reverse("web:upload", args=[mapping.pk]), {"fil": upload})
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_S)
    assert "Registeret er opptatt" in response.content.decode()


def _duplicate_on_insert(mapping_id: int, ref: str, copy_of: int) -> None:
    """A trigger that, just before the app inserts arrangement ``ref``, saves another arrangement
    with the same id — what a second writer does a moment earlier on PostgreSQL."""
    fields = [f.column for f in Arrangement._meta.local_concrete_fields if f.column != "id"]
    values = ["NEW.ref" if c == "ref" else c for c in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""CREATE TEMP TRIGGER someone_else BEFORE INSERT ON registry_arrangement
            WHEN NEW.ref = '{ref}' AND NEW.mapping_id = {mapping_id}
            AND NOT EXISTS (SELECT 1 FROM registry_arrangement WHERE ref = '{ref}')
            BEGIN
              INSERT INTO registry_arrangement ({", ".join(fields)})
              SELECT {", ".join(values)} FROM registry_arrangement WHERE id = {copy_of};
            END"""
        )


def test_a_lost_race_for_the_same_id_is_409(db) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the trigger is SQLite's")
    mapping = small_mapping()
    mapper = get_user_model().objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=mapping)
    count = Arrangement.objects.count()
    _duplicate_on_insert(mapping.pk, "A9", Arrangement.objects.get(ref="A1").pk)
    answer = Api(make_token("kari")).post(
        f"/api/kartlegginger/{mapping.pk}/ordninger/",
        {"id": "A9", "navn": "Ny ordning", "endringskilde": "Test", "deltakere": []},
    )
    assert answer.status_code == 409, answer.content
    assert "samme øyeblikk" in json.loads(answer.content)["detail"]
    assert Arrangement.objects.count() == count  # the whole write was rolled back


class _DriverError(Exception):
    """What psycopg raises (Django puts it in ``__cause__``): the SQLSTATE in ``sqlstate``."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _wrapped(cls, message: str, sqlstate: str | None = None):
    error = cls(message)
    error.__cause__ = _DriverError(sqlstate) if sqlstate else None
    return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (_wrapped(OperationalError, "database is locked"), errors.BUSY),
        (_wrapped(OperationalError, "could not obtain lock", "55P03"), errors.BUSY),
        (_wrapped(OperationalError, "deadlock detected", "40P01"), errors.BUSY),
        (_wrapped(OperationalError, "could not serialize access", "40001"), errors.BUSY),
        (_wrapped(IntegrityError, "UNIQUE constraint failed: x.ref"), errors.CONFLICT),
        (_wrapped(IntegrityError, "duplicate key value", "23505"), errors.CONFLICT),
        (_wrapped(IntegrityError, "CHECK constraint failed: share"), None),
        (_wrapped(OperationalError, "no such table: x"), None),
        (ValueError("database is locked"), None),
    ],
)
def test_what_counts_as_contention(error, kind) -> None:
    assert errors.contention(error) == kind
