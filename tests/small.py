"""A small mapping made through the real import (two municipalities, two arrangements, four
participants): for tests that need real rows but not the whole Buskerud example."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.management import call_command

from samarbeid.intake.writers import write_csv
from samarbeid.registry.models import Mapping
from tests.conftest import _Null

CUTOFF = "2021-11-01"


def tables(name: str = "Liten", **changes: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """The mapping file's tables; ``Deltakere_0={"ut_dato": "2001-01-01"}`` changes one row."""
    result = {
        "Kartlegging": [{"felt": "navn", "verdi": name}, {"felt": "dato", "verdi": CUTOFF}],
        "Kommuner": [
            {"kommune": "Kongsberg", "region": "Kongsbergregionen"},
            {"kommune": "Flesberg", "region": "Kongsbergregionen"},
        ],
        "Ordninger": [
            {
                "id": "A1",
                "navn": "Numedal IKS",
                "juridisk_form": "iks",
                "vertskommune": "Kongsberg",
                "arsverk": "3,5",
            },
            {"id": "A2", "navn": "Barnevern Numedal", "juridisk_form": "vertskommune"},
        ],
        "Deltakere": [
            {"ordning_id": "A1", "deltaker": "Kongsberg", "eierandel": "60"},
            {"ordning_id": "A1", "deltaker": "Flesberg", "eierandel": "40"},
            {"ordning_id": "A2", "deltaker": "Flesberg"},
            {"ordning_id": "A2", "deltaker": "Rollag"},
        ],
    }
    for sheet_row, values in changes.items():
        sheet, index = sheet_row.rsplit("_", 1)
        result[sheet][int(index)].update(values)
    return result


def small_mapping(
    name: str = "Liten", *, status: str = Mapping.Status.VERIFICATION, **changes: dict[str, str]
) -> Mapping:
    """Import the small file under ``name`` and give the mapping ``status``."""
    with tempfile.TemporaryDirectory(prefix="samarbeid-test-") as folder:
        path = Path(folder) / "liten.csv"
        write_csv(tables(name, **changes), path)
        call_command("import_file", str(path), mapping=name, stdout=_Null())
    mapping = Mapping.objects.get(name=name)
    Mapping.objects.filter(pk=mapping.pk).update(status=status)
    mapping.refresh_from_db()
    return mapping
