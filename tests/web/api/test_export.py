"""The bulk exports are exactly what ``samarbeid export`` writes."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from samarbeid.registry.models import Mapping

TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def _cli_export(mapping: Mapping, fmt: str, tmp_path) -> bytes:
    out = tmp_path / f"cli.{fmt}"
    call_command(
        "export_mapping", mapping=mapping.name, fmt=fmt, out=str(out), stdout=io.StringIO()
    )
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_is_byte_equal_to_the_command(api, loaded_example, tmp_path, fmt):
    response = api.get(f"/api/kartlegginger/{loaded_example.pk}/eksport.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="buskerud-2021.{fmt}"'
    assert response.content == _cli_export(loaded_example, fmt, tmp_path)


def test_json_export_is_the_file_format(api, loaded_example):
    data = json.loads(api.get(f"/api/kartlegginger/{loaded_example.pk}/eksport.json").content)
    assert data["kartlegging"]["navn"] == "Buskerud 2021"
    assert len(data["ordninger"]) == 234 and len(data["kommuner"]) == 25


def test_xlsx_export_equals_the_command_but_for_its_timestamp(api, loaded_example, tmp_path):
    """An xlsx file records when it was written (docProps/core.xml); every other part is equal."""
    response = api.get(f"/api/kartlegginger/{loaded_example.pk}/eksport.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == TYPES["xlsx"]
    assert response["Content-Disposition"] == 'attachment; filename="buskerud-2021.xlsx"'
    ours = zipfile.ZipFile(io.BytesIO(response.content))
    theirs = zipfile.ZipFile(io.BytesIO(_cli_export(loaded_example, "xlsx", tmp_path)))
    assert ours.namelist() == theirs.namelist()
    for name in ours.namelist():
        if name != "docProps/core.xml":
            assert ours.read(name) == theirs.read(name), name
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Kartlegging", "Kommuner", "Ordninger", "Deltakere"]


def test_non_ascii_mapping_name_in_the_file_name(api, loaded_example):
    Mapping.objects.filter(pk=loaded_example.pk).update(name="Trøndelag 2020")
    response = api.get(f"/api/kartlegginger/{loaded_example.pk}/eksport.csv")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''tr%C3%B8ndelag-2020.csv"
    )
