"""The adoption pages over small hand-made data: the counts «as of» a date before and after a
record (hand-derived below), who is missing, the county and body tables, a municipality's page
with a status inherited through the 2020 merger, the refusals (403, login, a bad date: 400) and a
refused report that keeps what was typed.

The data: Kjernejournal, reported by KS as 215 «i bruk» per 30.04.2023, ambition 356. Records:

- Skien (3807): tilgjengeliggjort from 10.01.2023, i bruk from 01.06.2023
- Porsgrunn (3806): i bruk from 01.03.2023
- Bergen (4601): tilgjengeliggjort from 01.02.2023

so on 30.04.2023: 1 in use (Porsgrunn), 2 made available; on 01.07.2023: 2 in use (Skien,
Porsgrunn), 1 made available (Bergen). The 2023 gazetteer has 356 municipalities, 23 of them in
Vestfold og Telemark; the body Testrådet has Skien and Porsgrunn.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samarbeid.adoption import services
from samarbeid.adoption.models import AdoptionRecord
from tests.portfolio import factories as pf

from . import factories as f

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def data():
    _portfolio, (kj, digihelse) = f.national()
    f.reported(kj, 215)
    skien, porsgrunn, bergen = (f.municipality(n) for n in ("Skien", "Porsgrunn", "Bergen"))
    f.record(kj, skien, "tilgjengeliggjort", D(2023, 1, 10))
    f.record(kj, skien, "i_bruk", D(2023, 6, 1))
    f.record(kj, porsgrunn, "i_bruk", D(2023, 3, 1))
    f.record(kj, bergen, "tilgjengeliggjort", D(2023, 2, 1))
    body = pf.body("Testrådet", ("Skien", "Porsgrunn"))
    return {"kj": kj, "digihelse": digihelse, "skien": skien, "body": body}


def _text(answer) -> str:
    """The page as text: tags out, spaces (and no-break spaces) folded."""
    html = answer.content.decode()
    text = re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", text)


def _row(answer, name: str) -> str:
    """The text of the table row that starts with ``name`` (its header cell)."""
    html = answer.content.decode().replace("\u00a0", " ")
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        if cells.startswith(name):
            return cells
    raise AssertionError(f"no row {name!r}")


def test_the_overview_before_and_after_a_record(client, data):
    url = reverse("adoption:overview")
    before = client.get(url, {"dato": "2023-04-30"})
    assert before.status_code == 200
    row = _row(before, "Kjernejournal")
    # Area, reported 215 i bruk per 30.04.2023 by KS, counted 1 at that level, difference +214,
    # 1 in use, 2 made available, ambition 356, the shares with a decimal comma.
    assert row == (
        "Kjernejournal Innbyggertjenester 215 av 356 (60,4 %) i bruk per 30.04.2023, oppgitt "
        "av KS 1 av 356 (0,3 %) i bruk +214 1 2 356"
    )
    after = _row(client.get(url, {"dato": "2023-07-01"}), "Kjernejournal")
    assert after.endswith("KS 2 av 356 (0,6 %) i bruk +213 2 1 356")
    # Before any record and before the reported count: nothing counted, nothing reported; the
    # count is then of those made available or more.
    early = _row(client.get(url, {"dato": "2022-12-31"}), "Kjernejournal")
    assert early == (
        "Kjernejournal Innbyggertjenester Ingen rapportert 0 av 356 (0,0 %) tilgjengeliggjort "
        "eller i bruk ingen rapportert 0 0 356"
    )
    # DigiHelse has neither: the difference is said to be missing, not left out.
    digihelse = _row(client.get(url, {"dato": "2023-07-01"}), "DigiHelse")
    assert "Ingen rapportert" in digihelse and "ingen rapportert" in digihelse
    page = _text(before)
    assert "Rapportert» er tallet kilden oppgir" in page
    link = f'href="/utbredelse/losninger/{data["kj"].pk}/?dato=2023-04-30"'
    assert link in before.content.decode()


@pytest.mark.parametrize(
    ("dato", "message"),
    [
        ("2023-13-45", "«2023-13-45» er ikke en dato"),
        ("i går", "«i går» er ikke en dato"),
        ("1999-12-31", "før 01.01.2000"),
        ("2999-01-01", "er etter i dag"),
    ],
)
def test_a_bad_date_is_a_400_with_the_message_on_the_field(client, data, dato, message):
    for url in (
        reverse("adoption:overview"),
        reverse("adoption:solution", args=[data["kj"].pk]),
        reverse("adoption:municipality", args=["3807"]),
    ):
        answer = client.get(url, {"dato": dato})
        assert answer.status_code == 400, url
        html = answer.content.decode()
        assert message in html
        assert 'aria-invalid="true"' in html and f'value="{dato}"' in html
        assert "<table" not in html  # no figures for a date that is none


def test_a_solution_nationally_per_county_and_body(client, data):
    url = reverse("adoption:solution", args=[data["kj"].pk])
    answer = client.get(url, {"dato": "2023-07-01"})
    assert answer.status_code == 200
    page = _text(answer)
    assert "Rapportert 215 av 356" in page and "Fra registreringene 2 av 356" in page
    assert "Differanse +213" in page and "Ambisjon 356" in page
    assert "KS oppgir 215 kommuner i bruk per 30.04.2023" in page
    # Per county: two of the 23 in Vestfold og Telemark in use; Bergen only made available.
    assert _row(answer, "Vestfold og Telemark (38)") == (
        "Vestfold og Telemark (38) 23 2 0 0 0 21 2 av 23 (8,7 %)"
    )
    assert _row(answer, "Vestland (46)") == "Vestland (46) 43 0 1 0 0 42 0 av 43 (0,0 %)"
    assert _row(answer, "Testrådet") == "Testrådet 2 2 0 0 0 0 2 av 2 (100,0 %)"
    # Who is missing: everyone not in use; Skien and Porsgrunn are not, Bergen is.
    missing = answer.content.decode().split('id="mangler"')[1].split("</details>")[0]
    assert "354 kommuner har ikke nådd «i bruk»" in _text(answer)
    assert ">Bergen</a>" in missing and ">Skien</a>" not in missing
    assert ">Porsgrunn</a>" not in missing
    # The map: a path per municipality, filled by status, with the name and status as title.
    html = answer.content.decode()
    assert re.search(r'fill="#08306b" stroke="[^"]+"><title>Skien: I bruk</title>', html)
    assert re.search(
        r'fill="#6baed6" stroke="[^"]+"><title>Bergen: Tilgjengeliggjort</title>', html
    )
    assert _row(answer, "Ikke registrert") == "Ikke registrert 353"  # the key, with counts
    assert _row(answer, "Tilgjengeliggjort") == "Tilgjengeliggjort 1"
    assert _row(answer, "Skien") == "Skien 3807 Vestfold og Telemark I bruk 01.06.2023"
    # The time series: monthly from January 2023 to the date, the reported count apart.
    assert "<polyline" in html and html.count("<circle") == 7
    assert "Rapporterte tall, vist som firkanter: 215 i bruk (30.04.2023, KS)" in page
    assert _row(answer, "31.05.2023") == "31.05.2023 1 –"
    assert _row(answer, "01.07.2023") == "01.07.2023 2 –"


def test_before_the_first_record_no_one_has_it(client, data):
    url = reverse("adoption:solution", args=[data["kj"].pk])
    page = _text(client.get(url, {"dato": "2023-01-09"}))
    assert "Fra registreringene 0 av 356" in page and "Rapportert –" in page
    assert "356 kommuner har ikke nådd «tilgjengeliggjort eller i bruk»" in page
    assert "Ingen registreringer og ingen rapporterte tall ennå." in page


def test_a_population_only_described_is_not_listed(client, data):
    item = data["kj"].items.get()
    item.population = "oppgitt"
    item.population_note = "kommunene i Midt-Norge som bruker Helseplattformen"
    item.save()
    page = _text(client.get(reverse("adoption:solution", args=[data["kj"].pk])))
    assert "Populasjonen er bare beskrevet i kilden (kommunene i Midt-Norge" in page
    assert "har ikke nådd" not in page


def test_a_municipality_with_its_history(client, data):
    answer = client.get(reverse("adoption:municipality", args=["3807"]), {"dato": "2023-07-01"})
    assert answer.status_code == 200
    page = _text(answer)
    assert "Fellesløsninger i Skien (3807)" in page
    assert _row(answer, "Kjernejournal") == (
        "Kjernejournal Innbyggertjenester I bruk 01.06.2023 Testdata –"
    )
    assert _row(answer, "DigiHelse").startswith("DigiHelse Innbyggertjenester Ikke registrert –")
    history = page.split("Alle registreringer for Skien")[1]
    assert "01.06.2023 Kjernejournal I bruk" in history
    assert "10.01.2023 Kjernejournal Tilgjengeliggjort" in history
    # Before the change: made available since 10.01.2023, and the later record not yet there.
    early = client.get(reverse("adoption:municipality", args=["3807"]), {"dato": "2023-05-01"})
    assert _row(early, "Kjernejournal").startswith(
        "Kjernejournal Innbyggertjenester Tilgjengeliggjort 10.01.2023"
    )
    assert "01.06.2023" not in _text(early)
    # No link to report for the public.
    assert "/meld/" not in answer.content.decode()


def test_a_status_inherited_through_the_2020_merger(client, data):
    """Sande (0713) had Kjernejournal in use from 2019; Holmestrand (3802, Sande and the old
    Holmestrand from 2020) has no record of its own and inherits it."""
    sande = f.municipality("Sande", "0713")
    f.record(data["kj"], sande, "i_bruk", D(2019, 6, 1), source="KS 2019")
    answer = client.get(reverse("adoption:municipality", args=["3802"]), {"dato": "2023-01-01"})
    row = _row(answer, "Kjernejournal")
    assert row.startswith("Kjernejournal Innbyggertjenester I bruk arvet fra Sande (0713)")
    assert "01.06.2019 KS 2019" in row
    assert "for Sande (0713)" in _text(answer)  # the predecessor's record in the history
    # The old number still finds Sande, shown as of its last day.
    old = _text(client.get(reverse("adoption:municipality", args=["0713"])))
    assert "Sande fantes som kommune til 31.12.2019" in old


def test_numbers_that_are_no_municipality_are_404(client, data):
    for number in ("9999", "38", "abcd"):
        assert client.get(reverse("adoption:municipality", args=[number])).status_code == 404
    assert client.get(reverse("adoption:solution", args=[99999])).status_code == 404


def test_the_report_form_asks_for_a_login_and_the_permission(client, data):
    url = reverse("adoption:report", args=["4003"])
    answer = client.get(url)
    assert answer.status_code == 302 and answer["Location"].startswith("/logg-inn/?next=")
    client.force_login(pf.municipality_editor("Skien", "skien"))
    assert client.get(url).status_code == 200
    other = client.get(reverse("adoption:report", args=["4001"]))
    assert other.status_code == 403
    assert "Du kan ikke melde status for Porsgrunn" in _text(other)
    refused = client.post(
        reverse("adoption:report", args=["4001"]),
        {"losning": data["kj"].pk, "status": "i_bruk", "dato": "2024-05-01", "endringskilde": "x"},
    )
    assert refused.status_code == 403
    assert not AdoptionRecord.objects.filter(municipality__name="Porsgrunn", date=D(2024, 5, 1))


def test_a_refused_report_keeps_the_input_and_names_the_field(client, data):
    client.force_login(pf.municipality_editor("Skien", "skien"))
    url = reverse("adoption:report", args=["4003"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    answer = client.post(
        url,
        {
            "losning": data["digihelse"].pk,
            "status": "tilgjengeliggjort",
            "dato": tomorrow.isoformat(),
            "endringskilde": "",
            "merknad": "Avtale signert",
        },
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f"Datoen {tomorrow.isoformat()} er etter i dag" in html
    assert "Kilden for endringen mangler" in html
    assert f'value="{tomorrow.isoformat()}"' in html and "Avtale signert</textarea>" in html
    assert re.search(r'value="tilgjengeliggjort"[^>]*checked', html)
    assert re.search(rf'value="{data["digihelse"].pk}" selected', html)
    assert not AdoptionRecord.objects.filter(solution=data["digihelse"]).exists()
    bad = client.post(url, {"losning": data["digihelse"].pk, "status": "i_bruk",
                            "dato": "31.02.2024", "endringskilde": "E-post"})  # fmt: skip
    assert "«31.02.2024» er ikke en dato" in bad.content.decode()


def test_a_report_is_saved_and_leads_back_with_a_notice(client, data):
    client.force_login(pf.municipality_editor("Skien", "skien"))
    url = reverse("adoption:report", args=["4003"])
    form = client.get(url, {"losning": data["digihelse"].pk}).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in form
    assert re.search(rf'value="{data["digihelse"].pk}" selected', form)
    answer = client.post(url, {"losning": data["digihelse"].pk, "status": "i_bruk",
                               "dato": "01.05.2024", "endringskilde": "E-post 2.5.2024",
                               "merknad": "Hele helsetjenesten"})  # fmt: skip
    assert answer.status_code == 302 and answer["Location"] == "/utbredelse/kommuner/4003/"
    saved = AdoptionRecord.objects.get(solution=data["digihelse"])
    assert (saved.status, saved.date, saved.municipality) == (
        "i_bruk",
        D(2024, 5, 1),
        data["skien"],
    )
    assert saved.reported_by_name == "skien" and saved.note == "Hele helsetjenesten"
    page = client.get(answer["Location"])
    text = _text(page)
    assert "Meldt: DigiHelse i Skien, «I bruk» fra 01.05.2024." in text
    assert _row(page, "DigiHelse").startswith("DigiHelse Innbyggertjenester I bruk 01.05.2024")
    assert "E-post 2.5.2024 skien" in _row(page, "DigiHelse")
    assert "Meld status for Skien" in text
    # The same status again: nothing new, and the notice says so.
    again = client.post(url, {"losning": data["digihelse"].pk, "status": "i_bruk",
                              "dato": "2024-06-01", "endringskilde": "E-post"}, follow=True)  # fmt: skip
    assert "hadde allerede status «I bruk»" in _text(again)
    assert AdoptionRecord.objects.filter(solution=data["digihelse"]).count() == 1


def test_the_public_pages_are_cached_until_a_report(client, data, settings):
    settings.PAGE_CACHE = True
    url = reverse("adoption:overview")
    assert "1 av 356" in _row(client.get(url, {"dato": "2023-04-30"}), "Kjernejournal")
    editor = pf.municipality_editor("Bergen", "bergen")
    services.report_status(
        editor,
        services.Report(data["kj"], f.municipality("Bergen"), "i_bruk", D(2023, 4, 1), "E-post"),
    )
    assert "2 av 356" in _row(client.get(url, {"dato": "2023-04-30"}), "Kjernejournal")


def test_the_pages_answer_in_english_with_the_english_decimal_sign(client, data):
    url = reverse("adoption:overview")
    answer = client.get(url, {"dato": "2023-04-30"}, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200 and 'lang="en"' in answer.content.decode()
    assert "(60.4 %)" in _row(answer, "Kjernejournal")
    for address in (
        reverse("adoption:solution", args=[data["kj"].pk]),
        reverse("adoption:municipality", args=["4003"]),
    ):
        assert client.get(address, HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_a_solution_per_region_of_the_mappings(client, data):
    """A region of the mappings (kommuneregion or regionråd) gets its own row when it has
    members; the region table is left out when the registry has no regions."""
    from samarbeid.registry.models import Region, RegionMembership

    url = reverse("adoption:solution", args=[data["kj"].pk])
    assert "Per region" not in _text(client.get(url, {"dato": "2023-07-01"}))
    grenland = Region.objects.create(name="Grenland")
    for name in ("Skien", "Porsgrunn", "Bamble"):
        RegionMembership.objects.create(region=grenland, municipality=f.municipality(name))
    page = client.get(url, {"dato": "2023-07-01"})
    assert "Per region" in _text(page)
    # Skien and Porsgrunn in use, Bamble without a record: 2 of 3 at the level «i bruk».
    assert _row(page, "Grenland") == "Grenland 3 2 0 0 0 1 2 av 3 (66,7 %)"
