"""The change history: snapshots in the mapping file's terms, the import hook, restoring."""

from __future__ import annotations

import inspect
from importlib import resources

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from samarbeid.intake.exporter import mapping_tables
from samarbeid.intake.importer import write_mapping
from samarbeid.intake.reader import read_workbook
from samarbeid.registry import editing, history
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected
from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping
from samarbeid.rules.validate import Validator
from tests.conftest import _Null

REF = "BUS21-007"


@pytest.fixture
def users(loaded_example, settings):
    call_command("create_demo_users", stdout=_Null())
    return {u.username: u for u in get_user_model().objects.all()}


def _get(mapping, ref=REF) -> Arrangement:
    return Arrangement.objects.select_related("mapping").get(mapping=mapping, ref=ref)


def _edit(arrangement, user, source="kilde", **values):
    return editing.update_arrangement(
        arrangement, values, None, user=user, source=source, expected_version=arrangement.version
    )


def test_snapshots_are_what_export_writes(loaded_example):
    tables = mapping_tables(loaded_example)
    snaps = history.snapshots(Arrangement.objects.filter(mapping=loaded_example))
    by_ref = {s["values"]["id"]: s for s in snaps.values()}
    assert len(by_ref) == 234
    for row in tables["Ordninger"]:
        assert by_ref[row["id"]]["values"] == row
    members: dict[str, list[dict]] = {}
    for row in tables["Deltakere"]:
        members.setdefault(row["ordning_id"], []).append(
            {k: v for k, v in row.items() if k != "ordning_id"}
        )
    for ref, snap in by_ref.items():
        assert snap["memberships"] == members.get(ref, []), ref


def test_describe_reads_like_the_file(users, loaded_example):
    a = _get(loaded_example)
    before = history.snapshot(a)
    members = [dict(m) for m in before["memberships"] if m["deltaker"] != "Hjartdal"]
    members[0]["eierandel"] = "20"
    members.append({"deltaker": "Drammen"})
    saved = editing.update_arrangement(
        a, {"arsverk": "4"}, members, user=users["kartlegger"], source="x", expected_version=1
    )
    changes = history.describe(saved.edit_record.before, saved.edit_record.after)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Faste årsverk", "", "4"),
        ("Deltakere", "8 deltakere", "8 deltakere"),
    ]
    assert changes[1].lines == [
        "+ Drammen (3005)",
        "− Hjartdal (3819)",
        "Kongsberg (3006): Eierandel (prosent): (tom) → 20",
    ]


def _example_spec(**row_changes):
    with resources.as_file(
        resources.files("samarbeid.examples").joinpath("buskerud2021.csv")
    ) as path:
        result = Validator(read_workbook(path), mapping_name="Buskerud 2021").run()
    for spec in result.spec.arrangements:
        for attr, value in row_changes.get(spec.ref, {}).items():
            setattr(spec, attr, value)
    return result.spec


def _import_with_hook(spec, source="Import av buskerud2021.csv", user_name="ola"):
    """An import with the history hook: write_mapping's own once it has it (``source`` and
    ``user_name`` arguments), else the two calls around it that the hook consists of."""
    counted = ChangeRecord.objects.count()
    with transaction.atomic():
        if "source" in inspect.signature(write_mapping).parameters:
            mapping, _counts = write_mapping(spec, source=source, user_name=user_name)
        else:
            before = history.capture(Mapping.objects.filter(name=spec.name).first())
            mapping, _counts = write_mapping(spec)
            history.record_import(mapping, before, source=source, user_name=user_name)
    return mapping, ChangeRecord.objects.count() - counted


@pytest.mark.django_db
def test_import_hook_records_created_and_changed_arrangements():
    from decimal import Decimal

    mapping, n = _import_with_hook(_example_spec())
    assert n == 234
    created = ChangeRecord.objects.get(ref=REF)
    assert created.action == "opprettet" and created.channel == "import" and created.version == 1
    assert created.user_name == "ola" and created.source == "Import av buskerud2021.csv"
    assert created.after == history.snapshot(_get(mapping))

    # The same file again: nothing changed, nothing recorded.
    assert _import_with_hook(_example_spec())[1] == 0
    # One arrangement changed in the file: one record, a new version.
    _mapping, n = _import_with_hook(
        _example_spec(**{REF: {"arsverk": Decimal("2.5")}}), source="Import av ny fil"
    )
    assert n == 1
    a = _get(mapping)
    assert a.version == 2
    record = history.last_change(a)
    assert (record.action, record.version, record.changed) == ("endret", 2, ["arsverk"])
    assert record.before["values"]["arsverk"] == "" and record.after["values"]["arsverk"] == "2.5"
    assert _get(mapping, "BUS21-001").version == 1


def test_import_while_a_form_is_open_gives_the_editor_a_conflict(users, loaded_example):
    from decimal import Decimal

    opened = _get(loaded_example)
    _import_with_hook(_example_spec(**{REF: {"arsverk": Decimal("2.5")}}), user_name="ola")
    with pytest.raises(EditConflict) as caught:
        _edit(opened, users["kartlegger"], arsverk="3")
    assert caught.value.changed_by == "ola" and caught.value.current_version == 2


def test_restore_an_earlier_version(users, loaded_example):
    first = _edit(_get(loaded_example), users["hjartdal"], "a", arsverk="2", sektor="helse")
    second = _edit(first, users["tinn"], "b", arsverk="5", vertskommune="ingen")
    assert history.snapshot_at(second, 2) == first.edit_record.after

    restored = editing.restore_version(
        first.edit_record, user=users["kartlegger"], source="Feil i b", expected_version=3
    )
    assert restored.version == 4
    assert history.snapshot(restored) == first.edit_record.after
    record = restored.edit_record
    assert record.action == "gjenopprettet" and record.restored_from == first.edit_record
    assert record.changed == ["vertskommune", "arsverk"] and record.source == "Feil i b"

    # Back to the version before any recorded change (nothing records it as an "after").
    original = editing.restore_version(
        first.edit_record,
        user=users["kartlegger"],
        source="Tilbake til kartleggingen",
        expected_version=4,
        before=True,
    )
    assert history.snapshot(original) == first.edit_record.before
    edits = history.changes_of(original).exclude(channel="import")
    assert [r.version for r in edits] == [5, 4, 3, 2]


def test_only_mapping_editors_restore_and_versions_are_checked(users, loaded_example):
    first = _edit(_get(loaded_example), users["hjartdal"], arsverk="2")
    with pytest.raises(EditForbidden, match="Bare kartleggeren"):
        editing.restore_version(first.edit_record, user=users["hjartdal"], source="x", before=True)
    with pytest.raises(EditConflict):
        editing.restore_version(
            first.edit_record, user=users["kartlegger"], source="x", expected_version=1
        )


def test_a_restored_version_is_checked_by_todays_rules(users, loaded_example):
    first = _edit(_get(loaded_example), users["kartlegger"], arsverk="2")
    record = first.edit_record
    record.before["values"]["arsverk"] = "mange"  # as if the rules had changed since
    record.save()
    with pytest.raises(EditRejected) as caught:
        editing.restore_version(
            record, user=users["kartlegger"], source="x", expected_version=2, before=True
        )
    assert caught.value.by_field()["arsverk"] == [
        "«mange» er ikke et tall. Forventet antall årsverk, et tall ≥ 0."
    ]


def test_restore_a_deleted_arrangement_with_its_history(users, loaded_example):
    edited = _edit(_get(loaded_example), users["kartlegger"], arsverk="2")
    deletion = editing.delete_arrangement(
        edited, user=users["kartlegger"], source="Feilregistrert", expected_version=2
    )
    assert not ChangeRecord.objects.filter(ref=REF, arrangement__isnull=False).exists()
    back = editing.restore_version(deletion, user=users["kartlegger"], source="Var riktig likevel")
    assert back.ref == REF and back.version == 4
    assert history.snapshot(back) == deletion.before
    edits = history.changes_of(back).exclude(channel="import")
    assert [r.action for r in edits] == ["gjenopprettet", "slettet", "endret"]
    assert history.deleted_in(loaded_example) == []


def test_every_record_names_its_source(loaded_example):
    with pytest.raises(ValueError):
        history.record(
            mapping=loaded_example,
            arrangement=None,
            ref="X",
            name="X",
            action="endret",
            version=1,
            before=None,
            after=None,
            source=" ",
            channel="nett",
        )
