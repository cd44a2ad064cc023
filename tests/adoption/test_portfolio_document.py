"""``samarbeid portefolje``: KS's portfolio 2023 as a document in md, json, html and pdf (table 1
ranked with counts and ambitions, table 2 unranked, the details, criteria, pilots, findings),
DigiVestland's regional one with the inherited national items marked, and clear errors."""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samarbeid.adoption.document import document_data, document_html, document_markdown
from samarbeid.adoption.loader import load_examples
from samarbeid.adoption.models import SolutionPortfolio
from samarbeid.portfolio.loader import load_examples as load_bodies
from tests.reports.conftest import require_tool
from tests.test_cli import migrated_database, run, with_database

__all__ = ["migrated_database"]  # a fixture, imported to be found

pytestmark = pytest.mark.django_db

TITLE = "Kommunal portefølje på e-helseområdet 2023"
REGIONAL = "DigiVestland: felles innføringsløp på e-helseområdet"
NBSP = "\u00a0"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def loaded() -> None:
    load_bodies(lambda _line: None)
    load_examples(lambda _line: None)


def _out(**options) -> str:
    stdout = io.StringIO()
    call_command("solution_portfolio", stdout=stdout, **options)
    return stdout.getvalue()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " "))


def test_markdown_has_both_tables_details_criteria_pilots_and_findings(loaded) -> None:
    text = _out(aar=2023)
    assert text.startswith(f"# {TITLE}\n\nKS · 2023 · Vedtatt av KommIT-rådet 24.01.2023 · ")
    assert "## Innføringsaktiviteter (tabell 1, prioritert rekkefølge)" in text
    assert (
        "| 2 | Innføring av Kjernejournal i sykehjem- og hjemmetjenesten | Legemiddelområdet | "
        "Direktoratet for e-helse og Norsk Helsenett SF | 2023 | 215 tilgjengeliggjort "
        f"(april 2023) | 356 | 60,4{NBSP}% |"
    ) in text
    assert "| 6 | Innføre de gjeldene versjoner" in text and "| – | 356 | – |" in text
    assert "## Felles tiltak (tabell 2, ikke prioritert rekkefølge)" in text
    assert "| 3.2b | Utprøving av Pasientenes Legemiddelliste (PLL) i Bergen kommune" in text
    assert "| T2-6 | Forberede dokumentdeling i kjernejournal" in text
    assert text.index("## Innføringsaktiviteter") < text.index("## Felles tiltak")
    assert text.index("## Felles tiltak") < text.index("## Tiltakene i detalj")
    assert "### 2 Innføring av Kjernejournal i sykehjem- og hjemmetjenesten" in text
    assert (
        "**Statustall:** 215 tilgjengeliggjort (april 2023), oppgitt av KS; teksten sier «ca. 214»."
    ) in text
    assert "*Ikke utdypet i dokumentet · Innsatsområde: Digital samhandling" in text
    assert (
        "| Risiko ved å la være | Hva er risikoen/kostnaden ved å ikke gjøre aktiviteten? | 1 |"
        in text
    )
    assert "| 3.2b | Bergen | bydelene Arna og Åsane |" in text
    findings = text[text.index("## Funn i dokumentet") :]
    assert findings.count("\n- ") == 4
    assert "tabellen oppgir 215, men teksten sier «ca. 214» (forskjell -1)" in findings


def test_json_has_stable_norwegian_keys(loaded) -> None:
    data = json.loads(_out(aar=2023, format="json"))
    assert list(data) == [
        "ar", "niva", "organ", "tittel", "eier", "vedtatt_av", "vedtatt_dato", "status_per",
        "sammendrag", "kilde", "bygger_pa", "innsatsomrader", "innforingsaktiviteter",
        "felles_tiltak", "kriterier", "kriterier_fra", "piloter", "funn", "prioritering",
    ]  # fmt: skip
    assert (data["ar"], data["niva"], data["organ"], data["tittel"]) == (
        2023,
        "nasjonal",
        None,
        TITLE,
    )
    assert (data["vedtatt_av"], data["vedtatt_dato"]) == ("KommIT-rådet", "2023-01-24")
    ranked = data["innforingsaktiviteter"]
    assert [i["rang"] for i in ranked] == list(range(1, 8))
    assert [i["ambisjon"] for i in ranked] == [356, 356, 170, 19, 50, 356, 150]
    kjernejournal = ranked[1]
    assert kjernejournal["statustall"] == {
        "antall": 215,
        "niva": "tilgjengeliggjort",
        "niva_tekst": "Tilgjengeliggjort",
        "dato": "2023-04-30",
        "dato_tekst": "april 2023",
        "i_tekst": "ca. 214",
        "oppgitt_av": "KS",
        "kilde": kjernejournal["statustall"]["kilde"],
    }
    assert kjernejournal["andel_prosent"] == 60.4 and kjernejournal["arvet"] is False
    assert ranked[5]["statustall"] is None and ranked[5]["andel_prosent"] is None
    assert [i["referanse"] for i in data["felles_tiltak"]][5] == "T2-6"
    assert all(i["rang"] is None for i in data["felles_tiltak"])
    assert len(data["innsatsomrader"]) == 5 and len(data["kriterier"]) == 8
    assert {(p["tiltak"], p["kommune"]) for p in data["piloter"]} == {
        ("2", "Alta"), ("2", "Tromsø"), ("2", "Bodø"), ("2", "Rana"), ("4", "Trondheim"),
        ("3.2b", "Bergen"),
    }  # fmt: skip
    assert [f["kode"] for f in data["funn"]] == [
        "count_differs_from_text",
        "ambition_below_plan",
        "no_status_count",
        "detail_missing",
    ]


def test_html_is_a_standalone_document(loaded) -> None:
    html = _out(aar=2023, format="html")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nb">' in html
    assert f"<h1>{TITLE}</h1>" in html
    assert "<h2>Innføringsaktiviteter (tabell 1, prioritert rekkefølge)</h2>" in html
    assert "<td>215 tilgjengeliggjort (april 2023)</td>" in html
    assert "<h3>T2-6 Forberede dokumentdeling i kjernejournal" in html
    assert html.count('<th scope="col">') >= 8 + 5 + 3 + 6


def test_pdf_has_the_title_and_the_count(loaded, tmp_path: Path) -> None:
    pdftotext = require_tool("pdftotext")
    out = tmp_path / "portefolje.pdf"
    stderr = io.StringIO()
    call_command("solution_portfolio", aar=2023, format="pdf", out=str(out), stderr=stderr)
    assert out.read_bytes().startswith(b"%PDF-") and f"Skrev {out}" in stderr.getvalue()
    raw = subprocess.run(
        [pdftotext, "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = _flat(raw)
    assert TITLE in text and "215" in text and "tilgjengeliggjort" in text
    assert "Funn i dokumentet" in text and "ca. 214" in text
    pages = raw.split("\f")[:-1]
    assert f"Side {len(pages)} av {len(pages)}" in _flat(pages[-1])


def test_pdf_needs_a_file(loaded) -> None:
    with pytest.raises(CommandError, match="Formatet pdf er en fil") as refused:
        _out(aar=2023, format="pdf")
    assert refused.value.returncode == 2


def test_the_regional_portfolio_marks_what_it_inherits(loaded, tmp_path: Path) -> None:
    data = json.loads(_out(aar=2023, organ="DigiVestland", format="json"))
    assert (data["niva"], data["organ"], data["tittel"]) == ("regional", "DigiVestland", REGIONAL)
    assert data["bygger_pa"] == {"ar": 2023, "tittel": TITLE}
    assert data["vedtatt_av"] is None and data["kriterier_fra"] == TITLE
    intro = data["innforingsaktiviteter"]
    assert [(i["referanse"], i["arvet"]) for i in intro] == [
        *((str(n), True) for n in range(1, 8)),
        ("2.8-1", False),
        ("2.8-2", False),
        ("2.8-3", False),
    ]
    assert [i["bygger_pa"]["referanse"] for i in intro[7:]] == ["7", "3", "2"]
    assert all(i["arvet"] for i in data["felles_tiltak"]) and len(data["felles_tiltak"]) == 10
    text = _out(aar=2023, organ="digivestland")
    assert text.startswith(f"# {REGIONAL}\n\nDigiVestland · 2023 · Vedtak er ikke oppgitt i kilden")
    assert "| Opphav |" in text and "| Nasjonal (arvet) |" in text
    assert "| Regional, bygger på nasjonal 7 |" in text
    assert "### 2.8-1 Felles regionalt innføringsløp for DigiHelse" in text
    assert "### 2 Innføring av Kjernejournal" not in text  # detailed in the national document
    assert "**DigiVestland gjør i 2023:**" in text
    out = tmp_path / "regional.pdf"
    call_command("solution_portfolio", aar=2023, organ="DigiVestland", format="pdf", out=str(out))
    assert out.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"aar": 2022}, "Det finnes ingen nasjonal portefølje for 2022. Nasjonale porteføljer: "
                        "2023. Regionale: DigiVestland 2023."),
        ({"aar": 2024, "organ": "DigiVestland"}, "DigiVestland har ingen regional portefølje for "
                                                 "2024. Nasjonale porteføljer: 2023."),
        ({"aar": 2023, "organ": "Vestland"}, "Fant ikke samarbeidsorganet «Vestland». Finnes: "),
    ],
)  # fmt: skip
def test_unknown_year_or_body_is_a_clear_message(loaded, options, message) -> None:
    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        _out(**options)
    assert refused.value.returncode == 1


def test_the_command_line_says_what_exists(tmp_path: Path, migrated_database: Path) -> None:
    """As a user runs it: one Norwegian line and exit 1, no traceback, on an empty database."""
    folder = with_database(tmp_path, migrated_database)
    result = run(["portefolje", "--aar", "2022"], folder)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "samarbeid portefolje: Det finnes ingen nasjonal portefølje for 2022. Det finnes ingen "
        "porteføljer; last inn eksemplene med «samarbeid load-example».\n"
    )


def test_text_from_the_database_stays_text(loaded) -> None:
    portfolio = SolutionPortfolio.objects.get(level="nasjonal")
    portfolio.title = f"{SCRIPT} | **fet**"
    portfolio.save()
    portfolio.items.filter(reference="2").update(title=f"Kjerne{SCRIPT}|x")
    data = document_data(portfolio)
    html = document_html(data)
    assert "<script" not in html and "&lt;script&gt;" in html
    text = document_markdown(data)
    assert "<script" not in text and "Kjerne&lt;script&gt;alert(1)&lt;/script&gt;\\|x" in text
