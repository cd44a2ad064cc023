"""The limits of the mapping file's columns are the limits of the database columns the values land
in: a value the input boundary lets through always fits (SQLite does not enforce lengths,
PostgreSQL does — so a mismatch would show only in production)."""

from __future__ import annotations

import pytest
from django.db import models

from samarbeid.registry.models import Arrangement, Mapping, Membership, Region
from samarbeid.rules.schema import (
    ARRANGEMENTS,
    MAPPING_FIELD_LIMITS,
    MEMBERSHIPS,
    SCOPE,
    TEXT_MAX,
)

#: Column of the file → the model field its (cleaned) text is stored in.
STORED = [
    (ARRANGEMENTS, "id", Arrangement, "ref"),
    (ARRANGEMENTS, "navn", Arrangement, "name"),
    (ARRANGEMENTS, "forkortelse", Arrangement, "abbreviation"),
    (ARRANGEMENTS, "statusmerknad", Arrangement, "status_note"),
    (ARRANGEMENTS, "juridisk_form_kilde", Arrangement, "legal_form_source"),
    (ARRANGEMENTS, "vertskommune_kilde", Arrangement, "host_source"),
    (ARRANGEMENTS, "arsverk", Arrangement, "arsverk"),
    (ARRANGEMENTS, "arsverk_kilde", Arrangement, "arsverk_source"),
    (ARRANGEMENTS, "budsjett", Arrangement, "budget"),
    (ARRANGEMENTS, "beskrivelse", Arrangement, "description"),
    (ARRANGEMENTS, "merknader", Arrangement, "notes"),
    (ARRANGEMENTS, "kilder", Arrangement, "sources"),
    (ARRANGEMENTS, "deltakere_som_trykt", Arrangement, "participants_as_printed"),
    (ARRANGEMENTS, "deltakere_merknad", Arrangement, "participants_note"),
    (MEMBERSHIPS, "deltaker", Membership, "other_name"),
    (MEMBERSHIPS, "eierandel", Membership, "ownership_share"),
    (MEMBERSHIPS, "som_trykt", Membership, "as_printed"),
    (MEMBERSHIPS, "kilde", Membership, "source"),
    (SCOPE, "region", Region, "name"),
]


@pytest.mark.parametrize(("sheet", "key", "model", "name"), STORED)
def test_column_limit_is_the_database_limit(sheet, key, model, name) -> None:
    column = sheet.column(key)
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        assert column.number == (field.max_digits, field.decimal_places)
    elif isinstance(field, models.TextField):
        assert column.max_length == TEXT_MAX
    else:
        assert column.max_length == field.max_length


def test_mapping_fields() -> None:
    assert MAPPING_FIELD_LIMITS["navn"][0] == Mapping._meta.get_field("name").max_length
    assert MAPPING_FIELD_LIMITS["tittel"][0] == Mapping._meta.get_field("title").max_length


def test_every_text_field_of_an_arrangement_is_covered() -> None:
    """A new text field on the arrangement needs its column (and limit) here."""
    covered = {name for _, _, model, name in STORED if model is Arrangement}
    text_fields = {
        f.name
        for f in Arrangement._meta.get_fields()
        if isinstance(f, (models.CharField, models.TextField)) and not f.choices
    }
    not_from_files = {"host_other", "ended_precision", "org_number", "host_status"}
    assert text_fields - not_from_files <= covered
