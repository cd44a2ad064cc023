"""The session's copy of the Buskerud example (tests/conftest.py ``loaded_example``) is the example
as ``load-example`` leaves it: the same rows in every table, the same file on export, and ids the
database hands out after it that do not collide."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from samarbeid.intake.exporter import mapping_tables
from samarbeid.registry.models import Arrangement, Mapping
from tests.conftest import _Null


def _state() -> tuple[dict[str, int], dict]:
    counts = {
        m._meta.label: m._base_manager.count()
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed
    }
    return counts, mapping_tables(Mapping.objects.get(name="Buskerud 2021"))


def test_the_restored_example_is_the_loaded_example(_example_rows, db) -> None:
    with transaction.atomic():
        _example_rows.restore()
        restored = _state()
        transaction.set_rollback(True)
    with transaction.atomic():
        call_command("load_example", stdout=_Null())
        loaded = _state()
        transaction.set_rollback(True)
    assert restored == loaded
    assert restored[0]["registry.Arrangement"] == 234  # 221 counted (NIVI) and 13 others


def test_new_rows_after_the_restored_example_get_free_ids(loaded_example) -> None:
    highest = Arrangement.objects.order_by("-pk").first().pk
    fresh = Arrangement.objects.create(mapping=loaded_example, ref="NY-1", name="Ny ordning")
    assert fresh.pk > highest
