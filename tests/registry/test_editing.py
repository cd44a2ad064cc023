"""Roles and editing on the Buskerud 2021 example: who may change what, the intake's rules and
messages for every edit, optimistic locking, create and delete."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from samarbeid.intake.commands import check_path
from samarbeid.intake.writers import write_csv
from samarbeid.registry import editing, history, permissions
from samarbeid.registry.editing import EditConflict, EditForbidden, EditRejected
from samarbeid.registry.models import (
    Arrangement,
    ChangeRecord,
    Mapping,
    Membership,
    Municipality,
    RoleAssignment,
)
from tests.conftest import _Null

BOTH = "BUS21-007"  # Tilsyn- og ulovlighetsoppfølging i Kongsbergregionen: Hjartdal and Tinn
TINN_ONLY = "BUS21-008"  # Kommuneadvokaten i Kongsbergregionen: Tinn, not Hjartdal
NEITHER = "BUS21-010"  # Kongsberg Krisesenter: neither


@pytest.fixture
def users(loaded_example, settings):  # fast tests
    call_command("create_demo_users", stdout=_Null())
    User = get_user_model()
    found = {u.username: u for u in User.objects.all()}
    found["anonym"] = AnonymousUser()
    return found


def _get(mapping: Mapping, ref: str) -> Arrangement:
    return Arrangement.objects.select_related("mapping").get(mapping=mapping, ref=ref)


def _edits():
    """Changes made by editing (an import may also have recorded the example's arrival)."""
    return ChangeRecord.objects.exclude(channel=ChangeRecord.Channel.IMPORT)


# --- Roles -------------------------------------------------------------------------------------


def test_role_labels(users):
    assert permissions.role_labels(users["anonym"]) == ["Uten rolle (offentlig innsyn)"]
    assert permissions.role_labels(users["kartlegger"]) == ["Kartlegger for Buskerud 2021"]
    assert permissions.role_labels(users["tinn"]) == ["Kommuneredaktør for Tinn"]
    assert permissions.role_labels(users["hjartdal"]) == ["Kommuneredaktør for Hjartdal"]
    assert permissions.role_labels(users["admin"]) == ["Administrator"]


def test_demo_users_command_is_idempotent(users, capsys):
    call_command("create_demo_users")
    out = capsys.readouterr().out
    for name in ("kartlegger", "hjartdal", "tinn", "leser", "admin", "demo-tinn"):
        assert name in out
    assert "Leser for Buskerud 2021" in out
    assert RoleAssignment.objects.count() == 4
    # The portfolio adds its own: the secretariat of Grenlandssamarbeidet (an example body).
    assert "Sekretariat for Grenlandssamarbeidet" in out
    assert get_user_model().objects.count() == 6
    assert users["tinn"].check_password("demo-tinn")


def test_demo_password_from_environment(loaded_example, monkeypatch, settings):
    monkeypatch.setenv("SAMARBEID_DEMO_PASSWORD", "hemmelig-demo")
    call_command("create_demo_users", stdout=_Null())
    assert get_user_model().objects.get(username="kartlegger").check_password("hemmelig-demo")


def test_who_may_edit_which_arrangement(users, loaded_example):
    both, tinn_only, neither = (_get(loaded_example, r) for r in (BOTH, TINN_ONLY, NEITHER))
    can = permissions.can_edit_arrangement
    for a in (both, tinn_only, neither):
        assert can(users["kartlegger"], a) and can(users["admin"], a)
        assert not can(users["anonym"], a)
    assert can(users["tinn"], both) and can(users["tinn"], tinn_only)
    assert not can(users["tinn"], neither)
    assert can(users["hjartdal"], both)
    assert not can(users["hjartdal"], tinn_only) and not can(users["hjartdal"], neither)
    assert permissions.editable_municipalities(users["tinn"], loaded_example) == {"0826@"}
    assert permissions.editable_municipalities(users["kartlegger"], loaded_example) == set()
    assert permissions.editable_municipalities(users["anonym"], loaded_example) == set()
    # Creating: mapping editors and municipality editors; deleting and restoring: mapping editors.
    assert permissions.can_create_arrangement(users["tinn"], loaded_example)
    assert not permissions.can_create_arrangement(users["anonym"], loaded_example)
    assert not permissions.can_delete_arrangement(users["tinn"], both)
    assert permissions.can_delete_arrangement(users["kartlegger"], both)
    assert not permissions.can_restore(users["hjartdal"], loaded_example)
    assert permissions.can_restore(users["admin"], loaded_example)


def test_inactive_users_and_other_mappings_edit_nothing(users, loaded_example):
    a = _get(loaded_example, BOTH)
    other = Mapping.objects.create(name="Annen", cutoff_date=loaded_example.cutoff_date)
    User = get_user_model()
    elsewhere = User.objects.create_user("annen-kartlegger", password="x")
    permissions.grant(elsewhere, RoleAssignment.Role.MAPPING_EDITOR, mapping=other)
    assert not permissions.can_edit_arrangement(elsewhere, a)
    scoped = User.objects.create_user("tinn-annen", password="x")
    tinn = Municipality.objects.get(key="0826@")
    permissions.grant(
        scoped, RoleAssignment.Role.MUNICIPALITY_EDITOR, municipality=tinn, mapping=other
    )
    assert not permissions.can_edit_arrangement(scoped, a)
    assert permissions.role_labels(scoped) == ["Kommuneredaktør for Tinn i Annen"]
    users["kartlegger"].is_active = False
    assert not permissions.can_edit_arrangement(users["kartlegger"], a)


def test_frozen_mapping_is_read_only_for_everyone(users, loaded_example):
    loaded_example.status = "frosset"
    loaded_example.save()
    a = _get(loaded_example, BOTH)
    for name in ("admin", "kartlegger", "tinn"):
        assert not permissions.can_edit_arrangement(users[name], a)
        assert not permissions.can_create_arrangement(users[name], loaded_example)
    with pytest.raises(EditForbidden, match="frosset"):
        editing.update_arrangement(
            a, {"arsverk": "1"}, None, user=users["admin"], source="x", expected_version=1
        )
    assert _get(loaded_example, BOTH).arsverk is None


# --- Updating -----------------------------------------------------------------------------------


def test_update_writes_values_and_history(users, loaded_example):
    a = _get(loaded_example, BOTH)
    saved = editing.update_arrangement(
        a,
        {"arsverk": "3,5", "sektor": "Helsetjenester", "oppgaveomrader": "8; 3"},
        None,
        user=users["hjartdal"],
        source="E-post fra Hjartdal kommune 3. mars",
        expected_version=1,
    )
    assert saved.version == 2
    assert str(saved.arsverk) == "3.50" and saved.sector == "helse"
    assert sorted(saved.task_areas.values_list("nr", flat=True)) == [3, 8]
    assert saved.memberships.count() == 8  # memberships=None keeps the participants
    record = saved.edit_record
    assert record.action == ChangeRecord.Action.UPDATED and record.version == 2
    assert record.user == users["hjartdal"] and record.user_name == "Hanne Hjartdal"
    assert record.source == "E-post fra Hjartdal kommune 3. mars"
    assert record.changed == ["sektor", "oppgaveomrader", "arsverk"]
    assert record.before["values"]["arsverk"] == "" and record.after["values"]["arsverk"] == "3.5"
    assert record.after == history.snapshot(saved)


def test_saving_without_changes_records_nothing(users, loaded_example):
    a = _get(loaded_example, BOTH)
    snap = history.snapshot(a)
    saved = editing.update_arrangement(
        a,
        snap["values"],
        snap["memberships"],
        user=users["kartlegger"],
        source="x",
        expected_version=1,
    )
    assert saved.version == 1 and saved.edit_record is None
    assert not _edits().exists()


def test_every_example_arrangement_survives_a_save_unchanged(users, loaded_example):
    """The edit path (intake validator + importer's value mapping) reproduces exactly what the
    import wrote, for all 234 arrangements: the one rule set, the same code paths."""
    admin = users["admin"]
    for a in Arrangement.objects.filter(mapping=loaded_example).select_related("mapping"):
        snap = history.snapshot(a)
        saved = editing.update_arrangement(
            a, snap["values"], snap["memberships"], user=admin, source="x", expected_version=1
        )
        assert saved.edit_record is None, a.ref
    assert not _edits().exists()


def _intake_messages(tmp_path: Path, mapping: Mapping, row: dict, members: list[dict]):
    """What `samarbeid check` says about the same row in a mapping file."""
    tables = {
        "Kartlegging": [
            {"felt": "navn", "verdi": mapping.name},
            {"felt": "dato", "verdi": mapping.cutoff_date.isoformat()},
        ],
        "Kommuner": [{"kommune": "Kongsberg"}],
        "Ordninger": [row],
        "Deltakere": [{"ordning_id": row["id"], **m} for m in members],
    }
    path = tmp_path / "fil.csv"
    write_csv(tables, path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    first_member_line = lines.index("#Deltakere") + 3  # the section line, then the header
    result = check_path(str(path), mapping_name=None, cutoff=None)
    by_column: dict[str, list[str]] = {}
    for f in result.errors:
        key = (
            f.column
            if f.sheet == "Ordninger"
            else f"deltaker:{f.row - first_member_line}:{f.column}"
        )
        by_column.setdefault(key, []).append(f.text("nb"))
    return by_column


def test_validation_messages_are_the_intakes_own(users, loaded_example, tmp_path):
    a = _get(loaded_example, BOTH)
    snap = history.snapshot(a)
    bad = {
        "arsverk": "mange",
        "vertskommune": "Kongsbergg",
        "juridisk_form": "iksx",
        "organisasjonsnummer": "123",
        "etablert": "2099",
        "budsjett": "-5",
        "oppgaveomrader": "3; 99",
        "deltakerliste": "nesten",
    }
    members = [dict(m) for m in snap["memberships"]]
    members[2]["eierandel"] = "150"
    members.append({"deltaker": "Tinnn"})
    with pytest.raises(EditRejected) as caught:
        editing.update_arrangement(
            a, bad, members, user=users["kartlegger"], source="x", expected_version=1
        )
    problems = caught.value.problems
    ours: dict[str, list[str]] = {}
    for p in problems:
        key = p.field if p.field != "deltakere" else f"deltaker:{p.row}:{p.column}"
        ours.setdefault(key, []).append(p.message)
    row = {**snap["values"], **bad}
    assert ours == _intake_messages(tmp_path, loaded_example, row, members)
    assert set(ours) >= {*bad, "deltaker:2:eierandel", "deltaker:8:deltaker"}
    assert "Forslag: Kongsberg (3006)" in ours["vertskommune"][0]
    assert all(p.finding is not None for p in problems)
    assert caught.value.by_field()["arsverk"] == ours["arsverk"]
    assert _get(loaded_example, BOTH).version == 1  # nothing written


def test_source_is_required(users, loaded_example):
    a = _get(loaded_example, BOTH)
    with pytest.raises(EditRejected) as caught:
        editing.update_arrangement(
            a, {"arsverk": "2"}, None, user=users["kartlegger"], source="  ", expected_version=1
        )
    assert caught.value.by_field()["endringskilde"][0].startswith("Kilden for endringen mangler")


def test_id_cannot_change_and_names_stay_unique(users, loaded_example):
    a = _get(loaded_example, BOTH)
    kwargs = {"user": users["kartlegger"], "source": "x", "expected_version": 1}
    with pytest.raises(EditRejected) as caught:
        editing.update_arrangement(a, {"id": "BUS21-999"}, None, **kwargs)
    assert "Id-en kan ikke endres" in caught.value.by_field()["id"][0]
    with pytest.raises(EditRejected) as caught:
        editing.update_arrangement(a, {"navn": "kongsberg  krisesenter"}, None, **kwargs)
    assert "(ordning BUS21-010)" in caught.value.by_field()["navn"][0]


def test_municipality_editor_must_keep_its_municipality(users, loaded_example):
    a = _get(loaded_example, BOTH)
    snap = history.snapshot(a)
    without_tinn = [m for m in snap["memberships"] if m["deltaker"] != "Tinn"]
    with pytest.raises(EditRejected) as caught:
        editing.update_arrangement(
            a, {}, without_tinn, user=users["tinn"], source="x", expected_version=1
        )
    message = caught.value.by_field()["deltakere"][0]
    assert message.startswith("Som kommuneredaktør kan du bare lagre ordninger som Tinn deltar i")
    # Recording that Tinn left is the way.
    left = [
        dict(m, ut_dato="2021-06-30") if m["deltaker"] == "Tinn" else m for m in snap["memberships"]
    ]
    saved = editing.update_arrangement(
        a, {}, left, user=users["tinn"], source="Vedtak i Tinn", expected_version=1
    )
    tinn = Membership.objects.get(arrangement=saved, municipality__name="Tinn")
    assert str(tinn.left_on) == "2021-06-30"


def test_municipality_editor_is_refused_elsewhere(users, loaded_example):
    a = _get(loaded_example, NEITHER)
    with pytest.raises(EditForbidden) as caught:
        editing.update_arrangement(
            a, {"arsverk": "1"}, None, user=users["tinn"], source="x", expected_version=1
        )
    assert "Du er kommuneredaktør for Tinn, og Tinn deltar ikke i" in caught.value.message
    with pytest.raises(EditForbidden):
        editing.update_arrangement(
            a, {"arsverk": "1"}, None, user=users["anonym"], source="x", expected_version=1
        )


# --- Optimistic locking ---------------------------------------------------------------------------


def test_second_editor_gets_a_conflict_not_an_overwrite(users, loaded_example):
    first_view = _get(loaded_example, BOTH)
    second_view = _get(loaded_example, BOTH)  # both opened version 1
    editing.update_arrangement(
        first_view, {"arsverk": "2"}, None, user=users["hjartdal"], source="a", expected_version=1
    )
    with pytest.raises(EditConflict) as caught:
        editing.update_arrangement(
            second_view,
            {"arsverk": "7"},
            None,
            user=users["tinn"],
            source="b",
            expected_version=second_view.version,
        )
    conflict = caught.value
    assert conflict.current_version == 2 and conflict.changed_by == "Hanne Hjartdal"
    assert conflict.changed_at is not None and not conflict.deleted
    assert "Ordningen ble endret av Hanne Hjartdal" in str(conflict)
    assert str(_get(loaded_example, BOTH).arsverk) == "2.00"
    assert _edits().count() == 1


def test_conflict_is_checked_by_the_update_itself(users, loaded_example, monkeypatch):
    """Even when a change slips in after the version was read, the conditional UPDATE refuses."""
    a = _get(loaded_example, BOTH)
    real_prepare = editing._prepare

    def prepare_then_someone_else_saves(*args, **kwargs):
        checked = real_prepare(*args, **kwargs)
        Arrangement.objects.filter(pk=a.pk).update(version=5)
        return checked

    monkeypatch.setattr(editing, "_prepare", prepare_then_someone_else_saves)
    with pytest.raises(EditConflict) as caught:
        editing.update_arrangement(
            a, {"arsverk": "9"}, None, user=users["admin"], source="x", expected_version=1
        )
    assert caught.value.current_version == 5
    assert _get(loaded_example, BOTH).arsverk is None


# --- Create and delete ----------------------------------------------------------------------------


def test_create_gets_the_next_id_and_a_record(users, loaded_example):
    saved = editing.create_arrangement(
        loaded_example,
        {"navn": "Numedal barnevern", "juridisk_form": "vertskommune", "vertskommune": "Rollag"},
        [{"deltaker": "Rollag"}, {"deltaker": "Flesberg"}, {"deltaker": "Nore og Uvdal"}],
        user=users["kartlegger"],
        source="Avtale datert 1. mars",
    )
    assert saved.ref == "BUS21-235" and saved.version == 1
    assert saved.host.name == "Rollag" and saved.memberships.count() == 3
    assert saved.position > _get(loaded_example, "BUS21-234").position
    record = saved.edit_record
    assert record.action == "opprettet" and record.before is None
    assert record.after["values"]["navn"] == "Numedal barnevern"
    assert editing.next_ref(loaded_example) == "BUS21-236"


def test_create_by_municipality_editor_needs_its_municipality(users, loaded_example):
    with pytest.raises(EditRejected) as caught:
        editing.create_arrangement(
            loaded_example,
            {"navn": "Noe i Drammen"},
            [{"deltaker": "Drammen"}],
            user=users["tinn"],
            source="x",
        )
    assert "Tinn deltar i" in caught.value.by_field()["deltakere"][0]
    saved = editing.create_arrangement(
        loaded_example,
        {"navn": "Tinn og Vinje nærsamarbeid", "id": "TINN-1"},
        [{"deltaker": "Tinn"}, {"deltaker": "Vinje"}],
        user=users["tinn"],
        source="Tinn kommune",
    )
    assert saved.ref == "TINN-1"
    with pytest.raises(EditRejected) as caught:
        editing.create_arrangement(
            loaded_example, {"navn": "Annet", "id": "TINN-1"}, [{"deltaker": "Tinn"}],
            user=users["tinn"], source="x",
        )  # fmt: skip
    assert "allerede brukt" in caught.value.by_field()["id"][0]


@pytest.mark.parametrize(
    ("dates", "allowed"),
    [
        ({"ut_dato": "2001-06-30"}, False),  # left long before the mapping date (2021-11-01)
        ({"inn_dato": "2022-01-01"}, False),  # joins only after it
        ({"inn_dato": "2001-01-01", "ut_dato": "2030-01-01"}, True),
        ({}, True),
    ],
)
def test_a_municipality_editor_saves_only_what_its_municipality_takes_part_in_on_the_date(
    users, loaded_example, dates, allowed
):
    """The same participation rule as the role check: a new arrangement Tinn left in 2001 (or
    joins in 2022) is not Tinn's to save in the 2021 mapping."""
    create = functools.partial(
        editing.create_arrangement,
        loaded_example,
        {"navn": "Tinn og Vinje nærsamarbeid", "id": "TINN-2"},
        [{"deltaker": "Tinn", **dates}, {"deltaker": "Vinje"}],
        user=users["tinn"],
        source="Tinn kommune",
    )
    if allowed:
        assert create().ref == "TINN-2"
    else:
        with pytest.raises(EditRejected) as caught:
            create()
        assert "Tinn deltar i" in caught.value.by_field()["deltakere"][0]


def test_delete_keeps_the_history(users, loaded_example):
    a = _get(loaded_example, NEITHER)
    with pytest.raises(EditForbidden):
        editing.delete_arrangement(a, user=users["tinn"], source="x", expected_version=1)
    with pytest.raises(EditConflict):
        editing.delete_arrangement(a, user=users["kartlegger"], source="x", expected_version=3)
    record = editing.delete_arrangement(
        a, user=users["kartlegger"], source="Dobbeltregistrering", expected_version=1
    )
    assert not Arrangement.objects.filter(pk=a.pk).exists()
    assert record.action == "slettet" and record.arrangement is None and record.ref == NEITHER
    assert record.before["values"]["navn"] == "Kongsberg Krisesenter" and record.after is None
    assert history.deleted_in(loaded_example) == [record]
    # An editor who still has the form open is told it was deleted, and by whom.
    with pytest.raises(EditConflict) as caught:
        editing.update_arrangement(
            a, {"arsverk": "1"}, None, user=users["admin"], source="x", expected_version=1
        )
    assert caught.value.deleted and caught.value.changed_by == "Kari Kartlegger"
