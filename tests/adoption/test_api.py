"""The adoption register's JSON API (/api/utbredelse/): the table as of a date, the solutions,
one municipality, and status reports with the registry API's conventions — 400 with the problems
per field and index, 401 without a token, 403 with the reason — and nothing written on any of
them. The reports are checked by the status file's rules (tests/adoption/test_statusfile.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from samarbeid.adoption import progress
from samarbeid.adoption.api import register_api_links
from samarbeid.adoption.models import AdoptionRecord
from samarbeid.web.api import keys
from tests.portfolio import factories as pf

from . import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/utbredelse/"
D = dt.date


class Api:
    """Django's test client speaking JSON, with a token when given one."""

    def __init__(self, user=None) -> None:
        self.client = Client()
        self.headers = {}
        if user is not None:
            self.headers["Authorization"] = f"Token {keys.issue(user)}"

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url, body=None, content_type="application/json"):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(url, data, content_type=content_type, headers=self.headers)


@pytest.fixture
def world():
    """The national portfolio 2023 (Kjernejournal, DigiHelse; KS reports 215 in use), Skien in
    use since 2023 and Porsgrunn made available, a body of the two, and the people."""
    _portfolio, (kj, dh) = f.national()
    f.reported(kj, 215)
    skien, porsgrunn = f.municipality("Skien"), f.municipality("Porsgrunn")
    f.record(kj, skien, "tilgjengeliggjort", D(2022, 5, 1))
    f.record(kj, skien, "i_bruk", D(2023, 3, 1))
    f.record(kj, porsgrunn, "tilgjengeliggjort", D(2023, 9, 1))
    pf.body("Grenlandsrådet", members=("Skien", "Porsgrunn"))
    return {
        "kj": kj,
        "dh": dh,
        "editor": f.editor("redaktor"),
        "reader": f.user("leser"),
    }


def _feil(response) -> list[tuple]:
    return [(p["felt"], p.get("indeks"), p["melding"]) for p in response.json()["feil"]]


# --- reading ------------------------------------------------------------------------------------


def test_the_table_is_the_commands(world) -> None:
    response = Api().get(URL)
    assert response.status_code == 200
    expected = json.loads(json.dumps(progress.adoption_table(timezone.localdate())))
    assert response.json() == expected
    row = next(r for r in response.json()["losninger"] if r["losning"] == "Kjernejournal")
    assert row["rapportert"]["antall"] == 215 and row["ambisjon"] == 356
    assert row["status"]["i_bruk"] == 1 and row["status"]["tilgjengeliggjort"] == 1
    assert {"kommunenummer": "4003", "navn": "Skien"} in row["status"]["kommuner"]["i_bruk"]


def test_the_table_as_of_a_date_per_group_and_solution(world) -> None:
    response = Api().get(URL, dato="2022-12-31", per="organ", losning="KJERNEJOURNAL")
    assert response.status_code == 200
    body = response.json()
    assert body["dato"] == "2022-12-31" and body["per"] == "organ"
    [group] = body["grupper"]
    assert (group["gruppe"], group["kommuner"]) == ("Grenlandsrådet", 2)
    [row] = group["losninger"]
    assert row["losning"] == "Kjernejournal"
    assert row["status"]["tilgjengeliggjort"] == 1 and row["status"]["i_bruk"] == 0
    counties = Api().get(URL, per="fylke", dato="01.06.2023").json()
    assert counties["dato"] == "2023-06-01" and len(counties["grupper"]) > 10


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"dato": "i går"}, "dato",
         "«i går» er ikke en dato fra 2000-01-01 til i dag. Skriv ÅÅÅÅ-MM-DD."),
        ({"dato": "1999-12-31"}, "dato",
         "«1999-12-31» er ikke en dato fra 2000-01-01 til i dag. Skriv ÅÅÅÅ-MM-DD."),
        ({"per": "kommune"}, "per",
         "Ukjent gruppering «kommune». Forventet en av: fylke, organ, region."),
        ({"losning": "Kjernejournall"}, "losning",
         "Ukjent løsning «Kjernejournall». Forslag: Kjernejournal."),
    ],
)  # fmt: skip
def test_bad_parameters_are_named(world, params, field, message) -> None:
    response = Api().get(URL, **params)
    assert response.status_code == 400
    assert _feil(response) == [(field, None, message)]


def test_a_future_date_is_refused(world) -> None:
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = Api().get(URL, dato=tomorrow)
    assert response.status_code == 400 and _feil(response)[0][0] == "dato"


def test_the_solutions(world) -> None:
    response = Api().get(URL + "losninger/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [s["navn"] for s in body["results"]] == ["DigiHelse", "Kjernejournal"]
    detail = Api().get(body["results"][1]["url"].removeprefix("http://testserver"))
    assert detail.status_code == 200
    solution = detail.json()
    assert solution["navn"] == "Kjernejournal"
    assert [(t["referanse"], t["ambisjon"]) for t in solution["tiltak"]] == [("1", 356)]
    assert solution["rapporterte_tall"][0]["antall"] == 215
    assert solution["utbredelse"]["fra_registreringer"] == 1  # the level KS reports: in use
    old = Api().get(f"{URL}losninger/{world['kj'].pk}/", dato="2022-06-01").json()
    assert old["utbredelse"]["status"]["tilgjengeliggjort"] == 1
    missing = Api().get(f"{URL}losninger/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Fant ingen løsning med nummer 999999."}


def test_one_municipality(world) -> None:
    response = Api().get(URL + "kommuner/4003/")
    assert response.status_code == 200
    body = response.json()
    assert (body["kommunenummer"], body["navn"]) == ("4003", "Skien")
    by_name = {s["losning"]: s for s in body["losninger"]}
    assert by_name["DigiHelse"]["status"] is None and by_name["DigiHelse"]["registreringer"] == []
    kj = by_name["Kjernejournal"]
    assert (kj["status"], kj["siden"], kj["arvet_fra"]) == ("i_bruk", "2023-03-01", [])
    assert [r["status"] for r in kj["registreringer"]] == ["tilgjengeliggjort", "i_bruk"]
    before = Api().get(URL + "kommuner/3807/", dato="2022-12-31").json()
    assert before["navn"] == "Skien"
    assert {s["losning"]: s["status"] for s in before["losninger"]}["Kjernejournal"] == (
        "tilgjengeliggjort"
    )
    for number in ("9999", "abcd"):
        missing = Api().get(f"{URL}kommuner/{number}/")
        assert missing.status_code == 404 and number in missing.json()["detail"]
    missing = Api().get(URL + "kommuner/4003/", dato="2023-01-01")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Ingen kommune hadde nummeret 4003 på 2023-01-01."}


def test_the_api_root_links_to_it(world) -> None:
    register_api_links()
    assert Api().get("/api/").json()["utbredelse"] == "http://testserver/api/utbredelse/"


# --- reporting ----------------------------------------------------------------------------------

ONE = {
    "kommunenummer": "4001",
    "kommune": "Porsgrunn",
    "losning": "DigiHelse",
    "status": "I bruk",
    "dato": "2024-02-01",
    "kilde": "E-post fra Porsgrunn",
}


def test_one_status_is_recorded_then_unchanged(world) -> None:
    api = Api(world["editor"])
    response = api.post(URL + "status/", ONE)
    assert response.status_code == 201
    assert response.json() == {
        "rader": 1, "nye": 1, "uendret": 0, "melding": "1 rad, 1 ny status, 0 uendret"
    }  # fmt: skip
    record = AdoptionRecord.objects.get(solution=world["dh"])
    assert (record.status, record.date, record.source) == ("i_bruk", D(2024, 2, 1), ONE["kilde"])
    assert record.reported_by == world["editor"]
    again = api.post(URL + "status/", [ONE])
    assert again.status_code == 200
    assert again.json()["melding"] == "1 rad, 0 nye statuser, 1 uendret"


def test_a_list_with_one_bad_status_writes_nothing(world) -> None:
    other = {**ONE, "kommunenummer": 4003, "kommune": None, "status": "ibruk", "kilde": ""}
    response = Api(world["editor"]).post(URL + "status/", [ONE, other])
    assert response.status_code == 400
    assert _feil(response) == [
        ("status", 1, "Ukjent verdi «ibruk». Forventet en av: ikke_startet, tilgjengeliggjort, "
                      "i_bruk, stoppet. Forslag: i_bruk."),
        ("kilde", 1, "Kilden mangler. Forventet hvor opplysningen kommer fra, for eksempel "
                     "«E-post fra kommunen 3. mars 2024»."),
    ]  # fmt: skip
    assert response.json()["detail"].startswith("Ingenting ble lagret: Ukjent verdi «ibruk».")
    assert AdoptionRecord.objects.count() == 3


def test_the_shape_of_the_body(world) -> None:
    api = Api(world["editor"])
    cases = [
        ([], [(None, None, "Send minst én status.")]),
        ([ONE, "tekst"], [(None, 1, "Forventet et JSON-objekt med kommunenummer, kommune, "
                                    "losning, status, dato, kilde, merknad.")]),
        ({**ONE, "kommunenr": "4001"}, [("kommunenr", 0, "Ukjent felt. Forventet: kommunenummer, "
                                        "kommune, losning, status, dato, kilde, merknad.")]),
        ({**ONE, "status": True}, [("status", 0, "Skriv en tekst.")]),
        ({**ONE, "dato": None}, [("dato", 0, "Verdien mangler. Forventet: datoen statusen "
                                             "gjelder fra (ÅÅÅÅ-MM-DD).")]),
    ]  # fmt: skip
    for body, expected in cases:
        response = api.post(URL + "status/", body)
        assert response.status_code == 400, body
        assert _feil(response) == expected
    assert api.post(URL + "status/", "{").status_code == 400
    assert api.post(URL + "status/", "kommunenummer=4001", "text/plain").status_code == 415
    assert AdoptionRecord.objects.count() == 3


def test_without_a_token_401(world) -> None:
    response = Api().post(URL + "status/", ONE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Manglende autentiseringsinformasjon."}
    assert response["WWW-Authenticate"] == "Token"
    bad = Client().post(
        URL + "status/", json.dumps(ONE), content_type="application/json",
        headers={"Authorization": "Token feil"},
    )  # fmt: skip
    assert (bad.status_code, bad.json()) == (401, {"detail": "Ugyldig token."})
    assert AdoptionRecord.objects.count() == 3


def test_a_user_who_reports_for_no_municipality_403(world) -> None:
    response = Api(world["reader"]).post(URL + "status/", ONE)
    assert response.status_code == 403
    assert response.json()["feil"][0]["melding"].startswith(
        "Du kan ikke melde status for noen kommune."
    )
    assert AdoptionRecord.objects.count() == 3


def test_a_status_for_another_municipality_403(world) -> None:
    bergen = {**ONE, "kommunenummer": "4601", "kommune": "Bergen"}
    response = Api(world["editor"]).post(URL + "status/", [ONE, bergen])
    assert response.status_code == 403
    assert _feil(response) == [
        ("kommunenummer", 1, "Brukeren «redaktor» kan ikke melde status for Bergen (4601). "
         "Forventet en kommune brukeren er kommuneredaktør for, et medlem av et samarbeidsorgan "
         "brukeren er sekretariat for, eller en administrator."),
    ]  # fmt: skip
    assert AdoptionRecord.objects.count() == 3
