"""The cost-sharing pages with small factory models: the figures on each page worked out by hand
(the payments, the arithmetic per member, totals, the cap, the exempt member and its in-kind
contribution, the reported total beside the computed one, the years ahead, the comparison), a
clear 400 for every query that cannot be used (never a 500), and the downloads."""

from __future__ import annotations

import html
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samarbeid.finance.document import calculation_data
from samarbeid.finance.members import gazetteer
from samarbeid.finance.models import FeeModel
from samarbeid.finance.services import calculate

from .factories import DIGIVESTLAND_LIKE, SPLIT_30_70, TELEMARK, fee_model

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
#: Population on 1 January (SSB) of the four Telemark members, the budget year's figure.
POP_2024 = {"4001": 37193, "4003": 56619, "4012": 14269, "4020": 10904}
POP_2025 = {"4001": 37289, "4003": 56866, "4012": 14310, "4020": 11135}
NAMES = {"4001": "Porsgrunn", "4003": "Skien", "4012": "Bamble", "4020": "Midt-Telemark"}


def _text(response) -> str:
    """The page as text: tags gone, entities decoded, no-break spaces as spaces."""
    body = response.content.decode()
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", html.unescape(body).replace(NBSP, " "))


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _row(page: str, name: str) -> str:
    """The text of one member's row in the payments table (its name, then its number)."""
    number = next(n for n, known in NAMES.items() if known == name)
    start = page.index(f" {name} {number} ")
    return page[start : start + 200]


def test_the_populations_are_the_shipped_figures():
    """The hand computations below rest on these (SSB per 1 January of the budget year)."""
    g = gazetteer()
    assert {n: g.population(n, 2024) for n in TELEMARK} == POP_2024
    assert {n: g.population(n, 2025) for n in TELEMARK} == POP_2025


# --- the list ------------------------------------------------------------------------------------


def test_the_list_names_every_model_with_its_version_and_a_comparison(client):
    fee_model()
    fee_model(SPLIT_30_70, slug="tretti-sytti")
    page = client.get(reverse("finance:models"))
    assert page.status_code == 200
    text = _text(page)
    assert "2 kostnadsmodeller" in text
    assert "Fast + per innbygger med tak" in text and "30/70" in text
    assert "antatt medlemsliste" in text and "Uten organ" in text
    content = page.content.decode()
    assert reverse("finance:model", args=["testmodell"]) in content
    # Models without a body are compared with each other.
    assert "/kostnadsdeling/sammenlign/?modell=testmodell&amp;modell=tretti-sytti" in content
    assert "Ny kostnadsmodell" not in text  # only for those who may make one


def test_the_site_navigation_links_cost_sharing(client):
    page = client.get("/").content.decode()
    assert f'<a href="{reverse("finance:models")}">Kostnadsdeling</a>' in page


# --- one model ------------------------------------------------------------------------------------


def test_the_payments_of_2024_with_the_arithmetic_per_member(client):
    """Fixed 100 000 + 20 per inhabitant, at most 500 000; Skien (4003) exempt."""
    fee_model()
    page = client.get(reverse("finance:model", args=["testmodell"]), {"aar": "2024"})
    assert page.status_code == 200
    text = _text(page)
    bamble = 100_000 + 20 * POP_2024["4012"]  # 385 380
    midt = 100_000 + 20 * POP_2024["4020"]  # 318 080
    porsgrunn = 100_000 + 20 * POP_2024["4001"]  # 843 860, above the cap
    assert (bamble, midt, porsgrunn) == (385_380, 318_080, 843_860)
    total = 500_000 + bamble + midt
    assert f"Sum betalinger {_grouped(total)} kr" in text
    assert "100 000 + 20 × 14 269 = 385 380" in _row(text, "Bamble")
    assert "100 000 + 20 × 10 904 = 318 080" in _row(text, "Midt-Telemark")
    row = _row(text, "Porsgrunn")
    assert "500 000" in row and "100 000 + 20 × 37 193 = 843 860; tak 500 000 brukt" in row
    assert "13,44" in row  # 500 000 / 37 193 per inhabitant
    assert "fritatt" in _row(text, "Skien") and "Egenbidrag: Vertskommune" in _row(text, "Skien")
    assert "Skien: Vertskommune (verdsatt til 250 000 kr; faktureres ikke)" in text
    # The largest first.
    order = [text.index(f" {NAMES[n]} {n} ") for n in ("4003", "4001", "4012", "4020")]
    assert order == sorted(order)
    # What every output must say.
    assert "Folketall per 31.12.2023 (SSB, tabell 07459)" in text
    assert "Medlemslisten er antatt: Testmedlemmer" in text
    assert "Den antatte medlemslisten (4 kommuner)" in text
    assert "Betaler taket 1" in text and "Fritatt 1" in text
    assert "Versjon Når Hvem Kilde/begrunnelse 1" in text and "Testdata" in text


def test_indexed_amounts_in_2025(client):
    """3 % a year on the amounts, not on the cap: 103 000 and 20,60 per inhabitant."""
    fee_model()
    text = _text(client.get(reverse("finance:model", args=["testmodell"]), {"aar": "2025"}))
    bamble = Decimal(103_000) + Decimal("20.60") * POP_2025["4012"]
    assert bamble == Decimal("397786.00")
    assert "103 000 + 20,60 × 14 310 = 397 786" in _row(text, "Bamble")
    assert "fast beløp 103 000 kr og 20,60 kr per innbygger (prisindeks 1,0300" in text
    assert "tak 500 000 brukt" in _row(text, "Porsgrunn")


def test_a_split_budget_shows_each_key(client):
    """30 % of 1 000 000 equally on four, 70 % by population: every payment by hand."""
    fee_model(SPLIT_30_70)
    text = _text(client.get(reverse("finance:model", args=["testmodell"]), {"aar": "2024"}))
    total_population = sum(POP_2024.values())
    assert total_population == 118_985
    exact = {
        n: Decimal(75_000) + Decimal(700_000) * p / total_population for n, p in POP_2024.items()
    }
    # Whole kroner that add up to the budget (largest remainder): Skien 408 099,59 → 408 100 …
    paid = {n: int(v) for n, v in exact.items()}
    for n in sorted(exact, key=lambda n: -(exact[n] - int(exact[n])))[
        : 1_000_000 - sum(paid.values())
    ]:
        paid[n] += 1
    assert sum(paid.values()) == 1_000_000
    assert f"Sum betalinger {_grouped(1_000_000)} kr" in text
    for number, name in NAMES.items():
        row = _row(text, name)
        assert _grouped(paid[number]) in row
        assert (
            f"30 % × 1 000 000 / 4 + 70 % × 1 000 000 × {_grouped(POP_2024[number])} / 118 985"
        ) in row
    assert "Dekning 0" in text


def test_a_reported_total_beside_the_computed_one(client):
    fee_model(reported=[{"aar": 2024, "belop": 1200000, "kilde": "Årsmelding 2024"}])
    text = _text(client.get(reverse("finance:model", args=["testmodell"]), {"aar": "2024"}))
    assert (
        "Kilden oppgir 1 200 000 kr for 2024; beregnet er 1 203 460 kr (differanse +3 460 kr)."
        in text
    )
    assert "kilde: Årsmelding 2024" in text
    other = _text(client.get(reverse("finance:model", args=["testmodell"]), {"aar": "2025"}))
    assert "Kilden oppgir en sum for 2024. Beregn 2024 og se den ved siden av" in other


def test_the_years_ahead(client):
    fee_model()
    page = client.get(
        reverse("finance:model", args=["testmodell"]),
        {"aar": "2024", "til_aar": "2030", "vekst": "1"},
    )
    assert page.status_code == 200
    text = _text(page)
    content = page.content.decode()
    assert "Framskriving 2024–2030" in text
    assert 'role="img" aria-labelledby="tak-figur-tittel tak-figur-beskrivelse"' in content
    assert "Medlemmer som betaler taket, 2024–2030" in content
    assert "Folketallet for 2027–2030 er anslått: tallet for 2026 med 1 % vekst per år." in text
    # Each year's terms: the cap stays, the amounts grow 3 % a year.
    assert re.search(r"2027 [\d ]+ – 500 000 109 273 21,85 1 anslått", text), text
    assert (
        "første år hvert medlem betaler taket Kommune Første år med tak Porsgrunn 4001 2024" in text
    )


def test_a_model_that_cannot_be_computed_says_why(client):
    too_dear = {**SPLIT_30_70, "deler": [{"type": "fast", "belop": 400000}, *SPLIT_30_70["deler"]]}
    fee_model(too_dear)
    url = reverse("finance:model", args=["testmodell"])
    page = client.get(url)  # the default year: the page, with the reason
    assert page.status_code == 200
    assert "De faste delene gir 1 600 000 kr i" in _text(page)
    chosen = client.get(url, {"aar": "2025"})
    assert chosen.status_code == 400
    assert "mer enn budsjettet på 1 000 000 kr" in _text(chosen)


def test_an_unknown_model_is_a_404(client):
    assert client.get(reverse("finance:model", args=["finnes-ikke"])).status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"aar": "abc"},
            "Budsjettår (aar): «abc» er ikke et årstall. Skriv budsjettåret med fire sifre",
        ),
        (
            {"aar": "1999"},
            "Registeret har ikke folketall for budsjettåret 1999. Velg et år fra 2020 til",
        ),
        ({"aar": "2090"}, "Registeret har ikke folketall for budsjettåret 2090."),
        ({"aar": "2024", "til_aar": "2099"}, "Framskrivingen må gå til et år fra 2024 til 2054"),
        ({"aar": "2024", "til_aar": "2023"}, "2023 er utenfor"),
        ({"til_aar": "neste år"}, "Framskriv til år (til_aar): «neste år» er ikke et årstall."),
        ({"vekst": "mye"}, "Befolkningsvekst per år (vekst): «mye» er ikke en vekst vi kan bruke."),
        ({"vekst": "25"}, "fra -5 til 10"),
    ],
)
def test_a_query_that_cannot_be_used_is_a_400_that_says_why(client, query, expected):
    fee_model()
    page = client.get(reverse("finance:model", args=["testmodell"]), query)
    assert page.status_code == 400
    text = _text(page)
    assert "Beregningen kan ikke lages" in text and expected in text
    assert "Sum betalinger" not in text
    assert 'aria-invalid="true"' in page.content.decode()


# --- the comparison ---------------------------------------------------------------------------------


def test_the_comparison_of_two_models(client):
    fee_model()
    fee_model(SPLIT_30_70, slug="tretti-sytti")
    page = client.get(
        reverse("finance:compare"), {"modell": ["testmodell", "tretti-sytti"], "aar": "2025"}
    )
    assert page.status_code == 200
    text = _text(page)
    content = page.content.decode()
    # The charts, each an image with a title and a description, and the same numbers in a table.
    for title in ("Betaling per medlem i 2025", "Kostnad per innbygger per medlem i 2025"):
        assert re.search(
            rf'role="img" aria-labelledby="[\w -]+" focusable="false">\s*<title id="[\w-]+">{title}',
            content,
        )
    assert "Medlemmene står etter folketall, minst til venstre." in text
    # The baseline pays 103 000 + 20,60 per inhabitant; 30/70 runs on the same four members,
    # Skien (exempt under the baseline) paying too.
    bamble_base = 397_786
    calc = calculate(list(FeeModel.objects.order_by("pk")), 2025)
    data = calculation_data(calc)
    bamble = next(m for m in data["medlemmer"] if m["kommunenummer"] == "4012")
    split = bamble["modeller"][1]["betaling"]
    expected_split = Decimal(75_000) + Decimal(700_000) * POP_2025["4012"] / sum(POP_2025.values())
    assert abs(split - expected_split) < 1
    row = _row(text, "Bamble")
    assert _grouped(bamble_base) in row and _grouped(split) in row
    assert f"−{_grouped(bamble_base - split)}" in row  # from the baseline
    # Last year (2024) for each model: the baseline's Bamble paid 385 380.
    assert f"+{_grouped(bamble_base - 385_380)}" in row
    assert "Høyest/lavest" in text and "Gini" in text
    assert "Fast + per innbygger med tak: taket for 1 medlem (Porsgrunn)" in text
    assert "30/70: ingen betaler taket" in text


def test_the_comparison_without_models_is_the_form(client):
    fee_model()
    page = client.get(reverse("finance:compare"))
    assert page.status_code == 200
    assert "Velg minst én modell for å se beregningen." in _text(page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"modell": "finnes-ikke"},
            "Ukjent modell «finnes-ikke». Velg blant modellene i registeret: testmodell.",
        ),
        ({"modell": ["testmodell", "a", "b"]}, "Ukjent modell «a»"),
        ({"modell": "testmodell", "aar": "2O24"}, "«2O24» er ikke et årstall"),
    ],
)
def test_a_bad_comparison_is_a_400(client, query, expected):
    fee_model()
    page = client.get(reverse("finance:compare"), query)
    assert page.status_code == 400
    assert expected in _text(page)


def test_too_many_models_is_a_400(client):
    for n in range(5):
        fee_model(slug=f"m{n}")
    page = client.get(reverse("finance:compare"), {"modell": [f"m{n}" for n in range(5)]})
    assert page.status_code == 400
    assert "Høyst 4 modeller kan sammenlignes; du valgte 5." in _text(page)


# --- downloads --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("json", "application/json; charset=utf-8"),
        ("md", "text/markdown; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ],
)
def test_the_downloads(client, fmt, content_type):
    fee_model()
    answer = client.get(reverse("finance:download", args=["testmodell", fmt]), {"aar": "2024"})
    assert answer.status_code == 200
    assert answer["Content-Type"] == content_type
    assert answer["Content-Disposition"] == f'attachment; filename="kostnad-testmodell-2024.{fmt}"'
    assert answer["X-Content-Type-Options"] == "nosniff"
    content = answer.content
    if fmt == "json":
        assert json.loads(content)["sum"] == {"testmodell": 1_203_460}
    elif fmt == "md":
        assert "Bamble" in content.decode() and "385" in content.decode()
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        values = [v for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row]
        assert 385_380 in values and "Bamble" in values
    else:
        assert content.startswith(b"%PDF")


def test_the_comparison_downloads_and_its_refusals(client):
    fee_model()
    fee_model(SPLIT_30_70, slug="tretti-sytti")
    url = reverse("finance:compare_download", args=["xlsx"])
    answer = client.get(
        url, {"modell": ["testmodell", "tretti-sytti"], "aar": "2025", "til_aar": "2027"}
    )
    assert answer.status_code == 200
    assert 'filename="kostnad-sammenligning-2025-2027.xlsx"' in answer["Content-Disposition"]
    missing = client.get(url)
    assert missing.status_code == 400 and "Velg minst én modell" in _text(missing)
    bad = client.get(url, {"modell": "testmodell", "aar": "x"})
    assert bad.status_code == 400 and "«x» er ikke et årstall" in _text(bad)
    assert client.get(reverse("finance:compare_download", args=["docx"])).status_code == 404
    assert client.get(reverse("finance:download", args=["testmodell", "exe"])).status_code == 404


def test_the_model_page_links_its_downloads_with_the_query(client):
    fee_model()
    content = client.get(
        reverse("finance:model", args=["testmodell"]), {"aar": "2025", "til_aar": "2027"}
    ).content.decode()
    for fmt in ("xlsx", "pdf", "md", "json"):
        link = reverse("finance:download", args=["testmodell", fmt]) + "?aar=2025&amp;til_aar=2027"
        assert f'href="{link}"' in content


def test_the_spec_terms_read_in_words(client):
    fee_model({**DIGIVESTLAND_LIKE, "indeksering": {"standard": "3", "deflator": {"2025": "4,3"}}})
    text = _text(client.get(reverse("finance:model", args=["testmodell"])))
    assert "Fast beløp per medlem 100 000 kr" in text
    assert "Pris per innbygger 20 kr" in text and "Tak per medlem 500 000 kr" in text
    assert "Prisjustering Beløpene og budsjettet med deflator 3 % per år; 2025: 4,3 %" in text
