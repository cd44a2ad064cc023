"""The portfolio's JSON API (/api/organer/, /api/avtaler/): every operation's success, and its
refusals with the registry API's conventions — 400 with problems per field (also without a
source), 401 without a token, 403 with the reason, 404 for a draft as for a missing plan, 409 on a
stale version with who and when, 428 without a version — and nothing written on any of them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from samarbeid.portfolio.models import (
    ActionPlan,
    Agreement,
    FundingApplication,
    Participation,
    PortfolioChange,
    Project,
)
from samarbeid.portfolio.plan_data import body_data, plan_data
from samarbeid.web.api import keys

from . import factories as f

pytestmark = pytest.mark.django_db


class Api:
    """Django's test client speaking JSON, with a token when given one."""

    def __init__(self, user=None, **headers) -> None:
        self.client = Client()
        self.headers = dict(headers)
        if user is not None:
            self.headers["Authorization"] = f"Token {keys.issue(user)}"

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.headers)

    def send(self, method: str, url: str, body=None, **headers):
        data = "" if body is None else json.dumps(body)
        call = getattr(self.client, method)
        return call(url, data, content_type="application/json", headers={**self.headers, **headers})

    def post(self, url, body=None, **headers):
        return self.send("post", url, body, **headers)

    def patch(self, url, body=None, **headers):
        return self.send("patch", url, body, **headers)

    def put(self, url, body=None, **headers):
        return self.send("put", url, body, **headers)


@pytest.fixture
def world():
    """Testrådet (Skien, Porsgrunn) with an approved plan 2021 (P1, P2) and a draft 2022 (P1, P2,
    N1: N1 only in the draft), another body with its own secretariat, and the people."""
    body = f.body()
    approved = f.plan(body, 2021, approved=True)
    draft = f.plan(body, 2022, codes=("P1", "P2", "N1"))
    other = f.body("Annet råd", members=("Bamble",))
    return {
        "body": body,
        "approved": approved,
        "draft": draft,
        "other": other,
        "sec": f.secretariat(body),
        "other_sec": f.secretariat(other, "annen"),
        "member": f.municipality_editor("Skien", "skien"),
        "outsider": f.municipality_editor("Bergen", "bergen"),
    }


def _url(world, rest: str = "") -> str:
    return f"/api/organer/{world['body'].pk}/{rest}"


def _changes() -> int:
    return PortfolioChange.objects.count()


def _problems(response) -> dict[str, str]:
    return {p["felt"]: p["melding"] for p in response.json()["feil"]}


# --- Reading ------------------------------------------------------------------------------------


def test_the_body_list_is_public(world):
    response = Api().get("/api/organer/")
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 2 and page["previous"] is None
    row = next(r for r in page["results"] if r["navn"] == "Testrådet")
    assert row["id"] == world["body"].pk and row["antall_medlemmer"] == 2
    assert row["kortnavn"] is None and row["juridisk_form"] is None
    assert row["lenker"]["api"].endswith(_url(world))
    assert row["lenker"]["nettside"].endswith(f"/organer/{world['body'].pk}/")


def test_the_body_is_body_data_with_only_the_plans_the_reader_may_see(world):
    response = Api().get(_url(world))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    got = response.json()
    expected = body_data(world["body"])
    for key in ("navn", "medlemmer", "nettverk", "avtaler", "funn", "kilde"):
        assert got[key] == expected[key]
    assert got["handlingsplaner"] == [2021]  # the public never sees the draft
    assert [p["ar"] for p in got["planer"]] == [2021]
    council = world["body"].governing_bodies.get()
    assert got["styringsorganer"][0]["id"] == council.pk
    for who in ("sec", "member"):
        seen = Api(world[who]).get(_url(world)).json()
        assert seen["handlingsplaner"] == [2021, 2022]
        assert seen["planer"][1]["status"] == "utkast"
    for who in ("outsider", "other_sec"):
        assert Api(world[who]).get(_url(world)).json()["handlingsplaner"] == [2021]


def test_an_unknown_body_is_404_in_json():
    response = Api().get("/api/organer/999999/")
    assert response.status_code == 404
    assert "samarbeidsorgan" in response.json()["detail"]


def test_the_plan_is_the_cli_json_with_versions(world):
    response = Api().get(_url(world, "planer/2021/"))
    assert response.status_code == 200 and response["ETag"] == '"1"'
    got = response.json()
    cli = plan_data(world["approved"])
    for key, value in cli.items():
        if key != "prosjekter":
            assert got[key] == value, key
    assert [p["kode"] for p in got["prosjekter"]] == ["P1", "P2"]
    for mine, theirs in zip(got["prosjekter"], cli["prosjekter"], strict=True):
        assert {k: mine[k] for k in theirs} == theirs
        assert mine["versjon"] == 1 and mine["url"].endswith(f"prosjekter/{mine['kode']}/")
    assert got["versjon"] == 1 and got["organ_id"] == world["body"].pk


def test_a_draft_plan_is_404_exactly_as_a_missing_one(world):
    missing = Api().get(_url(world, "planer/2030/"))
    assert missing.status_code == 404
    for who in (None, "outsider", "other_sec"):
        api = Api(world[who]) if who else Api()
        response = api.get(_url(world, "planer/2022/"))
        assert response.status_code == 404
        assert response.json()["detail"] == "Testrådet har ingen handlingsplan for 2022."
    for who in ("sec", "member"):
        assert Api(world[who]).get(_url(world, "planer/2022/")).status_code == 200


def test_a_project_only_in_the_draft_is_not_found_by_the_public(world):
    assert Api().get(_url(world, "prosjekter/N1/")).status_code == 404
    assert Api(world["outsider"]).get(_url(world, "prosjekter/N1/")).status_code == 404
    assert Api(world["sec"]).get(_url(world, "prosjekter/N1/")).status_code == 200
    response = Api().get(_url(world, "prosjekter/P1/"))
    assert response.status_code == 200 and response["ETag"] == '"1"'
    got = response.json()
    assert (got["kode"], got["fase"], got["versjon"]) == ("P1", "hovedprosjekt", 1)
    assert got["handlingsplaner"] == [2021]  # not the draft
    assert [m["tekst"] for m in got["milepaeler"]] == ["Milepæl P1"]
    assert Api().get(_url(world, "prosjekter/X9/")).status_code == 404


def _agreement(body, title: str, ends: dt.date | None) -> Agreement:
    return Agreement.objects.create(
        body=body, kind="samarbeidsavtale", title=title, ends=ends, source=f.SOURCE
    )


def test_agreements_running_out_are_alerts_and_filter_the_list(world):
    today = timezone.localdate()
    _agreement(world["body"], "Snart ute", today + dt.timedelta(days=30))
    _agreement(world["body"], "Lenge igjen", today + dt.timedelta(days=200))
    _agreement(world["body"], "Utløpt", today - dt.timedelta(days=5))
    _agreement(world["other"], "Uten slutt", None)
    body = Api().get(_url(world)).json()
    assert [(a["tittel"], a["dager_igjen"]) for a in body["varsler"]] == [("Snart ute", 30)]
    assert body["varsel_dager"] == 90
    everything = Api().get("/api/avtaler/").json()
    assert everything["count"] == 4
    assert everything["results"][0]["tittel"] == "Utløpt"  # the first to run out first
    soon = Api().get("/api/avtaler/", utloper_innen="90").json()["results"]
    assert [(a["tittel"], a["dager_igjen"], a["organ"]) for a in soon] == [
        ("Snart ute", 30, "Testrådet")
    ]
    assert Api().get("/api/avtaler/", utloper_innen="365").json()["count"] == 2
    for bad in ("abc", "-1", "1.5", "99999999"):
        response = Api().get("/api/avtaler/", utloper_innen=bad)
        assert response.status_code == 400, bad
        assert response.json()["feil"][0]["felt"] == "utloper_innen"


def test_funding_is_listed_without_draft_only_projects(world):
    body, n1 = world["body"], Project.objects.get(code="N1")
    FundingApplication.objects.create(
        body=body, year=2022, source_kind="tilskudd", grantor="Fylket", applied=100, source="S"
    )
    FundingApplication.objects.create(
        body=body, project=n1, year=2022, source_kind="tilskudd", grantor="Staten", applied=5,
        source="S",
    )  # fmt: skip
    public = Api().get(_url(world, "finansiering/")).json()
    assert [(r["giver"], r["prosjekt"]) for r in public["results"]] == [("Fylket", None)]
    mine = Api(world["sec"]).get(_url(world, "finansiering/")).json()
    assert [r["prosjekt"] for r in mine["results"]] == [None, "N1"]
    hidden = FundingApplication.objects.get(project=n1)
    assert Api().get(_url(world, f"finansiering/{hidden.pk}/")).status_code == 404
    shown = Api(world["sec"]).get(_url(world, f"finansiering/{hidden.pk}/"))
    assert shown.status_code == 200 and shown["ETag"] == '"1"'


# --- Writing: the plan --------------------------------------------------------------------------


def test_changing_the_plan_text(world):
    api = Api(world["sec"])
    response = api.patch(
        _url(world, "planer/2022/"),
        {"tittel": "Handlingsplan 2022 (revidert)", "oppgitt_antall_prosjekter": 3,
         "endringskilde": "Møte 3.2"},
        **{"If-Match": '"1"'},
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    got = response.json()
    assert (got["tittel"], got["oppgitt_antall_prosjekter"], got["versjon"]) == (
        "Handlingsplan 2022 (revidert)",
        3,
        2,
    )
    assert PortfolioChange.objects.filter(model="actionplan", source="Møte 3.2").exists()


def test_a_stale_version_is_409_with_who_and_when(world):
    api = Api(world["sec"])
    first = api.patch(
        _url(world, "planer/2022/"), {"sammendrag": "A", "versjon": 1, "endringskilde": "S"}
    )
    assert first.status_code == 200
    before = _changes()
    stale = api.patch(
        _url(world, "planer/2022/"), {"sammendrag": "B", "versjon": 1, "endringskilde": "S"}
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["versjon"] == 2 and body["endret_av"] == "sekretar" and body["endret"]
    assert body["slettet"] is False and "Handlingsplan 2022" in body["detail"]
    assert _changes() == before
    assert ActionPlan.objects.get(pk=world["draft"].pk).summary == "A"


def test_no_version_is_428_and_a_bad_one_400(world):
    api = Api(world["sec"])
    response = api.patch(_url(world, "planer/2022/"), {"sammendrag": "A", "endringskilde": "S"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    bad = api.patch(_url(world, "planer/2022/"), {"sammendrag": "A", "endringskilde": "S"},
                    **{"If-Match": "nonsense"})  # fmt: skip
    assert bad.status_code == 400 and bad.json()["feil"][0]["felt"] == "If-Match"
    assert ActionPlan.objects.get(pk=world["draft"].pk).version == 1


def test_refusals_name_the_field_and_write_nothing(world):
    api = Api(world["sec"])
    before = _changes()
    no_source = api.patch(_url(world, "planer/2022/"), {"sammendrag": "A", "versjon": 1})
    assert no_source.status_code == 400
    assert "Kilden for endringen mangler" in _problems(no_source)["endringskilde"]
    bad = api.patch(
        _url(world, "planer/2022/"),
        {"oppgitt_antall_prosjekter": "mange", "tittel": "", "versjon": 1, "endringskilde": "S"},
    )
    assert bad.status_code == 400
    problems = _problems(bad)
    assert set(problems) == {"oppgitt_antall_prosjekter", "tittel"}
    assert "er ikke et antall" in problems["oppgitt_antall_prosjekter"]
    assert bad.json()["detail"].startswith("Endringen ble ikke lagret")
    unknown = api.patch(_url(world, "planer/2022/"), {"titel": "x", "versjon": 1})
    assert unknown.status_code == 400 and _problems(unknown) == {"titel": "Ukjent felt."}
    not_json = api.patch(_url(world, "planer/2022/"), ["liste"])
    assert not_json.status_code == 400
    assert _changes() == before
    assert ActionPlan.objects.get(pk=world["draft"].pk).version == 1


def test_problems_in_english_when_asked(world):
    api = Api(world["sec"], **{"Accept-Language": "en"})
    response = api.patch(_url(world, "planer/2022/"), {"sammendrag": "A", "versjon": 1})
    assert response.status_code == 400
    assert _problems(response)["endringskilde"].startswith("The source of the change is missing")


def test_who_may_not_write_the_plan(world):
    url, change = (
        _url(world, "planer/2021/"),
        {"sammendrag": "x", "versjon": 1, "endringskilde": "S"},
    )
    assert Api().patch(url, change).status_code == 401
    assert Api(**{"Authorization": "Token feil"}).get(url).status_code == 401
    approved = Api(world["sec"]).patch(url, change)
    assert approved.status_code == 403
    assert approved.json()["detail"].startswith("Handlingsplanen for 2021 er vedtatt")
    member = Api(world["member"]).patch(_url(world, "planer/2022/"), change)
    assert member.status_code == 403
    assert (
        member.json()["detail"]
        == "Bare sekretariatet for Testrådet kan endre planene og prosjektene."
    )
    # The draft does not exist for those who may not see it, not even to be refused.
    for who in ("outsider", "other_sec"):
        assert Api(world[who]).patch(_url(world, "planer/2022/"), change).status_code == 404


def test_roll_over_makes_next_years_draft(world):
    api = Api(world["sec"])
    before = _changes()
    assert api.post(_url(world, "planer/2022/neste-ar/"), {}).status_code == 400
    assert api.post(_url(world, "planer/2022/neste-ar/")).status_code == 400  # no body at all
    assert _changes() == before
    response = api.post(_url(world, "planer/2022/neste-ar/"), {"endringskilde": "Rådsmøte"})
    assert response.status_code == 201, response.json()
    assert response["Location"].endswith(_url(world, "planer/2023/"))
    got = response.json()
    assert (got["ar"], got["status"]) == (2023, "utkast")
    assert [p["kode"] for p in got["prosjekter"]] == ["P1", "P2", "N1"]
    again = api.post(_url(world, "planer/2022/neste-ar/"), {"endringskilde": "Rådsmøte"})
    assert again.status_code == 400 and "allerede en plan for 2023" in _problems(again)["ar"]
    refused = Api(world["member"]).post(
        _url(world, "planer/2022/neste-ar/"), {"endringskilde": "S"}
    )
    assert refused.status_code == 403
    assert Api().get(_url(world, "planer/2023/")).status_code == 404


def test_approving_the_draft(world):
    api, url = Api(world["sec"]), _url(world, "planer/2022/vedtak/")
    council = world["body"].governing_bodies.get()
    bad = api.post(
        url,
        {
            "vedtatt_av": "Bystyret",
            "vedtatt_dato": "31.02.2022",
            "versjon": 1,
            "endringskilde": "S",
        },
    )
    assert bad.status_code == 400
    problems = _problems(bad)
    assert set(problems) == {"vedtatt_av", "vedtatt_dato"}
    assert "er ikke en dato" in problems["vedtatt_dato"]
    no_version = api.post(url, {"vedtatt_av": council.pk, "vedtatt_dato": "2022-02-03"})
    assert no_version.status_code == 428
    response = api.post(
        url,
        {"vedtatt_av": council.pk, "vedtatt_dato": "2022-02-03", "endringskilde": "Sak 4/22"},
        **{"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["status"], got["vedtatt_av"], got["vedtatt_dato"]) == (
        "vedtatt",
        "Rådet",
        "2022-02-03",
    )
    assert Api().get(_url(world, "planer/2022/")).status_code == 200  # public now
    again = api.post(url, {"vedtatt_av": "Rådet", "vedtatt_dato": "2022-02-03", "versjon": 2,
                           "endringskilde": "S"})  # fmt: skip
    assert again.status_code == 403


def test_approving_by_the_governing_bodys_name(world):
    response = Api(world["sec"]).post(
        _url(world, "planer/2022/vedtak/"),
        {"vedtatt_av": "Rådet", "vedtatt_dato": "2022-02-03", "versjon": 1, "endringskilde": "S"},
    )
    assert response.status_code == 200 and response.json()["vedtatt_av"] == "Rådet"


# --- Writing: projects, milestones, participation ------------------------------------------------


def test_adding_a_project_with_its_first_milestone(world):
    api, url = Api(world["sec"]), _url(world, "planer/2022/prosjekter/")
    response = api.post(
        url,
        {"kode": "N2", "tittel": "Felles chatbot", "soker_midler": True, "budsjett": "500 000",
         "milepael": {"tekst": "Anskaffelse", "nar": "2. kvartal 2022"}, "endringskilde": "Møte"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response["Location"].endswith(_url(world, "prosjekter/N2/"))
    got = response.json()
    assert (got["soker_midler"], got["budsjett"]) == (True, 500000)
    assert [(m["tekst"], m["frist"]) for m in got["milepaeler"]] == [("Anskaffelse", "2022-06-30")]
    plan = api.get(_url(world, "planer/2022/")).json()
    assert plan["prosjekter"][-1]["kode"] == "N2"
    assert plan["prosjekter"][-1]["kategori"] == "nyetablert"
    before = _changes()
    taken = api.post(url, {"kode": "N2", "tittel": "Igjen", "milepael": {"nar": "snart"},
                           "endringskilde": "Møte"})  # fmt: skip
    assert taken.status_code == 400
    assert set(_problems(taken)) == {"kode", "milepael_tekst"}
    assert api.post(url, {"kode": "N3", "tittel": "Uten kilde"}).status_code == 400
    assert _changes() == before
    closed = api.post(_url(world, "planer/2021/prosjekter/"), {"kode": "N4", "tittel": "T",
                                                             "endringskilde": "S"})  # fmt: skip
    assert closed.status_code == 403


def test_changing_a_project(world):
    api, url = Api(world["sec"]), _url(world, "prosjekter/P1/")
    response = api.patch(url, {"fase": "drift", "eier": "Skien kommune", "endringskilde": "S"},
                         **{"If-Match": '"1"'})  # fmt: skip
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    assert (response.json()["fase"], response.json()["eier"]) == ("drift", "Skien kommune")
    stale = api.patch(url, {"fase": "ide", "versjon": 1, "endringskilde": "S"})
    assert stale.status_code == 409 and stale.json()["versjon"] == 2
    assert api.patch(url, {"fase": "ide", "endringskilde": "S"}).status_code == 428
    bad = api.patch(url, {"fase": "ferdig", "budsjett": -5, "versjon": 2, "endringskilde": "S"})
    assert bad.status_code == 400 and set(_problems(bad)) == {"fase", "budsjett"}
    assert Project.objects.get(body=world["body"], code="P1").phase == "drift"
    assert api.patch(_url(world, "prosjekter/X9/"), {"versjon": 1}).status_code == 404


def test_who_may_not_change_a_project(world):
    url, change = (
        _url(world, "prosjekter/P1/"),
        {"fase": "drift", "versjon": 1, "endringskilde": "S"},
    )
    assert Api().patch(url, change).status_code == 401
    for who in ("other_sec", "outsider", "member"):
        response = Api(world[who]).patch(url, change)
        assert response.status_code == 403, who
        assert response.json()["detail"] == "Bare sekretariatet for Testrådet kan endre dette."
    assert Api(world["other_sec"]).patch(_url(world, "prosjekter/N1/"), change).status_code == 404
    assert Project.objects.get(body=world["body"], code="P1").version == 1


def test_ending_a_project(world):
    api, url = Api(world["sec"]), _url(world, "planer/2022/prosjekter/P2/avslutt/")
    assert api.post(url, {"fase": "avsluttet", "endringskilde": "S"}).status_code == 428
    bad = api.post(url, {"fase": "drift", "versjon": 1, "endringskilde": "S"})
    assert bad.status_code == 400 and set(_problems(bad)) == {"fase"}
    response = api.post(url, {"fase": "avlyst", "versjon": 1, "endringskilde": "Møte"})
    assert response.status_code == 200, response.json()
    assert response.json()["fase"] == "avlyst"
    plan = api.get(_url(world, "planer/2022/")).json()
    assert [p["kode"] for p in plan["prosjekter"]] == ["P1", "N1"]
    assert api.get(_url(world, "planer/2021/")).json()["prosjekter"][1]["kode"] == "P2"
    closed = api.post(_url(world, "planer/2021/prosjekter/P1/avslutt/"),
                      {"fase": "avsluttet", "versjon": 1, "endringskilde": "S"})  # fmt: skip
    assert closed.status_code == 403


def test_adding_a_milestone(world):
    api, url = Api(world["sec"]), _url(world, "prosjekter/P1/milepaeler/")
    response = api.post(url, {"tekst": "Pilot", "nar": "4. kvartal 2022", "endringskilde": "S"})
    assert response.status_code == 201, response.json()
    got = response.json()
    assert [m["tekst"] for m in got["milepaeler"]] == ["Milepæl P1", "Milepæl P1", "Pilot"]
    assert got["versjon"] == 2 and response["ETag"] == '"2"'
    stone = Project.objects.get(body=world["body"], code="P1").milestones.last()
    assert stone.plan == world["draft"]  # the newest plan the project is in
    in_2021 = api.post(url, {"tekst": "Rapport", "handlingsplan": 2021, "endringskilde": "S"})
    assert in_2021.status_code == 201
    assert Project.objects.get(body=world["body"], code="P1").milestones.last().plan.year == 2021
    assert api.post(url, {"nar": "snart", "endringskilde": "S"}).status_code == 400
    assert api.post(url, {"tekst": "x", "ferdig": "i går", "endringskilde": "S"}).status_code == 400
    assert Api(world["member"]).post(url, {"tekst": "x", "endringskilde": "S"}).status_code == 403


def test_participation_by_the_member_municipalitys_editor(world):
    skien = f.municipality("Skien")
    number = skien.periods.order_by("-valid_from").first().number
    api = Api(world["member"])
    url = _url(world, f"prosjekter/P1/deltakelse/{number}/")
    assert api.put(url, {"deltar": False}).status_code == 400  # no source
    response = api.put(url, {"deltar": False, "endringskilde": "Kommunedirektøren"})
    assert response.status_code == 200, response.json()
    got = response.json()
    assert (got["kommune"], got["deltar"], got["prosjekt"]) == ("Skien", False, "P1")
    row = Participation.objects.get(project__code="P1", municipality=skien)
    assert row.takes_part is False and row.source == "Kommunedirektøren"
    assert api.put(url, {"deltar": "kanskje", "endringskilde": "S"}).status_code == 400
    porsgrunn = f.municipality("Porsgrunn").periods.order_by("-valid_from").first().number
    other = api.put(_url(world, f"prosjekter/P1/deltakelse/{porsgrunn}/"),
                    {"deltar": True, "endringskilde": "S"})  # fmt: skip
    assert other.status_code == 403 and "Porsgrunn" in other.json()["detail"]
    by_secretariat = Api(world["sec"]).put(
        _url(world, f"prosjekter/P1/deltakelse/{porsgrunn}/"),
        {"deltar": True, "endringskilde": "S"},
    )
    assert by_secretariat.status_code == 200 and by_secretariat.json()["deltar"] is True
    detail = Api().get(_url(world, "prosjekter/P1/")).json()
    assert {(d["kommune"], d["deltar"]) for d in detail["deltakelse"]} == {
        ("Skien", False),
        ("Porsgrunn", True),
    }


def test_participation_refusals(world):
    number = f.municipality("Skien").periods.order_by("-valid_from").first().number
    url = _url(world, f"prosjekter/P1/deltakelse/{number}/")
    change = {"deltar": True, "endringskilde": "S"}
    assert Api().put(url, change).status_code == 401
    outsider = Api(world["outsider"]).put(url, change)
    assert outsider.status_code == 403 and "Testrådet" in outsider.json()["detail"]
    assert Api(world["other_sec"]).put(url, change).status_code == 403
    for unknown in ("9999", "abcd", "12"):
        missing = Api(world["sec"]).put(_url(world, f"prosjekter/P1/deltakelse/{unknown}/"), change)
        assert missing.status_code == 404, unknown
    assert not Participation.objects.exists()


# --- Writing: funding ---------------------------------------------------------------------------


def test_funding_applied_for_then_granted(world):
    api = Api(world["sec"])
    response = api.post(
        _url(world, "finansiering/"),
        {"ar": 2022, "type": "skjonnsmidler", "giver": "Statsforvalteren", "sokt": 500000,
         "prosjekt": "P1", "endringskilde": "Søknad"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    row = response.json()
    assert (row["prosjekt"], row["sokt"], row["innvilget"], row["organ_versjon"]) == (
        "P1",
        500000,
        None,
        2,
    )
    assert response["Location"].endswith(_url(world, f"finansiering/{row['id']}/"))
    url = _url(world, f"finansiering/{row['id']}/")
    grant = {"innvilget": "400 000", "vedtaksdato": "15.03.2022", "endringskilde": "Tilsagn"}
    assert api.patch(url, grant).status_code == 428
    assert api.patch(url, grant, **{"If-Match": '"1"'}).status_code == 409
    done = api.patch(url, grant, **{"If-Match": '"2"'})
    assert done.status_code == 200, done.json()
    assert (done.json()["innvilget"], done.json()["vedtaksdato"]) == (400000, "2022-03-15")
    assert done["ETag"] == '"3"'


def test_funding_refusals(world):
    api, url = Api(world["sec"]), _url(world, "finansiering/")
    before = _changes()
    no_amount = api.post(url, {"ar": 2022, "type": "tilskudd", "giver": "Fylket",
                               "prosjekt": "X9", "endringskilde": "S"})  # fmt: skip
    assert no_amount.status_code == 400
    assert set(_problems(no_amount)) == {"sokt", "prosjekt"}
    bad_year = api.post(url, {"ar": "i fjor", "type": "t", "giver": "g", "sokt": 1,
                              "endringskilde": "S"})  # fmt: skip
    assert bad_year.status_code == 400 and set(_problems(bad_year)) == {"ar"}
    assert api.post(url, {"ar": 2022, "type": "t", "giver": "g", "sokt": 1}).status_code == 400
    change = {"ar": 2022, "type": "t", "giver": "g", "sokt": 1, "endringskilde": "S"}
    assert Api().post(url, change).status_code == 401
    for who in ("other_sec", "member", "outsider"):
        assert Api(world[who]).post(url, change).status_code == 403
    assert _changes() == before
    assert not FundingApplication.objects.exists()
    assert api.patch(_url(world, "finansiering/999999/"), {"versjon": 1}).status_code == 404


# --- The API as a whole -------------------------------------------------------------------------


def test_unknown_addresses_still_reach_the_apis_json_404(world):
    response = Api().get("/api/organer/finnes-ikke/")
    assert response.status_code == 404 and response.json() == {"detail": "Finnes ikke."}
    assert Api().get("/api/finnes-ikke/").json() == {"detail": "Finnes ikke."}
    redirect = Api().get(f"/api/organer/{world['body'].pk}")
    assert redirect.status_code == 301 and redirect["Location"].endswith(_url(world))
    assert Api().get("/api/kartlegginger/").status_code == 200  # the registry's API is untouched


def test_the_description_documents_the_portfolio():
    doc = Api().get("/api/openapi.json").json()
    paths = doc["paths"]
    assert set(paths["/api/organer/{id}/planer/{ar}/"]) == {"get", "patch"}
    assert set(paths["/api/organer/{id}/finansiering/"]) == {"get", "post"}
    assert set(paths["/api/organer/{id}/prosjekter/{kode}/deltakelse/{kommunenummer}/"]) == {"put"}
    assert "/api/avtaler/" in paths and "/api/kartlegginger/{id}/ordninger/{ref}/" in paths
    patch = paths["/api/organer/{id}/prosjekter/{kode}/"]["patch"]
    assert {"400", "401", "403", "404", "409", "428"} <= set(patch["responses"])
    schemas = doc["components"]["schemas"]
    fields = set(schemas["PatchedProjectChangeInputRequest"]["properties"])
    assert {"kode", "tittel", "fase", "soker_midler", "versjon", "endringskilde"} <= fields
    assert schemas["PatchedProjectChangeInputRequest"]["additionalProperties"] is False


def test_status_reports_and_benefits_through_the_api(world):
    api = Api(world["sec"])
    base = _url(world, "prosjekter/P1/")
    answer = api.post(base + "statusrapporter/", {"dato": "2021-09-01", "lys": "gronn",
                      "tekst": "Forprosjektet er ferdig", "endringskilde": "Styringsgruppen"})  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["statusrapporter"][0]["lys"] == "gronn"
    before = _changes()
    answer = api.post(base + "gevinster/", {"beskrivelse": "Færre sendinger",
                      "kommunenummer": "4601", "endringskilde": "Gevinstplan"})  # fmt: skip
    assert answer.status_code == 400
    assert "ikke medlem" in _problems(answer)["kommune"] and _changes() == before
    answer = api.post(base + "gevinster/", {"beskrivelse": "Færre sendinger",
                      "gevinsteier": "Rådmannen", "endringskilde": "Gevinstplan"})  # fmt: skip
    assert answer.status_code == 201
    assert answer.json()["gevinster"][0]["gevinsteier"] == "Rådmannen"
    bad = api.post(base + "statusrapporter/", {"tekst": "x", "endringskilde": "s"})
    assert bad.status_code == 400 and "dato" in _problems(bad)
    assert Api(world["member"]).post(base + "statusrapporter/", {}).status_code == 403
