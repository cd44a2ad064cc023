"""KS's e-health portfolio 2023 and DigiVestland's regional one as ``samarbeid load-example``
loads them: what the documents say (7 ranked activities, 10 joint measures, 5 areas, 8 criteria,
the pilots, the counts «as of April 2023»), every fact with its source, nothing twice, and the
document's own faults — exactly those."""

from __future__ import annotations

import datetime as dt

import pytest

from samarbeid.adoption import loader
from samarbeid.adoption.document import item_facts, portfolio_findings
from samarbeid.adoption.models import (
    AdoptionRecord,
    Area,
    Criterion,
    Item,
    Pilot,
    ReportedCount,
    Score,
    Solution,
    SolutionPortfolio,
)
from samarbeid.commandbase import UserError
from samarbeid.portfolio.loader import load_examples as load_bodies

pytestmark = pytest.mark.django_db

KS = "KS: Kommunal portefølje på e-helseområdet 2023"
DIGIVESTLAND = "DigiVestland-samarbeidet: Kunnskapsgrunnlag før ny samarbeidsavtale"
TITLE = "Kommunal portefølje på e-helseområdet 2023"
REGIONAL = "DigiVestland: felles innføringsløp på e-helseområdet"
SOURCED = [Solution, SolutionPortfolio, Area, Item, ReportedCount, Criterion, Pilot]
LOADED = [
    f"{TITLE}: 7 innføringsaktiviteter, 10 felles tiltak, 5 innsatsområder, 8 kriterier, "
    "6 piloter — lastet inn.",
    f"{REGIONAL} (2023): 3 egne tiltak som bygger på «{TITLE}» — lastet inn.",
]


def _load() -> list[str]:
    lines: list[str] = []
    loader.load_examples(lines.append)
    return lines


@pytest.fixture
def loaded() -> list[str]:
    load_bodies(lambda _line: None)
    return _load()


@pytest.fixture
def national(loaded) -> SolutionPortfolio:
    return SolutionPortfolio.objects.get(level="nasjonal", year=2023)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*SOURCED, Score, AdoptionRecord]}


def test_the_national_portfolio_reads_as_the_document(loaded, national) -> None:
    assert loaded == LOADED
    assert (national.title, national.owner, national.approved_by) == (TITLE, "KS", "KommIT-rådet")
    assert national.approved_on == dt.date(2023, 1, 24) and national.status_as_of == "april 2023"
    assert national.body is None and national.parent is None
    assert list(national.areas.values_list("name", flat=True)) == [
        "Legemiddelområdet",
        "Digital samhandling",
        "Digitale fellesløsninger",
        "Innbyggertjenester",
        "Velferdsteknologi og digital hjemmeoppfølging",
    ]
    ranked = list(national.items.filter(kind="innforing").order_by("rank"))
    assert [(i.rank, i.reference, i.detail_section) for i in ranked] == [
        (n, str(n), f"2.{n}") for n in range(1, 8)
    ]
    assert [i.solution.name for i in ranked] == [
        "Skatteetatens API-er for egenandelsberegning",
        "Kjernejournal",
        "DigiHelsestasjon",
        "Helseplattformen",
        "Velferdsteknologisk knutepunkt",
        "Elektronisk meldingsutveksling (gjeldende versjoner)",
        "DigiHelse",
    ]
    assert [i.ambition for i in ranked] == [356, 356, 170, 19, 50, 356, 150]
    assert [i.area.name for i in ranked][:2] == ["Digitale fellesløsninger", "Legemiddelområdet"]
    assert all(i.owner and i.timeframe and i.purpose and i.status_text for i in ranked)
    assert ranked[1].owner == "Direktoratet for e-helse og Norsk Helsenett SF"
    assert ranked[6].timeframe == "Pågående"


def test_the_joint_measures_are_unranked_in_table_order(national) -> None:
    joint = list(national.items.filter(kind="felles").order_by("position"))
    assert [(i.reference, i.rank) for i in joint] == [
        (ref, None)
        for ref in ["3.1a", "3.2a", "3.2b", "3.2c", "3.3a", "T2-6", "3.4", "3.5a", "3.5b", "3.5c"]
    ]
    sharing = joint[5]
    assert sharing.title.startswith("Forberede dokumentdeling i kjernejournal")
    assert (sharing.detail_section, sharing.owner, sharing.area.name) == (
        "",
        "",
        "Digital samhandling",
    )
    assert all(i.detail_section for i in joint if i is not sharing)
    assert joint[0].owner == "Oslo kommune" and joint[2].timeframe == "2023–2029"


def test_the_reported_counts_keep_their_level_and_date(national) -> None:
    counts = {
        c.item.reference: (c.count, c.level, c.in_text)
        for c in ReportedCount.objects.select_related("item")
    }
    assert counts == {
        "1": (0, "ikke_oppgitt", ""),
        "2": (215, "tilgjengeliggjort", "ca. 214"),
        "3": (147, "i_bruk", "over 147"),
        "4": (10, "i_bruk", ""),
        "5": (30, "ikke_oppgitt", ""),
        "7": (133, "i_bruk", "133"),
    }
    kjernejournal = ReportedCount.objects.get(solution__name="Kjernejournal")
    assert kjernejournal.item.ambition == 356
    assert (kjernejournal.as_of, kjernejournal.as_of_text) == (dt.date(2023, 4, 30), "april 2023")
    assert kjernejournal.reported_by == "KS"
    assert "Tallene på Kjernejournal er knyttet til tilgjengeliggjort" in kjernejournal.source
    # Where the document does not say what is counted, the source says so.
    for reference in ("1", "5"):
        count = ReportedCount.objects.get(item__reference=reference, item__portfolio=national)
        assert "Dokumentet sier ikke om tallet gjelder" in count.source


def test_helseplattformen_is_measured_against_the_municipalities_that_use_the_option(
    national,
) -> None:
    item = national.items.get(reference="4")
    assert (item.population, item.ambition, item.planned_total) == ("oppgitt", 19, 20)
    assert "benytter opsjonen" in item.population_note
    assert item.planned_in_text.startswith("Trondheim var den første kommune")
    assert "ni andre kommuner har startet opp" in item.planned_in_text
    assert item.planned_in_text.endswith("Det er planer om å få opp ti til i 2023.")
    others = national.items.filter(kind="innforing").exclude(reference="4")
    assert set(others.values_list("population", flat=True)) == {"alle"}


def test_criteria_and_pilots(national) -> None:
    criteria = list(national.criteria.all())
    assert len(criteria) == 8 and {c.weight for c in criteria} == {1}
    assert [c.short for c in criteria][:2] == ["Digitaliseringsstrategien", "Demografi"]
    assert all(len(c.short) <= 30 and c.text.endswith("?") for c in criteria)
    assert not Score.objects.exists()  # the document gives no scores
    pilots = {
        (p.item.reference, p.municipality.name, p.part)
        for p in Pilot.objects.select_related("item", "municipality")
    }
    assert pilots == {
        ("2", "Alta", ""),
        ("2", "Tromsø", ""),
        ("2", "Bodø", ""),
        ("2", "Rana", ""),
        ("3.2b", "Bergen", "bydelene Arna og Åsane"),
        ("4", "Trondheim", ""),
    }
    # Trondheim of 2023: the municipality after the merger with Klæbu in 2020, not the old one.
    trondheim = Pilot.objects.get(municipality__name="Trondheim").municipality
    assert trondheim.periods.filter(valid_from=dt.date(2020, 1, 1)).exists()
    assert not trondheim.periods.filter(valid_to=dt.date(2019, 12, 31)).exists()


def test_no_status_per_municipality_is_invented(loaded) -> None:
    assert not AdoptionRecord.objects.exists()


def test_every_fact_has_its_source(loaded) -> None:
    for model in SOURCED:
        rows = list(model.objects.all())
        assert rows, model.__name__
        for row in rows:
            assert row.source.strip(), f"{model.__name__} {row}"
            assert row.source.startswith((f"{KS}, ", f"{DIGIVESTLAND}, ")), row.source
    kjernejournal = Item.objects.get(portfolio__level="nasjonal", reference="2")
    assert "tabell 1" in kjernejournal.source and "avsnitt 2.2" in kjernejournal.source


def test_loading_twice_changes_nothing_and_says_so(loaded) -> None:
    before = _counts()
    assert _load() == [
        f"{TITLE}: allerede lastet inn (uendret).",
        f"{REGIONAL} (2023): allerede lastet inn (uendret).",
    ]
    assert _counts() == before


def test_the_findings_are_exactly_the_documents_faults(national) -> None:
    findings = portfolio_findings(national)
    assert [(f.code, f.place.text()) for f in findings] == [
        ("count_differs_from_text", f"{TITLE}, 2 Innføring av Kjernejournal i sykehjem- og "
                                    "hjemmetjenesten"),
        ("ambition_below_plan", f"{TITLE}, 4 Innføring av Helseplattformen i Midt-Norge"),
        ("no_status_count", f"{TITLE}, 6 Innføre de gjeldene versjoner av elektronisk "
                            "meldingsutveksling ved kommunikasjon med samhandlingsparter"),
        ("detail_missing", f"{TITLE}, T2-6 Forberede dokumentdeling i kjernejournal basert på "
                           "erfaringer fra utprøving på legevakt og KAD, samt ved å innføre "
                           "kjernejournal og eID for ansatte"),
    ]  # fmt: skip
    assert findings[0].message.text() == (
        "tabellen oppgir 215, men teksten sier «ca. 214» (forskjell -1)"
    )
    assert findings[1].message.text().startswith("ambisjonen er 19, men teksten planlegger 20")
    facts = item_facts(national.items.get(reference="3"))
    assert (facts.reported_count, facts.count_in_text) == (147, "over 147")


def test_the_regional_portfolio_inherits_the_national_one(national) -> None:
    regional = SolutionPortfolio.objects.get(level="regional")
    assert (regional.body.name, regional.year, regional.parent) == ("DigiVestland", 2023, national)
    assert (
        regional.title == REGIONAL and regional.approved_by == "" and regional.approved_on is None
    )
    items = list(regional.items.select_related("inherits", "solution", "area").order_by("position"))
    assert [(i.reference, i.solution.name, i.inherits.reference) for i in items] == [
        ("2.8-1", "DigiHelse", "7"),
        ("2.8-2", "DigiHelsestasjon", "3"),
        ("2.8-3", "Kjernejournal", "2"),
    ]
    assert all(i.kind == "innforing" and i.rank is None and i.ambition is None for i in items)
    assert [i.area.name for i in items] == [i.inherits.area.name for i in items]
    assert all(i.source.startswith(f"{DIGIVESTLAND}, avsnitt 2.8") for i in items)
    assert not ReportedCount.objects.filter(item__portfolio=regional).exists()
    assert portfolio_findings(regional) == portfolio_findings(national)  # nothing of its own


def test_without_digivestland_the_regional_portfolio_is_skipped() -> None:
    assert _load() == [
        LOADED[0],
        f"DigiVestland: samarbeidsorganet finnes ikke, så den regionale porteføljen «{REGIONAL}» "
        "er hoppet over.",
    ]
    assert not SolutionPortfolio.objects.filter(level="regional").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"dokument": "x", ', "Eksempelet ks-ehelse-2023.json er ikke gyldig JSON: Expecting "
                               "property name enclosed in double quotes (linje 1, kolonne 19)."),
        ("[]", "Eksempelet ks-ehelse-2023.json må være et JSON-objekt, ikke list."),
        ('{"dokument": "x"}', "Eksempelet ks-ehelse-2023.json kan ikke lastes inn: feltet "
                              "«portefolje» mangler."),
    ],
)  # fmt: skip
def test_a_broken_example_is_a_clear_error_and_loads_nothing(monkeypatch, text, message) -> None:
    real = loader.example_text
    monkeypatch.setattr(
        loader, "example_text", lambda name: text if name == "ks-ehelse-2023.json" else real(name)
    )
    with pytest.raises(UserError) as refused:
        _load()
    assert str(refused.value) == message
    assert not SolutionPortfolio.objects.exists() and not Solution.objects.exists()


def test_a_bad_fact_rolls_back_everything(monkeypatch) -> None:
    """The regional document fails after the national one was written: neither stays."""
    load_bodies(lambda _line: None)
    real = loader.example_text
    monkeypatch.setattr(
        loader,
        "example_text",
        lambda name: (
            real(name).replace('"arver": "3"', '"arver": "99"')
            if name == "digivestland-ehelse.json"
            else real(name)
        ),
    )
    with pytest.raises(UserError) as refused:
        _load()
    assert str(refused.value) == (
        "Eksempelet digivestland-ehelse.json kan ikke lastes inn: tiltak 2.8-2 bygger på «99», "
        "som ikke finnes i den nasjonale porteføljen."
    )
    assert not SolutionPortfolio.objects.exists() and not Item.objects.exists()
