"""The read API through Django's test client: envelopes, pagination, filters, nulls, 404s."""

from __future__ import annotations

import pytest

from samarbeid.registry.models import (
    Arrangement,
    Mapping,
    MappingMunicipality,
    Membership,
    MunicipalityPeriod,
)
from samarbeid.registry.summary import municipality_summary
from samarbeid.web import places, queries


def _base(mapping: Mapping) -> str:
    return f"/api/kartlegginger/{mapping.pk}/"


def _ok(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def _all_refs(api, mapping: Mapping, **params) -> list[str]:
    """Every ref of a filtered list, following ``next`` links to the end."""
    url = _base(mapping) + "ordninger/"
    data = _ok(api.get(url, page_size=100, **params))
    refs = [a["id"] for a in data["results"]]
    while data["next"]:
        data = _ok(api.client.get(data["next"]))
        refs += [a["id"] for a in data["results"]]
    assert len(refs) == data["count"]
    return refs


def _web_refs(mapping: Mapping, **filters) -> list[str]:
    return [a.ref for a in queries.arrangements(mapping, queries.ArrangementFilter(**filters))]


# --- Root, mappings -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_root_lists_the_entry_points(api):
    data = _ok(api.get("/api/"))
    assert data == {
        "kartlegginger": "http://testserver/api/kartlegginger/",
        "kommuner": "http://testserver/api/kommuner/",
        "organer": "http://testserver/api/organer/",
        "avtaler": "http://testserver/api/avtaler/",
        "utbredelse": "http://testserver/api/utbredelse/",
        "kostnadsdeling": "http://testserver/api/kostnadsdeling/modeller/",
        "openapi": "http://testserver/api/openapi.json",
    }
    # Every entry point answers.
    for url in data.values():
        assert api.get(url.removeprefix("http://testserver")).status_code == 200


@pytest.mark.django_db
def test_no_mappings_is_an_empty_page(api):
    assert _ok(api.get("/api/kartlegginger/")) == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_mapping_list_and_detail(api, loaded_example):
    data = _ok(api.get("/api/kartlegginger/"))
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None
    (item,) = data["results"]
    assert item["id"] == loaded_example.pk
    assert item["navn"] == "Buskerud 2021"
    assert item["dato"] == "2021-11-01"
    assert (item["antall_ordninger"], item["antall_telles"], item["antall_kommuner"]) == (
        234,
        221,
        25,
    )
    assert item["url"] == f"http://testserver{_base(loaded_example)}"
    assert item["lenker"]["eksport_csv"].endswith(f"{_base(loaded_example)}eksport.csv")

    detail = _ok(api.get(_base(loaded_example)))
    assert detail["nokkeltall"] == {
        "antall_ordninger": 234,
        "antall_telles": 221,
        "antall_avsluttet": 12,
        "antall_utenfor": 1,
        "antall_kommuner": 25,
        "antall_med_kjent_vertskommune": 11,
    }
    assert len(detail["omfang"]) == 25
    assert detail["omfang"][0] == {
        "kommunenummer": "3005",
        "kommune": "Drammen",
        "region": "Drammensregionen",
    }


def test_empty_texts_of_a_mapping_are_null(api, loaded_example):
    Mapping.objects.filter(pk=loaded_example.pk).update(title="", description="", source="")
    detail = _ok(api.get(_base(loaded_example)))
    assert detail["tittel"] is None and detail["beskrivelse"] is None and detail["kilde"] is None


@pytest.mark.django_db
def test_unknown_mapping_is_404_json(api):
    for url in [
        "/api/kartlegginger/999/",
        "/api/kartlegginger/999/ordninger/",
        "/api/kartlegginger/999/ordninger/X/",
        "/api/kartlegginger/999/kommuner/",
        "/api/kartlegginger/999/kommuner/3043/",
        "/api/kartlegginger/999/eksport.csv",
        "/api/kartlegginger/99999999999999999999999/",
    ]:
        response = api.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.json()["detail"]


# --- Arrangements: pagination -------------------------------------------------------------------


def test_arrangement_list_is_paginated(api, loaded_example):
    url = _base(loaded_example) + "ordninger/"
    first = _ok(api.get(url))
    assert first["count"] == 234 and len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{url}?page=2"
    assert [a["id"] for a in first["results"]][:2] == ["BUS21-001", "BUS21-002"]
    last = _ok(api.get(url, page=5))
    assert len(last["results"]) == 34 and last["next"] is None
    assert last["previous"] == f"http://testserver{url}?page=4"
    assert _ok(api.get(url, page=2, page_size=100))["results"][0]["id"] == "BUS21-101"
    assert len(_ok(api.get(url, page_size=500))["results"]) == 234
    # Over the maximum: the maximum; nonsense: the default.
    assert _ok(api.get(url, page_size=10_000))["next"] is None
    assert len(_ok(api.get(url, page_size="x"))["results"]) == 50
    assert len(_ok(api.get(url, page_size=0))["results"]) == 50
    for page in (6, 0, "x"):
        response = api.get(url, page=page)
        assert response.status_code == 404 and response.json()["detail"]


def test_list_items_and_their_order_match_the_web_list(api, loaded_example):
    refs = _all_refs(api, loaded_example)
    assert refs == _web_refs(loaded_example)
    item = _ok(api.get(_base(loaded_example) + "ordninger/", page_size=2))["results"][1]
    assert item == {
        "id": "BUS21-002",
        "navn": "Kongsbergregionens kommunale oppgavefellesskap for tjenesteutvikling",
        "forkortelse": None,
        "status": "telles",
        "juridisk_form": "ko",
        "sektor": "administrasjon",
        "etablert": "2015-2021",
        "vertskommune": None,
        "arsverk": 6.2,
        "url": f"http://testserver{_base(loaded_example)}ordninger/BUS21-002/",
        "antall_deltakere": 8,
    }


# --- Arrangements: filters ----------------------------------------------------------------------


def test_filter_by_municipality_number_or_exact_name(api, loaded_example):
    by_number = _all_refs(api, loaded_example, kommune="3043")
    by_name = _all_refs(api, loaded_example, kommune="ål")
    assert by_number == by_name
    al = MunicipalityPeriod.objects.get(number="3043", name="Ål")
    assert by_number == _web_refs(loaded_example, municipality=al.municipality_id)
    counted = _all_refs(api, loaded_example, kommune="Ål", status="telles")
    (row,) = [r for r in municipality_summary(loaded_example).rows if r.number == "3043"]
    assert len(counted) == row.arrangements == 44


def test_al_does_not_match_valer(api, loaded_example):
    """Names are matched whole: Våler in an arrangement does not make it Ål's."""
    valer = MunicipalityPeriod.objects.filter(name="Våler", valid_to__isnull=True).first()
    target = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-001")
    assert not target.memberships.filter(municipality__name="Ål").exists()
    Membership.objects.create(arrangement=target, municipality=valer, position=99)
    for params in ({"deltaker": "Ål"}, {"kommune": "Ål"}, {"deltaker": "ål"}):
        assert "BUS21-001" not in _all_refs(api, loaded_example, **params), params
    assert "BUS21-001" in _all_refs(api, loaded_example, deltaker="Våler")
    response = api.get(_base(loaded_example) + "ordninger/", kommune="Våler")
    assert response.status_code == 400  # Våler takes part but is not in the mapping's scope
    # "q" is "name contains" and documented so; "Ål" is in no name here.
    assert all("ål" in n.lower() for n in _names(api, loaded_example, q="Ål"))


def _names(api, mapping, **params) -> list[str]:
    url = _base(mapping) + "ordninger/"
    return [a["navn"] for a in _ok(api.get(url, page_size=500, **params))["results"]]


def test_filter_by_participant_form_sector_status_task_area_and_text(api, loaded_example):
    oslo = MunicipalityPeriod.objects.filter(name="Oslo").first()
    participant = queries.find_participant(loaded_example, "Oslo")
    assert participant and oslo
    assert _all_refs(api, loaded_example, deltaker="oslo") == _web_refs(
        loaded_example, participant=participant
    )
    assert len(_all_refs(api, loaded_example, juridisk_form="ukjent")) == 157
    assert len(_all_refs(api, loaded_example, juridisk_form="iks")) == 22
    assert len(_all_refs(api, loaded_example, sektor="ukjent")) == 20
    assert len(_all_refs(api, loaded_example, status="avsluttet")) == 12
    assert len(_all_refs(api, loaded_example, status="utenfor")) == 1
    assert _all_refs(api, loaded_example, oppgaveomrade=13) == _web_refs(
        loaded_example, task_area=13
    )
    assert _all_refs(api, loaded_example, q="ikt") == _web_refs(loaded_example, text="ikt")
    both = _all_refs(api, loaded_example, kommune="3006", juridisk_form="iks", status="telles")
    assert both == _web_refs(
        loaded_example,
        municipality=MunicipalityPeriod.objects.get(
            number="3006", name="Kongsberg"
        ).municipality_id,
        legal_form="iks",
        status="telles",
    )


def test_bad_filters_are_400_with_every_field_named(api, loaded_example):
    response = api.get(
        _base(loaded_example) + "ordninger/",
        kommune="Hjardal",
        deltaker="Hjardal",
        juridisk_form="ingen",
        status="x",
        oppgaveomrade="99",
    )
    assert response.status_code == 400
    data = response.json()
    assert data["detail"]
    fields = [e["felt"] for e in data["feil"]]
    assert fields == ["kommune", "deltaker", "juridisk_form", "status", "oppgaveomrade"]
    messages = {e["felt"]: e["melding"] for e in data["feil"]}
    assert "Hjardal" in messages["kommune"]
    assert "Mente du «Hjartdal»" in messages["deltaker"]
    assert api.get(_base(loaded_example) + "ordninger/", kommune="9999").status_code == 400


def test_region_county_level_and_year_filters_match_the_web_list(api, client, loaded_example):
    region = (
        MappingMunicipality.objects.filter(mapping=loaded_example, region__isnull=False)
        .values_list("region__name", flat=True)
        .first()
    )
    params = {"region": region, "fylke": "30", "niva": "regionalt", "etablert_fra": "2000"}
    refs = _all_refs(api, loaded_example, **params)
    assert refs
    web = client.get(f"/kartlegginger/{loaded_example.pk}/ordninger/", params)
    assert web.status_code == 200
    assert web.context["counts"]["total"] == len(refs)
    response = api.get(
        _base(loaded_example) + "ordninger/",
        niva="kommunalt",
        etablert_fra="2010",
        etablert_til="2000",
    )
    assert response.status_code == 400
    assert [e["felt"] for e in response.json()["feil"]] == ["niva", "etablert_til"]


# --- One arrangement ----------------------------------------------------------------------------


def test_arrangement_detail_has_every_field(api, loaded_example):
    response = api.get(_base(loaded_example) + "ordninger/BUS21-002/")
    data = _ok(response)
    assert response["ETag"] == '"1"' and data["versjon"] == 1
    assert data["id"] == "BUS21-002" and data["kartlegging"] == loaded_example.pk
    assert data["juridisk_form_kilde"] == "name + 4.2/4.4"
    assert data["arsverk"] == 6.2 and data["arsverk_kilde"] == "6.2 (sekretariat) [4.4]"
    assert data["deltakerliste"] == "fullstendig"
    assert data["kilder"].startswith("Tabell 2.4#2")
    assert len(data["deltakere"]) == data["deltakere"].__len__() == 8
    assert data["deltakere"][0] == {
        "deltaker": "Kongsberg",
        "kommunenummer": "3006",
        "fylkesnummer": None,
        "type": "kommune",
        "rolle": "deltaker",
        "eierandel": None,
        "inn_dato": None,
        "ut_dato": None,
        "som_trykt": None,
        "kilde": None,
    }
    expected = {
        "id",
        "kartlegging",
        "navn",
        "forkortelse",
        "navnevarianter",
        "status",
        "utenfor_grunn",
        "statusmerknad",
        "avsluttet",
        "juridisk_form",
        "juridisk_form_kilde",
        "organisasjonsnummer",
        "sektor",
        "oppgaveomrader",
        "etablert",
        "vertskommune",
        "vertskommune_kilde",
        "arsverk",
        "arsverk_kilde",
        "budsjett",
        "beskrivelse",
        "merknader",
        "kilder",
        "deltakere_som_trykt",
        "deltakere_oppgitt_antall",
        "deltakerliste",
        "deltakere_merknad",
        "deltakere",
        "versjon",
        "url",
    }
    assert set(data) == expected


def test_unknown_values_are_null_and_none_is_a_value(api, loaded_example):
    unknown = Arrangement.objects.filter(
        mapping=loaded_example, host_status="", legal_form="", sector="", arsverk__isnull=True
    ).first()
    data = _ok(api.get(_base(loaded_example) + f"ordninger/{unknown.ref}/"))
    for key in ("vertskommune", "juridisk_form", "sektor", "arsverk", "budsjett", "etablert"):
        assert key in data and data[key] is None, key
    hosted = Arrangement.objects.filter(mapping=loaded_example, host__isnull=False).first()
    host = _ok(api.get(_base(loaded_example) + f"ordninger/{hosted.ref}/"))["vertskommune"]
    assert host == {
        "status": "kommune",
        "kommunenummer": hosted.host.number,
        "navn": hosted.host.name,
    }
    Arrangement.objects.filter(pk=unknown.pk).update(host_status="ingen")
    data = _ok(api.get(_base(loaded_example) + f"ordninger/{unknown.ref}/"))
    assert data["vertskommune"] == {"status": "ingen", "kommunenummer": None, "navn": None}


def test_shares_dates_and_counts(api, loaded_example):
    target = Arrangement.objects.get(mapping=loaded_example, ref="BUS21-002")
    first = target.memberships.order_by("position", "id").first()
    Membership.objects.filter(pk=first.pk).update(ownership_share="12.5000", joined_on="2015-01-01")
    Arrangement.objects.filter(pk=target.pk).update(budget=1250000, participant_count_stated=0)
    data = _ok(api.get(_base(loaded_example) + "ordninger/BUS21-002/"))
    assert data["deltakere"][0]["eierandel"] == 12.5
    assert data["deltakere"][0]["inn_dato"] == "2015-01-01"
    assert data["budsjett"] == 1250000 and isinstance(data["budsjett"], int)
    assert data["deltakere_oppgitt_antall"] == 0  # a stated zero stays zero


def test_unknown_arrangement_is_404(api, loaded_example):
    response = api.get(_base(loaded_example) + "ordninger/BUS21-999/")
    assert response.status_code == 404
    assert "BUS21-999" in response.json()["detail"]


# --- Municipalities in a mapping ----------------------------------------------------------------


def test_municipalities_of_a_mapping(api, loaded_example):
    data = _ok(api.get(_base(loaded_example) + "kommuner/", page_size=100))
    assert data["count"] == 25
    rows = {r["kommunenummer"]: r for r in data["results"]}
    for row in municipality_summary(loaded_example).rows:
        got = rows[row.number]
        assert (
            got["antall_ordninger"],
            got["antall_vertskap"],
            got["antall_betjent_av_andre"],
        ) == (
            row.arrangements,
            row.hosted,
            row.served_by_others,
        )
    assert rows["3043"]["url"].endswith(f"{_base(loaded_example)}kommuner/3043/")


def test_one_municipality_of_a_mapping(api, loaded_example):
    data = _ok(api.get(_base(loaded_example) + "kommuner/3043/"))
    overview = places.municipality_overview(
        loaded_example, MunicipalityPeriod.objects.get(number="3043", name="Ål")
    )
    assert data["kommune"] == "Ål" and data["i_omfang"] is True
    assert data["fylke"] == {"fylkesnummer": "30", "navn": "Viken"}
    assert data["region"] == "Hallingdal"
    assert len(data["ordninger"]) == len(overview.counted) == 44
    assert [a["id"] for a in data["vertskommune_for"]] == [a.ref for a in overview.hosted]
    assert [a["id"] for a in data["betjent_av_andre"]] == [a.ref for a in overview.served_by_others]
    assert data["antall_med_ukjent_vertskommune"] == overview.host_unknown
    assert "Ål" not in data["ordninger"][0]["andre_deltakere"]
    # A participant outside the scope has a page too; one that is in no arrangement has none.
    oslo = _ok(api.get(_base(loaded_example) + "kommuner/0301/"))
    assert oslo["i_omfang"] is False and oslo["region"] is None
    assert api.get(_base(loaded_example) + "kommuner/1103/").status_code == 404
    assert api.get(_base(loaded_example) + "kommuner/xyz/").status_code == 404


# --- Reference municipalities -------------------------------------------------------------------


@pytest.mark.django_db
def test_municipalities_valid_on_a_day(api):
    data = _ok(api.get("/api/kommuner/", dato="2021-11-01", page_size=500))
    assert data["count"] == 356
    numbers = [m["kommunenummer"] for m in data["results"]]
    assert numbers == sorted(numbers) and "3005" in numbers and "3301" not in numbers
    drammen = next(m for m in data["results"] if m["kommunenummer"] == "3005")
    assert drammen == {
        "kommunenummer": "3005",
        "navn": "Drammen",
        "offisielt_navn": "Drammen",
        "fylke": {"fylkesnummer": "30", "navn": "Viken"},
        "gyldig_fra": "2020-01-01",
        "gyldig_til": "2023-12-31",
        "url": "http://testserver/api/kommuner/3005/?dato=2020-01-01",
    }
    later = _ok(api.get("/api/kommuner/", dato="2024-06-01", fylke="33", page_size=500))
    assert "3301" in [m["kommunenummer"] for m in later["results"]]
    assert {m["fylke"]["fylkesnummer"] for m in later["results"]} == {"33"}
    response = api.get("/api/kommuner/", dato="2021-13-01")
    assert response.status_code == 400
    assert response.json()["feil"][0]["felt"] == "dato"


@pytest.mark.django_db
def test_one_reference_municipality_with_its_history(api):
    data = _ok(api.get("/api/kommuner/3301/", dato="2024-06-01"))
    assert data["navn"] == "Drammen" and data["gyldig_fra"] == "2024-01-01"
    assert data["gyldig_til"] is None
    assert [p["kommunenummer"] for p in data["historikk"]] == ["3005", "3301"]
    assert data["historikk"][0]["url"] == "http://testserver/api/kommuner/3005/?dato=2020-01-01"
    assert _ok(api.client.get(data["historikk"][0]["url"]))["kommunenummer"] == "3005"
    assert [p["kommunenummer"] for p in data["nummerhistorikk"]] == ["3301"]
    merged = [c["fra"]["kommunenummer"] for c in data["endringer"] if c["type"] == "merged"]
    assert merged == ["0602", "0625", "0711"]
    assert {"dato": "2024-01-01", "type": "renumbered"}.items() <= data["endringer"][-1].items()
    old = api.get("/api/kommuner/0602/", dato="2021-11-01")
    assert old.status_code == 404 and "2019-12-31" in old.json()["detail"]
    assert _ok(api.get("/api/kommuner/0602/", dato="2019-06-01"))["navn"] == "Drammen"
    assert api.get("/api/kommuner/9999/").status_code == 404
    assert api.get("/api/kommuner/301/").status_code == 404  # four digits, no guessing


# --- JSON everywhere ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_addresses_and_wrong_methods_answer_json(api):
    response = api.get("/api/finnes-ikke/")
    assert response.status_code == 404 and response.json() == {"detail": "Finnes ikke."}
    redirect = api.get("/api/kartlegginger", page=2)
    assert redirect.status_code == 301 and redirect["Location"] == "/api/kartlegginger/?page=2"
    response = api.post("/api/kartlegginger/", {})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.django_db
def test_api_is_json_for_browsers_too_and_keeps_the_csp(api):
    response = api.client.get("/api/kartlegginger/", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in response.content
