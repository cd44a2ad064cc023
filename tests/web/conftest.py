from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture
def cached(settings):
    """The public page cache on (tests/conftest.py turns it off for every other test), empty."""
    settings.PAGE_CACHE = True
    caches["pages"].clear()
    yield
    caches["pages"].clear()
