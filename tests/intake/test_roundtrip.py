"""Export → import → export is byte-identical for CSV/JSON and content-identical for xlsx."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from samarbeid.intake.commands import check_path
from samarbeid.intake.exporter import export_mapping
from samarbeid.registry.models import Mapping
from tests.conftest import _Null


def _reimport(path: Path, name: str) -> Mapping:
    Mapping.objects.filter(name=name).delete()
    call_command("import_file", str(path), mapping=name, stdout=_Null())
    return Mapping.objects.get(name=name)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_text_round_trip_is_byte_identical(loaded_example, tmp_path: Path, fmt: str) -> None:
    first = export_mapping(loaded_example, fmt, tmp_path / f"a.{fmt}")
    mapping = _reimport(first, "Buskerud 2021")
    second = export_mapping(mapping, fmt, tmp_path / f"b.{fmt}")
    assert first.read_bytes() == second.read_bytes()
    assert mapping.arrangements.count() == 234


def _cells(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def test_xlsx_round_trip_is_content_identical(loaded_example, tmp_path: Path) -> None:
    first = export_mapping(loaded_example, "xlsx", tmp_path / "a.xlsx")
    mapping = _reimport(first, "Buskerud 2021")
    second = export_mapping(mapping, "xlsx", tmp_path / "b.xlsx")
    a, b = _cells(first), _cells(second)
    assert list(a) == ["Kartlegging", "Kommuner", "Ordninger", "Deltakere"]
    assert a == b
    assert len(a["Deltakere"]) == 1 + 1487


def test_export_is_identical_to_the_shipped_example(
    loaded_example, tmp_path: Path, example_path: Path
) -> None:
    out = export_mapping(loaded_example, "csv", tmp_path / "x.csv")
    assert out.read_bytes() == example_path.read_bytes()


def test_export_neutralises_formulas(loaded_example, tmp_path: Path) -> None:
    arrangement = loaded_example.arrangements.get(ref="BUS21-001")
    arrangement.notes = '=HYPERLINK("http://example.invalid")'
    arrangement.save()
    out = export_mapping(loaded_example, "csv", tmp_path / "f.csv")
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
    xlsx = export_mapping(loaded_example, "xlsx", tmp_path / "f.xlsx")
    values = [c for row in _cells(xlsx)["Ordninger"] for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("http://example.invalid")' in values
    # ... and the registry never takes a formula back in, apostrophe or not: the import of the
    # neutralised file is refused at that cell, and nothing is stored.
    result = check_path(str(out), mapping_name="Formel", cutoff=None)
    [error] = result.errors
    assert (error.code, error.sheet, error.column) == ("formula", "Ordninger", "merknader")
    assert error.value == '\'=HYPERLINK("http://example.invalid")'
    with pytest.raises(SystemExit):
        _reimport(out, "Formel")
    assert not Mapping.objects.filter(name="Formel").exists()
