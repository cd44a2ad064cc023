"""Figures derived from a whole mapping, kept until the registry changes.

Some pages and API answers need aggregates over every membership of a mapping (the summary per
municipality: 150 ms for a national mapping in PostgreSQL). They are computed once per registry
*generation* (:func:`samarbeid.web.page_cache.generation`: any edit, import, restore or accepted
proposal makes a new one) and kept in the process' default cache, so a cache miss of the page
itself no longer pays for them. Unlike the page cache this also serves signed-in users: the
figures are the same for everyone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches

from samarbeid.registry.models import Mapping
from samarbeid.registry.summary import SummaryTable, municipality_summary

from .page_cache import generation

T = TypeVar("T")
TIMEOUT_S = 3600


def per_generation(name: str, mapping: Mapping, compute: Callable[[], T]) -> T:
    """``compute()`` for ``mapping``, computed again only after the registry has changed."""
    cache = caches["default"]
    digest = hashlib.sha256(generation().encode()).hexdigest()[:32]
    key = f"avledet:{name}:{mapping.pk}:{digest}"
    return cache.get_or_set(key, compute, TIMEOUT_S)


def summary(mapping: Mapping) -> SummaryTable:
    """:func:`samarbeid.registry.summary.municipality_summary`, kept per generation."""
    return per_generation("sammendrag", mapping, lambda: municipality_summary(mapping))
