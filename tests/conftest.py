from __future__ import annotations

import os
from pathlib import Path

import pytest

# Chromium, axe-core and static files for the browser tests: registered once for the whole run, so
# the web and verification tests share one browser (two Playwright instances cannot coexist).
pytest_plugins = ["tests.browser_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "src" / "samarbeid" / "examples" / "buskerud2021.csv"


#: Fixtures through which a test reaches the database (directly or through another fixture).
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "live_server",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``SAMARBEID_TEST_DATABASE_ONLY=1`` (``make test-postgres``): only the tests that use the
    database. The others — pure functions, files, subprocesses on their own SQLite — already ran
    in the SQLite run and would run the very same code again; so would the browser tests, which
    look at pages (accessibility, keyboard, reflow, scripts) that the other tests render from
    PostgreSQL."""
    if os.environ.get("SAMARBEID_TEST_DATABASE_ONLY") != "1":
        return
    keep, skip = [], []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & fixtures
        )
        (keep if uses_database and "browser" not in fixtures else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


@pytest.fixture(autouse=True)
def _language_back_to_bokmal():
    """A request in English (test client, live server) leaves the thread's language active; the
    next test starts in the default language again, whatever ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Users made in tests get a cheap password hash (the production hasher takes ~0.25 s per
    password by design); the commands run as subprocesses keep the real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests roll the database back between them, so the registry generation that keys the public
    page cache (and the figures of samarbeid.web.derived) can repeat with other data;
    tests/web/test_page_cache.py turns the cache on."""
    from django.core.cache import caches

    settings.PAGE_CACHE = False
    caches["default"].clear()


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def loaded_example(db, _example_rows):
    """The Buskerud example as ``load-example`` leaves it: its rows, taken once per session (and
    per test worker), are written back in each test's transaction (0.05 s instead of 0.2–0.7 s of
    validating and importing the file again). ``tests/test_fixtures.py`` holds the two equal."""
    from samarbeid.registry.models import Mapping

    _example_rows.restore()
    return Mapping.objects.get(name="Buskerud 2021")


@pytest.fixture(scope="session")
def _example_rows(django_db_setup, django_db_blocker):
    from django.core.management import call_command

    with django_db_blocker.unblock():
        return TableRows.capture(lambda: call_command("load_example", stdout=_Null()))


class TableRows:
    """What a piece of work wrote to the database, model by model: the rows it added and the rows
    it changed (all columns), so that it can be written back without doing the work again."""

    def __init__(self, work, baseline: dict, added: dict, changed: dict) -> None:
        self.work, self.baseline, self.added, self.changed = work, baseline, added, changed

    @classmethod
    def _counts(cls) -> dict:
        return {m: m._base_manager.count() for m in cls._models()}

    @staticmethod
    def _models() -> list:
        from django.apps import apps

        return [
            m
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy
        ]

    @staticmethod
    def _rows(model) -> dict:
        fields = [f.attname for f in model._meta.concrete_fields]
        pk = fields.index(model._meta.pk.attname)
        return {
            row[pk]: dict(zip(fields, row, strict=True))
            for row in model._base_manager.values_list(*fields)
        }

    @classmethod
    def capture(cls, work) -> TableRows:
        """Run ``work`` in a transaction that is rolled back, and keep what it wrote."""
        from django.db import transaction

        added, changed = {}, {}
        with transaction.atomic():
            baseline = cls._counts()
            before = {m: cls._rows(m) for m in cls._models()}
            work()
            for model, rows in before.items():
                after = cls._rows(model)
                new = [row for pk, row in after.items() if pk not in rows]
                moved = [row for pk, row in after.items() if pk in rows and rows[pk] != row]
                gone = [pk for pk in rows if pk not in after]
                assert not gone, f"{model.__name__}: rows deleted; cannot be replayed"
                if new:
                    added[model] = new
                if moved:
                    changed[model] = moved
            transaction.set_rollback(True)
        return cls(work, baseline, added, changed)

    def restore(self) -> None:
        """Write the rows back, or do the work again where the database is not as it was when
        they were taken (a transactional test emptied the tables, reference data included)."""
        from django.core.management.color import no_style
        from django.db import connection

        if self._counts() != self.baseline:
            self.work()
            return
        for model, rows in self.added.items():
            model._base_manager.bulk_create([model(**row) for row in rows], batch_size=500)
        for model, rows in self.changed.items():
            pk = model._meta.pk.attname
            for row in rows:
                model._base_manager.filter(pk=row[pk]).update(
                    **{k: v for k, v in row.items() if k != pk}
                )
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.added))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


class _Null:
    def write(self, *_: object) -> None:
        pass

    def flush(self) -> None:
        pass
