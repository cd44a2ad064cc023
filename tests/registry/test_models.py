"""Reference data in the database and the constraints the database itself holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q

from samarbeid.registry.models import (
    Arrangement,
    County,
    Mapping,
    Membership,
    Municipality,
    MunicipalityChange,
    MunicipalityPeriod,
    Population,
    TaskArea,
)

pytestmark = pytest.mark.django_db


def _valid_at(day: dt.date):
    return MunicipalityPeriod.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


def test_reference_data_is_loaded_by_migrate() -> None:
    assert _valid_at(dt.date(2019, 6, 1)).values("number").distinct().count() == 422
    assert _valid_at(dt.date(2021, 11, 1)).values("number").distinct().count() == 356
    assert _valid_at(dt.date(2024, 6, 1)).values("number").distinct().count() == 357
    assert TaskArea.objects.count() == 45
    assert Population.objects.get(number="3005", year=2021).population == 101859


def test_drammen_is_one_entity_across_the_2024_renumbering() -> None:
    drammen = MunicipalityPeriod.objects.get(number="3005").municipality
    assert sorted(drammen.periods.values_list("number", flat=True)) == ["3005", "3301"]
    merged_from = MunicipalityChange.objects.filter(after__number="3005", kind="merged")
    assert sorted(merged_from.values_list("before__number", flat=True)) == ["0602", "0625", "0711"]
    assert MunicipalityPeriod.objects.get(number="0602").municipality != drammen


def test_overlapping_periods_of_one_number_are_refused_by_the_database() -> None:
    existing = MunicipalityPeriod.objects.get(number="3005")
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalityPeriod.objects.create(
            municipality=Municipality.objects.create(key="x", name="X"),
            number="3005",
            name="X",
            name_official="X",
            county=existing.county,
            valid_from=dt.date(2022, 1, 1),
            valid_to=dt.date(2022, 12, 31),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        County.objects.create(number="30", name="Viken 2", valid_from=dt.date(2021, 1, 1))


def _arrangement(**fields: object) -> Arrangement:
    mapping, _ = Mapping.objects.get_or_create(
        name="M", defaults={"cutoff_date": dt.date(2021, 11, 1)}
    )
    return Arrangement.objects.create(
        mapping=mapping, ref=fields.pop("ref", "A"), name=fields.pop("name", "A"), **fields
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"arsverk": -1},
        {"budget": -5},
        {"org_number": "12345"},
        {"established_from": 2010, "established_to": 2000},
        {"host_status": "ingen", "host_id": -1},
    ],
)
def test_arrangement_checks(fields: dict) -> None:
    if fields.get("host_id") == -1:
        fields["host_id"] = MunicipalityPeriod.objects.get(number="3005").id
    with pytest.raises(IntegrityError), transaction.atomic():
        _arrangement(**fields)


def test_names_are_unique_per_mapping() -> None:
    _arrangement(ref="A", name="Same")
    with pytest.raises(IntegrityError), transaction.atomic():
        _arrangement(ref="B", name="Same")


@pytest.mark.parametrize("share", [-1, 100.5])
def test_ownership_share_within_0_100(share: float) -> None:
    arrangement = _arrangement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            arrangement=arrangement,
            kind="kommune",
            ownership_share=share,
            municipality=MunicipalityPeriod.objects.get(number="3005"),
        )


def test_membership_kind_must_match_its_participant() -> None:
    arrangement = _arrangement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(arrangement=arrangement, kind="kommune")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(arrangement=arrangement, kind="annen", other_name="")


def test_counted_arrangements_and_visible_mappings(loaded_example) -> None:
    from samarbeid.registry.models import COUNTED, Arrangement, Mapping

    everything = Arrangement.objects.filter(mapping=loaded_example)
    counted = everything.counted()
    assert counted.count() == everything.filter(status=COUNTED).count() > 0
    assert counted.count() + everything.not_counted().count() == everything.count()
    assert everything.not_counted().exists()
    assert list(Mapping.objects.visible_to(None)) == [loaded_example]  # public after the load
    Mapping.objects.filter(pk=loaded_example.pk).update(status=Mapping.Status.DRAFT)
    assert not Mapping.objects.visible_to(None).exists()
