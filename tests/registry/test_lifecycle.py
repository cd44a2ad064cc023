"""A mapping's lifecycle (draft → verification → frozen), who may move it, who may read a draft."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from samarbeid.registry import lifecycle, permissions
from samarbeid.registry.models import Mapping, MappingStatusChange, Municipality, RoleAssignment

Role = RoleAssignment.Role
Status = Mapping.Status


@pytest.fixture
def people(db):
    User = get_user_model()
    mapping = Mapping.objects.create(name="Utkast 2026", cutoff_date="2026-01-01")
    other = Mapping.objects.create(name="Annen 2026", cutoff_date="2026-01-01")
    made = {
        name: User.objects.create_user(name, password="x")
        for name in ("editor", "other_editor", "reader", "reader_all", "municipal", "nobody")
    }
    made["admin"] = User.objects.create_superuser("admin", password="x")
    permissions.grant(made["editor"], Role.MAPPING_EDITOR, mapping=mapping)
    permissions.grant(made["other_editor"], Role.MAPPING_EDITOR, mapping=other)
    permissions.grant(made["reader"], Role.READER, mapping=mapping)
    permissions.grant(made["reader_all"], Role.READER)
    entity = Municipality.objects.first()
    permissions.grant(
        made["municipal"], Role.MUNICIPALITY_EDITOR, municipality=entity, mapping=mapping
    )
    return mapping, other, made


def test_a_new_mapping_is_a_draft(people):
    mapping, _other, _ = people
    assert mapping.status == Status.DRAFT and not mapping.is_public and not mapping.frozen


def test_who_reads_a_draft(people):
    mapping, other, users = people
    readers = {name for name, user in users.items() if permissions.can_view_mapping(user, mapping)}
    assert readers == {"editor", "reader", "reader_all", "municipal", "admin"}
    assert not permissions.can_view_mapping(None, mapping)
    visible = set(
        Mapping.objects.filter(permissions.visible_mappings(users["reader"])).values_list(
            "name", flat=True
        )
    )
    assert visible == {"Utkast 2026"}  # the other draft is not the reader's
    assert Mapping.objects.filter(permissions.visible_mappings(None)).count() == 0
    lifecycle.set_status(mapping, Status.VERIFICATION, user=users["editor"], source="Runde 1")
    assert permissions.can_view_mapping(None, mapping)
    assert set(Mapping.objects.filter(permissions.visible_mappings(None))) == {mapping}
    assert not permissions.can_view_mapping(users["nobody"], other)


def test_the_editor_moves_forward_and_back_and_every_step_is_recorded(people):
    mapping, _other, users = people
    editor = users["editor"]
    assert lifecycle.allowed_steps(editor, mapping) == [Status.VERIFICATION, Status.FROZEN]
    lifecycle.set_status(mapping, Status.VERIFICATION, user=editor, source="Runde 1 åpnes")
    lifecycle.set_status(mapping, Status.DRAFT, user=editor, source="Feil i omfanget")
    lifecycle.set_status(mapping, Status.VERIFICATION, user=editor, source="  Rettet  ")
    change = lifecycle.set_status(mapping, Status.FROZEN, user=editor, source="Rapport publisert")
    mapping.refresh_from_db()
    assert mapping.frozen and mapping.is_public
    assert change.user == editor and change.user_name == "editor"
    steps = list(MappingStatusChange.objects.filter(mapping=mapping).order_by("at", "id"))
    assert [(s.before, s.after, s.source) for s in steps] == [
        ("utkast", "kontroll", "Runde 1 åpnes"),
        ("kontroll", "utkast", "Feil i omfanget"),
        ("utkast", "kontroll", "Rettet"),
        ("kontroll", "frosset", "Rapport publisert"),
    ]
    assert not permissions.can_edit_mapping(editor, mapping)


def test_only_an_administrator_unfreezes(people):
    mapping, _other, users = people
    lifecycle.set_status(mapping, Status.FROZEN, user=users["editor"], source="Ferdig")
    assert lifecycle.allowed_steps(users["editor"], mapping) == []
    with pytest.raises(lifecycle.LifecycleError, match="Bare en administrator kan åpne den igjen"):
        lifecycle.set_status(mapping, Status.VERIFICATION, user=users["editor"], source="Feil")
    lifecycle.set_status(mapping, Status.VERIFICATION, user=users["admin"], source="Rettelse")
    assert Mapping.objects.get(pk=mapping.pk).status == Status.VERIFICATION


@pytest.mark.parametrize("who", ["other_editor", "reader", "reader_all", "municipal", "nobody"])
def test_others_may_not_change_the_status(people, who):
    mapping, _other, users = people
    with pytest.raises(lifecycle.LifecycleError, match="ikke rett til å endre status"):
        lifecycle.set_status(mapping, Status.VERIFICATION, user=users[who], source="x")
    assert Mapping.objects.get(pk=mapping.pk).status == Status.DRAFT
    assert not MappingStatusChange.objects.exists()


@pytest.mark.parametrize(
    ("status", "source", "message"),
    [
        ("kontroll", "   ", "Oppgi en begrunnelse"),
        ("publisert", "x", "Ukjent status «publisert». Gyldige verdier: «utkast», «kontroll»"),
        ("utkast", "x", "har allerede status «Utkast»"),
    ],
)
def test_bad_steps_are_refused_with_a_message(people, status, source, message):
    mapping, _other, users = people
    with pytest.raises(lifecycle.LifecycleError, match=message):
        lifecycle.set_status(mapping, status, user=users["admin"], source=source)
    assert not MappingStatusChange.objects.exists()


def test_a_command_acts_for_the_operator(people):
    mapping, _other, _users = people
    change = lifecycle.set_status(
        mapping, Status.FROZEN, user=None, source="Vedtatt", command="status"
    )
    assert change.user is None and change.user_name == "kommando: status"


@pytest.mark.django_db(transaction=True)
def test_migration_keeps_existing_mappings_public():
    """Before the lifecycle a mapping was public, frozen or not: it stays so (0004)."""
    executor = MigrationExecutor(connection)
    executor.migrate([("registry", "0003_editing_roles_history")])
    old = executor.loader.project_state([("registry", "0003_editing_roles_history")]).apps
    OldMapping = old.get_model("registry", "Mapping")
    OldMapping.objects.create(name="Åpen", cutoff_date="2021-01-01", frozen=False)
    OldMapping.objects.create(name="Frosset", cutoff_date="2021-01-01", frozen=True)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Mapping.objects.values_list("name", "status")) == {
        "Åpen": "kontroll",
        "Frosset": "frosset",
    }
