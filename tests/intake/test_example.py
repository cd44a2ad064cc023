"""The Buskerud 2021 example: check as printed and corrected, load, idempotence, summary."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from samarbeid.intake.commands import check_path
from samarbeid.intake.models import ImportRun
from samarbeid.registry.models import Arrangement, Membership
from samarbeid.registry.summary import municipality_summary
from tests.conftest import FIXTURES


def test_as_printed_file_reports_hjardal_with_suggestion() -> None:
    result = check_path(
        str(FIXTURES / "buskerud2021-som-trykt.xlsx"), mapping_name=None, cutoff=None
    )
    lines = [f.format() for f in result.errors]
    assert (
        "buskerud2021-som-trykt.xlsx, ark Deltakere, rad 8, kolonne deltaker: feil: Ukjent kommune "
        "«Hjardal». Forventet navn eller nummer på en kommune som fantes på 2021-11-01. "
        "Forslag: Hjartdal (3819), Hurdal (3037), Arendal (4203)."
    ) in lines
    ambiguous = [
        f for f in result.errors if f.code == "municipality_ambiguous" and f.value == "Våler"
    ]
    assert ambiguous and "Våler (Viken) 3018 / Våler (Innlandet) 3419" in ambiguous[0].format()
    english = [f.format("en") for f in result.errors if f.value == "Hjardal"]
    assert english[0].endswith(
        "error: Unknown municipality “Hjardal”. Expected the name or number of a municipality that "
        "existed on 2021-11-01. Suggestion: Hjartdal (3819), Hurdal (3037), Arendal (4203)."
    )


@pytest.mark.parametrize(
    "name", ["buskerud2021.xlsx", "../../src/samarbeid/examples/buskerud2021.csv"]
)
def test_corrected_file_has_no_errors(name: str) -> None:
    result = check_path(str(FIXTURES / name), mapping_name=None, cutoff=None)
    assert result.errors == []
    assert len(result.spec.arrangements) == 234
    statuses = [a.status for a in result.spec.arrangements]
    assert statuses.count("telles") == 221
    assert statuses.count("avsluttet") == 12
    assert statuses.count("utenfor") == 1


def test_ended_arrangement_members_resolve_at_the_time_it_ran(loaded_example) -> None:
    kemneren = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-225")
    members = {m.municipality.number: m.municipality.name for m in kemneren.memberships.all()}
    # Ended 2020-11-01: Drammen is the merged 3005; Sande, Svelvik, Røyken, Hurum are the 2019 ones.
    assert members == {
        "3005": "Drammen",
        "0713": "Sande",
        "0711": "Svelvik",
        "0627": "Røyken",
        "0628": "Hurum",
    }


def test_load_example_is_idempotent(loaded_example) -> None:
    before = list(Arrangement.objects.filter(mapping=loaded_example).order_by("id").values())
    members_before = list(Membership.objects.order_by("id").values_list("id", flat=True))
    out = io.StringIO()
    call_command("load_example", stdout=out)
    assert "uendret" in out.getvalue()
    assert (
        list(Arrangement.objects.filter(mapping=loaded_example).order_by("id").values()) == before
    )
    assert list(Membership.objects.order_by("id").values_list("id", flat=True)) == members_before
    runs = list(ImportRun.objects.order_by("started").values_list("outcome", flat=True))
    assert runs == ["importert", "uendret"]


def test_unknown_stays_unknown(loaded_example) -> None:
    unknown_host = Arrangement.objects.filter(
        mapping=loaded_example, status="telles", host_status=""
    )
    assert unknown_host.count() == 221 - 11
    assert not Arrangement.objects.filter(mapping=loaded_example, host_status="ingen").exists()
    blank_form = Arrangement.objects.filter(mapping=loaded_example, legal_form="")
    assert blank_form.exists()


def test_summary_counts_only_counted_arrangements(loaded_example) -> None:
    table = municipality_summary(loaded_example)
    assert (table.counted, table.not_counted) == (221, 13)
    rows = {r.name: r for r in table.rows}
    assert len(rows) == 25
    # Hol takes part in the most counted arrangements; Kongsberg hosts three known ones.
    assert table.rows[0].name == "Hol"
    assert rows["Kongsberg"].hosted == 3
    # Drammen hosts two known arrangements and so is never "served by others" in them.
    assert rows["Drammen"].hosted == 2 and rows["Drammen"].served_by_others == 0
    # Ended arrangements do not count: Lier is in several ended Drammensregionen bodies.
    lier_counted = Membership.objects.filter(
        arrangement__mapping=loaded_example, arrangement__status="telles", municipality__name="Lier"
    ).count()
    assert rows["Lier"].arrangements == lier_counted


def test_regions_of_the_mapping_are_recorded(loaded_example) -> None:
    from samarbeid.registry.models import Region, RegionMembership

    assert sorted(Region.objects.values_list("name", flat=True)) == [
        "Drammensregionen",
        "Hadeland ekskl. Jevnaker",
        "Hallingdal",
        "Kongsbergregionen",
        "Ringeriksregionen",
    ]
    assert RegionMembership.objects.count() == 25
    assert (
        RegionMembership.objects.get(municipality__name="Tinn").region.name == "Kongsbergregionen"
    )
