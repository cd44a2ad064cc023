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
    database. The others — pure functions, files, browser-free rendering, subprocesses on their
    own SQLite — already ran in the SQLite run and would run the very same code again."""
    if os.environ.get("SAMARBEID_TEST_DATABASE_ONLY") != "1":
        return
    keep, skip = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (keep if uses_database else skip).append(item)
    if skip:
        config.hook.pytest_deselected(items=skip)
        items[:] = keep


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
def loaded_example(db):
    from django.core.management import call_command

    from samarbeid.registry.models import Mapping

    call_command("load_example", stdout=_Null())
    return Mapping.objects.get(name="Buskerud 2021")


class _Null:
    def write(self, *_: object) -> None:
        pass

    def flush(self) -> None:
        pass
