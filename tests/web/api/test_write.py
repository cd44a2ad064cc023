"""The write API: the editing module's permissions, validation and optimistic locking over HTTP."""

from __future__ import annotations

import pytest

from samarbeid.registry.models import Arrangement, ChangeRecord, Mapping

from .conftest import Api

SOURCE = "Eierskapsmelding 2024"


@pytest.fixture
def base(loaded_example) -> str:
    return f"/api/kartlegginger/{loaded_example.pk}/ordninger/"


@pytest.fixture
def mapper(tokens) -> Api:
    return Api(tokens["kartlegger"])


def _current(api: Api, url: str) -> dict:
    response = api.get(url)
    assert response.status_code == 200
    return response.json()


# --- PATCH and PUT ------------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent_and_records_the_change(mapper, base, users):
    url = base + "BUS21-002/"
    before = _current(mapper, url)
    response = mapper.patch(url, {"arsverk": 7.5, "versjon": 1, "endringskilde": SOURCE})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["arsverk"] == 7.5 and data["versjon"] == 2 and response["ETag"] == '"2"'
    assert data["advarsler"] == []
    unchanged = {k: v for k, v in before.items() if k not in ("arsverk", "versjon")}
    assert {k: data[k] for k in unchanged} == unchanged
    record = ChangeRecord.objects.filter(ref="BUS21-002").latest("at")
    assert record.channel == "api" and record.source == SOURCE
    assert record.user == users["kartlegger"] and record.changed == ["arsverk"]


def test_put_round_trip_of_the_read_representation(mapper, base):
    """What GET gives can be sent back with PUT unchanged: no change, no new version."""
    url = base + "BUS21-002/"
    data = _current(mapper, url)
    response = mapper.put(url, {**data, "endringskilde": SOURCE})
    assert response.status_code == 200, response.content
    assert response.json()["versjon"] == 1
    assert not ChangeRecord.objects.filter(ref="BUS21-002", channel="api").exists()
    # And with a change: the participants as read, one removed.
    data["deltakere"] = data["deltakere"][:-1]
    data["vertskommune"] = {"status": "kommune", "kommunenummer": "3006", "navn": "Kongsberg"}
    response = mapper.put(url, {**data, "endringskilde": SOURCE})
    assert response.status_code == 200, response.content
    saved = response.json()
    assert len(saved["deltakere"]) == 7 and saved["versjon"] == 2
    assert saved["vertskommune"]["kommunenummer"] == "3006"


def test_put_clears_what_is_left_out(mapper, base):
    url = base + "BUS21-002/"
    response = mapper.put(
        url,
        {
            "navn": "Kongsbergregionens kommunale oppgavefellesskap for tjenesteutvikling",
            "deltakere": [{"deltaker": "Kongsberg"}, {"deltaker": "Flesberg"}],
            "versjon": 1,
            "endringskilde": SOURCE,
        },
        headers={},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["arsverk"] is None and data["juridisk_form"] is None
    assert [d["deltaker"] for d in data["deltakere"]] == ["Kongsberg", "Flesberg"]


def test_if_match_instead_of_versjon(mapper, base):
    url = base + "BUS21-002/"
    etag = mapper.get(url)["ETag"]
    response = mapper.patch(
        url, {"forkortelse": "KOF", "endringskilde": SOURCE}, headers={"If-Match": etag}
    )
    assert response.status_code == 200 and response.json()["forkortelse"] == "KOF"
    clash = mapper.patch(
        url,
        {"forkortelse": "X", "versjon": 2, "endringskilde": SOURCE},
        headers={"If-Match": '"1"'},
    )
    assert clash.status_code == 400 and clash.json()["feil"][0]["felt"] == "versjon"


def test_without_a_version_is_428(mapper, base):
    response = mapper.patch(base + "BUS21-002/", {"arsverk": 1, "endringskilde": SOURCE})
    assert response.status_code == 428
    assert "versjon" in response.json()["detail"]
    assert mapper.delete(base + "BUS21-002/", {"endringskilde": SOURCE}).status_code == 428


def test_stale_version_is_409_with_who_and_when(mapper, base, tokens):
    url = base + "BUS21-002/"
    first = Api(tokens["admin"]).patch(url, {"arsverk": 8, "versjon": 1, "endringskilde": SOURCE})
    assert first.status_code == 200
    response = mapper.patch(url, {"arsverk": 9, "versjon": 1, "endringskilde": SOURCE})
    assert response.status_code == 409
    data = response.json()
    assert data["versjon"] == 2 and data["endret_av"] == "admin" and data["slettet"] is False
    assert data["endret"] and "endret av admin" in data["detail"]
    assert (
        Arrangement.objects.get(mapping__pk=first.json()["kartlegging"], ref="BUS21-002").arsverk
        == 8
    )


# --- Validation ---------------------------------------------------------------------------------


def test_invalid_values_are_400_with_the_intakes_findings(mapper, base):
    url = base + "BUS21-002/"
    response = mapper.patch(
        url,
        {"arsverk": "mange", "vertskommune": "Kongsbergg", "versjon": 1, "endringskilde": SOURCE},
    )
    assert response.status_code == 400
    data = response.json()
    fields = {e["felt"] for e in data["feil"]}
    assert {"arsverk", "vertskommune"} <= fields
    assert all(e["melding"] and e["kode"] for e in data["feil"])
    assert _current(mapper, url)["versjon"] == 1  # nothing written


def test_participant_problems_name_the_row_and_column(mapper, base):
    url = base + "BUS21-002/"
    members = _current(mapper, url)["deltakere"] + [{"deltaker": "Tinnn"}]
    response = mapper.patch(url, {"deltakere": members, "versjon": 1, "endringskilde": SOURCE})
    assert response.status_code == 400
    (problem,) = [e for e in response.json()["feil"] if e["felt"] == "deltakere"]
    assert problem["rad"] == 8 and problem["kolonne"] == "deltaker"


def test_missing_source_and_wrong_shapes_are_400(mapper, base):
    url = base + "BUS21-002/"
    response = mapper.patch(url, {"arsverk": 1, "versjon": 1})
    assert response.status_code == 400
    assert response.json()["feil"][0]["felt"] == "endringskilde"
    for body in (
        {"arsverk": {"x": 1}, "versjon": 1, "endringskilde": SOURCE},
        {"arsvek": 1, "versjon": 1, "endringskilde": SOURCE},
        {"versjon": "en", "endringskilde": SOURCE},
        {"deltakere": [{"deltakr": "Tinn"}], "versjon": 1, "endringskilde": SOURCE},
        {"vertskommune": {"status": "annen", "navn": "Staten"}, "versjon": 1},
        ["ikke", "et", "objekt"],
    ):
        response = mapper.patch(url, body)
        assert response.status_code == 400, body
        assert response.json()["feil"], body
    not_json = mapper.client.patch(url, "x=1", content_type="application/x-www-form-urlencoded")
    assert not_json.status_code in (401, 415)
    broken = Api(mapper.headers["Authorization"].split()[1])
    response = broken.client.patch(
        url, "{", content_type="application/json", headers=broken.headers
    )
    assert response.status_code == 400 and response.json()["detail"]


def test_the_id_cannot_change(mapper, base):
    response = mapper.patch(
        base + "BUS21-002/", {"id": "BUS21-900", "versjon": 1, "endringskilde": SOURCE}
    )
    assert response.status_code == 400 and response.json()["feil"][0]["felt"] == "id"


# --- POST and DELETE ----------------------------------------------------------------------------


def test_create_gets_the_next_id_and_a_location(mapper, base):
    response = mapper.post(
        base,
        {
            "navn": "Hallingdal felles innkjøp",
            "juridisk_form": "avtale",
            "oppgaveomrader": [13],
            "deltakere": [{"deltaker": "Ål"}, {"deltaker": "Hol", "rolle": "deltaker"}],
            "endringskilde": SOURCE,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id"] == "BUS21-235" and data["versjon"] == 1
    assert response["Location"] == data["url"] and data["url"].endswith("/BUS21-235/")
    assert data["oppgaveomrader"] == [13] and data["juridisk_form"] == "avtale"
    assert mapper.get(base + "BUS21-235/").status_code == 200


def test_create_refuses_a_duplicate_name(mapper, base):
    response = mapper.post(base, {"navn": "Kongsbergregionen IKPR", "endringskilde": SOURCE})
    assert response.status_code == 400
    assert response.json()["feil"][0]["felt"] == "navn"


def test_delete_needs_version_and_source(mapper, base):
    url = base + "BUS21-002/"
    assert mapper.delete(url, {"versjon": 1}).status_code == 400  # no source
    response = mapper.delete(url, headers={"If-Match": '"1"'}, endringskilde=SOURCE)
    assert response.status_code == 204, response.content
    assert mapper.get(url).status_code == 404
    assert mapper.delete(url, {"versjon": 2, "endringskilde": SOURCE}).status_code == 404
    record = ChangeRecord.objects.filter(ref="BUS21-002").latest("at")
    assert record.action == "slettet" and record.channel == "api"


# --- Permissions --------------------------------------------------------------------------------


def test_reader_with_a_token_may_not_write(tokens, base):
    reader = Api(tokens["leser"])
    body = {"arsverk": 1, "versjon": 1, "endringskilde": SOURCE}
    response = reader.patch(base + "BUS21-002/", body)
    assert response.status_code == 403 and response.json()["detail"]
    assert reader.post(base, {"navn": "X", "endringskilde": SOURCE}).status_code == 403
    assert reader.delete(base + "BUS21-002/", body).status_code == 403


def test_municipality_editor_edits_only_its_own(tokens, base, loaded_example):
    local = Api(tokens["kommune"])
    al_ref = (
        Arrangement.objects.filter(mapping=loaded_example, memberships__municipality__name="Ål")
        .order_by("position")
        .first()
        .ref
    )
    ok = local.patch(
        base + f"{al_ref}/", {"merknader": "Sjekket", "versjon": 1, "endringskilde": SOURCE}
    )
    assert ok.status_code == 200, ok.content
    other = local.patch(
        base + "BUS21-002/", {"merknader": "x", "versjon": 1, "endringskilde": SOURCE}
    )
    assert other.status_code == 403 and "Ål" in other.json()["detail"]
    # New arrangements only with Ål among the participants.
    other_new = local.post(
        base, {"navn": "Noe annet", "deltakere": [{"deltaker": "Hol"}], "endringskilde": SOURCE}
    )
    assert other_new.status_code == 400
    assert other_new.json()["feil"][0]["kode"] == "municipality_editor_scope"
    own_new = local.post(
        base, {"navn": "Noe nytt", "deltakere": [{"deltaker": "Ål"}], "endringskilde": SOURCE}
    )
    assert own_new.status_code == 201, own_new.content
    # Municipality editors do not delete.
    gone = local.delete(base + f"{al_ref}/", {"versjon": 2, "endringskilde": SOURCE})
    assert gone.status_code == 403


def test_frozen_mapping_is_read_only(mapper, base, loaded_example, tokens):
    Mapping.objects.filter(pk=loaded_example.pk).update(status="frosset")
    for api in (mapper, Api(tokens["admin"])):
        response = api.patch(
            base + "BUS21-002/", {"arsverk": 1, "versjon": 1, "endringskilde": SOURCE}
        )
        assert response.status_code == 403 and "frosset" in response.json()["detail"]


def test_unknown_arrangement_is_404_for_writes(mapper, base):
    body = {"arsverk": 1, "versjon": 1, "endringskilde": SOURCE}
    assert mapper.patch(base + "BUS21-999/", body).status_code == 404
    assert mapper.put(base + "BUS21-999/", body).status_code == 404
    assert mapper.post("/api/kartlegginger/999/ordninger/", body).status_code == 404
