"""WSGI entry point (``samarbeid serve`` runs it under waitress; any WSGI server can)."""

from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")

application = get_wsgi_application()

#: Young-generation threshold while serving (Python's default is 700 allocations).
GC_YOUNG_THRESHOLD = 50_000


def tune_garbage_collection() -> None:
    """Keep the collector off the loaded code and reference data while serving.

    A process that has loaded Django, pandas and the registry's reference data holds a few hundred
    thousand long-lived objects; every full collection walked them all, a pause of 100-150 ms that
    hit one request in ten (p95 of the uncached API list 154 ms against a median of 18 ms;
    measured with the test client on the national mapping). Freezing what is loaded at start-up
    and collecting the young generation less often: p95 21 ms.
    """
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)
