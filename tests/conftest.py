from __future__ import annotations

from pathlib import Path

import pytest

# Chromium, axe-core and static files for the browser tests: registered once for the whole run, so
# the web and verification tests share one browser (two Playwright instances cannot coexist).
pytest_plugins = ["tests.browser_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "src" / "samarbeid" / "examples" / "buskerud2021.csv"


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
