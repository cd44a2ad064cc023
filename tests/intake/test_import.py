"""Import behaviour: all or nothing, --skip-invalid, idempotence, the import log, frozen mappings."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from samarbeid.commandbase import UserError
from samarbeid.intake.models import ImportRun
from samarbeid.intake.writers import write_csv
from samarbeid.registry.models import Arrangement, Mapping, Membership
from tests.conftest import _Null

pytestmark = pytest.mark.django_db


def _tables(**changes: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    tables = {
        "Kartlegging": [{"felt": "navn", "verdi": "Test"}, {"felt": "dato", "verdi": "2021-11-01"}],
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
        tables[sheet][int(index)].update(values)
    return tables


def _write(tmp_path: Path, name: str = "m.csv", **changes: dict[str, str]) -> Path:
    path = tmp_path / name
    write_csv(_tables(**changes), path)
    return path


def _import(path: Path, *extra: str, **options: object) -> int:
    try:
        call_command("import_file", str(path), *extra, stdout=_Null(), **options)
    except SystemExit as exit_:
        return int(exit_.code)
    return 0


def test_valid_file_imports_everything(tmp_path: Path) -> None:
    assert _import(_write(tmp_path), mapping="Test") == 0
    mapping = Mapping.objects.get(name="Test")
    a1 = mapping.arrangements.get(ref="A1")
    assert str(a1.arsverk) == "3.50" and a1.host.name == "Kongsberg" and a1.legal_form == "iks"
    assert [m.ownership_share for m in a1.memberships.all()] == [60, 40]
    assert mapping.arrangements.get(ref="A2").host_status == ""  # unknown stays unknown
    assert Membership.objects.count() == 4
    run = ImportRun.objects.get()
    assert (
        run.outcome == "importert"
        and run.counts["ordninger_ny"] == 2
        and len(run.file_sha256) == 64
    )


def test_one_error_means_nothing_is_written(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = _write(tmp_path, Deltakere_3={"deltaker": "Hjardal"})
    assert _import(path, mapping="Test") == 1
    assert "Forslag: Hjartdal (3819)" in capsys.readouterr().out
    assert not Mapping.objects.exists() and not Arrangement.objects.exists()
    assert not Membership.objects.exists()
    run = ImportRun.objects.get()
    assert (run.outcome, run.errors) == ("avvist", 1)


def test_skip_invalid_imports_valid_rows_and_writes_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, Deltakere_3={"deltaker": "Hjardal"})
    rejected = tmp_path / "avvist.csv"
    assert _import(path, "--skip-invalid", mapping="Test", rejected=str(rejected)) == 0
    mapping = Mapping.objects.get(name="Test")
    assert list(mapping.arrangements.values_list("ref", flat=True)) == ["A1"]
    rows = list(csv.DictReader(rejected.open(encoding="utf-8-sig")))
    assert [(r["id"], r["navn"]) for r in rows] == [("A2", "Barnevern Numedal")]
    assert "m.csv, seksjon Deltakere, linje" in rows[0]["feil"] and "Hjardal" in rows[0]["feil"]
    assert ImportRun.objects.get().outcome == "delvis"


def test_skip_invalid_cannot_skip_mapping_errors(tmp_path: Path) -> None:
    tables = _tables()
    tables["Kartlegging"][1]["verdi"] = "1. november 2021"
    path = tmp_path / "bad-date.csv"
    write_csv(tables, path)
    assert _import(path, "--skip-invalid", mapping="Test") == 1
    assert not Mapping.objects.exists()


def test_importing_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path)
    assert _import(path, mapping="Test") == 0
    snapshot = (
        list(Arrangement.objects.order_by("id").values()),
        list(Membership.objects.order_by("id").values()),
        Mapping.objects.get().updated,
    )
    assert _import(path, mapping="Test") == 0
    assert snapshot == (
        list(Arrangement.objects.order_by("id").values()),
        list(Membership.objects.order_by("id").values()),
        Mapping.objects.get().updated,
    )
    assert list(ImportRun.objects.order_by("started").values_list("outcome", flat=True)) == [
        "importert",
        "uendret",
    ]


def test_reimport_with_a_change_updates_only_that(tmp_path: Path) -> None:
    assert _import(_write(tmp_path), mapping="Test") == 0
    ids = dict(Arrangement.objects.values_list("ref", "id"))
    assert _import(_write(tmp_path, "m2.csv", Ordninger_1={"arsverk": "2"}), mapping="Test") == 0
    assert dict(Arrangement.objects.values_list("ref", "id")) == ids
    assert str(Arrangement.objects.get(ref="A2").arsverk) == "2.00"
    assert ImportRun.objects.order_by("-started").first().counts["ordninger_endret"] == 1


def test_frozen_mapping_is_read_only(tmp_path: Path) -> None:
    assert _import(_write(tmp_path), mapping="Test") == 0
    Mapping.objects.update(status="frosset")
    with pytest.raises(UserError, match="frosset"):
        call_command(
            "import_file",
            str(_write(tmp_path, "m2.csv", Ordninger_1={"arsverk": "2"})),
            mapping="Test",
            stdout=_Null(),
        )
    assert Arrangement.objects.get(ref="A2").arsverk is None


def test_inline_participants_column(tmp_path: Path) -> None:
    tables = _tables()
    tables["Deltakere"] = []
    tables["Ordninger"][0]["deltakere"] = "Kongsberg; Flesberg; Hjartdal"
    tables["Ordninger"][1]["deltakere"] = "Flesberg; Rollag"
    path = tmp_path / "inline.csv"
    from samarbeid.intake import writers

    columns = writers.EXPORT_COLUMNS["Ordninger"]
    writers.EXPORT_COLUMNS["Ordninger"] = (*columns, "deltakere")
    try:
        write_csv(tables, path)
    finally:
        writers.EXPORT_COLUMNS["Ordninger"] = columns
    assert _import(path, mapping="Inline") == 0
    names = list(
        Membership.objects.filter(arrangement__ref="A1").values_list(
            "municipality__name", flat=True
        )
    )
    assert names == ["Kongsberg", "Flesberg", "Hjartdal"]


def test_export_of_unknown_mapping_is_a_clear_error() -> None:
    with pytest.raises(UserError, match="Fant ingen kartlegging «Finnes ikke»"):
        call_command("export_mapping", mapping="Finnes ikke", stdout=_Null())
