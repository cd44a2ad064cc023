"""The example portfolios from the shipped documents (``examples/*.json``): KS's national e-health
portfolio 2023 and DigiVestland's regional one, loaded by ``samarbeid load-example`` in one
transaction after the portfolio app has loaded the bodies.

Each fact's ``kilde`` names the section of its document; the loader prefixes the document's
title, so a source reads «KS: Kommunal portefølje på e-helseområdet 2023, avsnitt 2.2». Loading
again changes nothing and says so. The documents give counts, not per-municipality status: no
adoption records are made here."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from samarbeid.commandbase import UserError
from samarbeid.portfolio.models import CooperationBody
from samarbeid.registry.models import Municipality, MunicipalityPeriod

from .models import Area, Criterion, Item, Pilot, ReportedCount, Solution, SolutionPortfolio

#: In this order: the regional portfolio inherits the national one.
EXAMPLES = ["ks-ehelse-2023.json", "digivestland-ehelse.json"]

Source = Callable[[dict[str, Any]], str]


def example_text(filename: str) -> str:
    return resources.files("samarbeid.adoption.examples").joinpath(filename).read_text("utf-8")


def read_example(filename: str) -> dict[str, Any]:
    """The example's facts; a clear :class:`UserError` when the file is not a JSON object."""
    try:
        document = json.loads(example_text(filename))
    except json.JSONDecodeError as error:
        raise UserError(
            f"Eksempelet {filename} er ikke gyldig JSON: {error.msg} (linje {error.lineno}, "
            f"kolonne {error.colno})."
        ) from None
    if not isinstance(document, dict):
        raise UserError(
            f"Eksempelet {filename} må være et JSON-objekt, ikke {type(document).__name__}."
        )
    return document


def load_examples(write: Callable[[str], None]) -> None:
    """Load every example, all or nothing; one line per document (loaded, unchanged, skipped)."""
    documents = [(filename, read_example(filename)) for filename in EXAMPLES]
    messages: list[str] = []
    with transaction.atomic():
        for filename, document in documents:
            try:
                messages.append(load_document(document))
            except KeyError as error:
                raise UserError(
                    f"Eksempelet {filename} kan ikke lastes inn: feltet «{error.args[0]}» mangler."
                ) from error
            except (ValueError, TypeError, LookupError, IntegrityError) as error:
                raise UserError(f"Eksempelet {filename} kan ikke lastes inn: {error}.") from error
    for message in messages:
        write(message)


def load_document(document: dict[str, Any]) -> str:
    """One portfolio from a document's facts (inside the caller's transaction); what was done."""
    title = document["dokument"]

    def src(fact: dict[str, Any]) -> str:
        where = str(fact["kilde"]).strip()
        if not where:
            raise ValueError("et faktum har tom kilde")
        return f"{title}, {where}"

    level = document["portefolje"]["niva"]
    if level == SolutionPortfolio.Level.NATIONAL:
        return _load_national(document, src)
    if level == SolutionPortfolio.Level.REGIONAL:
        return _load_regional(document, src)
    raise ValueError(f"ukjent nivå «{level}» (nasjonal eller regional)")


def _portfolio(facts: dict[str, Any], src: Source, **extra: Any) -> SolutionPortfolio:
    return SolutionPortfolio.objects.create(
        year=int(facts["ar"]),
        level=facts["niva"],
        title=facts["tittel"],
        owner=facts.get("eier", ""),
        approved_by=facts.get("vedtatt_av", ""),
        approved_on=_date(facts["vedtatt_dato"]) if facts.get("vedtatt_dato") else None,
        status_as_of=facts.get("status_per", ""),
        summary=facts.get("sammendrag", ""),
        source=src(facts),
        **extra,
    )


def _load_national(document: dict[str, Any], src: Source) -> str:
    facts = document["portefolje"]
    year = int(facts["ar"])
    existing = SolutionPortfolio.objects.filter(
        level=SolutionPortfolio.Level.NATIONAL, year=year
    ).first()
    if existing is not None:
        return f"{existing.title}: allerede lastet inn (uendret)."
    portfolio = _portfolio(facts, src)
    areas = {
        a["navn"]: Area.objects.create(
            portfolio=portfolio, name=a["navn"], position=position, source=src(a)
        )
        for position, a in enumerate(document.get("innsatsomrader", []))
    }
    for s in document.get("losninger", []):
        Solution.objects.get_or_create(
            name=s["navn"], defaults={"description": s.get("beskrivelse", ""), "source": src(s)}
        )
    for position, c in enumerate(document.get("kriterier", [])):
        Criterion.objects.create(
            portfolio=portfolio,
            text=c["tekst"],
            short=c["kort"],
            weight=c.get("vekt", 1),
            position=position,
            source=src(c),
        )
    on = _date(facts["statusdato"]) if facts.get("statusdato") else dt.date(year, 12, 31)
    items = _load_items(portfolio, document["tiltak"], src, areas, on, {})
    introduction = sum(1 for i in items if i.kind == Item.Kind.INTRODUCTION)
    pilots = Pilot.objects.filter(item__portfolio=portfolio).count()
    return (
        f"{portfolio.title}: {introduction} innføringsaktiviteter, {len(items) - introduction} "
        f"felles tiltak, {len(areas)} innsatsområder, {portfolio.criteria.count()} kriterier, "
        f"{pilots} piloter — lastet inn."
    )


def _load_regional(document: dict[str, Any], src: Source) -> str:
    facts = document["portefolje"]
    year = int(facts["ar"])
    body = CooperationBody.objects.filter(name=facts["organ"]).first()
    if body is None:
        return (
            f"{facts['organ']}: samarbeidsorganet finnes ikke, så den regionale porteføljen "
            f"«{facts['tittel']}» er hoppet over."
        )
    existing = body.solution_portfolios.filter(year=year).first()
    if existing is not None:
        return f"{existing.title} ({year}): allerede lastet inn (uendret)."
    parent_year = int(facts.get("overordnet_ar", year))
    parent = SolutionPortfolio.objects.filter(
        level=SolutionPortfolio.Level.NATIONAL, year=parent_year
    ).first()
    if parent is None:
        raise LookupError(f"den nasjonale porteføljen for {parent_year} finnes ikke")
    portfolio = _portfolio(facts, src, body=body, parent=parent)
    national = {item.reference: item for item in parent.items.all()}
    on = _date(facts["statusdato"]) if facts.get("statusdato") else dt.date(year, 12, 31)
    items = _load_items(portfolio, document["tiltak"], src, {}, on, national)
    return (
        f"{portfolio.title} ({year}): {len(items)} egne tiltak som bygger på «{parent.title}» "
        "— lastet inn."
    )


def _load_items(
    portfolio: SolutionPortfolio,
    facts_list: list[dict[str, Any]],
    src: Source,
    areas: dict[str, Area],
    on: dt.date,
    national: dict[str, Item],
) -> list[Item]:
    items = []
    for position, t in enumerate(facts_list):
        reference = str(t["referanse"])
        kind = _choice(t["type"], Item.Kind, "type")
        inherits = None
        if t.get("arver"):
            inherits = national.get(str(t["arver"]))
            if inherits is None:
                raise LookupError(
                    f"tiltak {reference} bygger på «{t['arver']}», som ikke finnes i den "
                    "nasjonale porteføljen"
                )
        if t.get("innsatsomrade"):
            if t["innsatsomrade"] not in areas:
                raise LookupError(
                    f"tiltak {reference}: ukjent innsatsområde «{t['innsatsomrade']}»"
                )
            area = areas[t["innsatsomrade"]]
        else:
            area = inherits.area if inherits else None
        solution = _solution(t["losning"]) if t.get("losning") else None
        item = Item.objects.create(
            portfolio=portfolio,
            reference=reference,
            rank=t.get("rang"),
            kind=kind,
            title=t["tittel"],
            area=area,
            solution=solution,
            inherits=inherits,
            owner=t.get("eier", ""),
            timeframe=t.get("tidsramme", ""),
            purpose=t.get("formal", ""),
            municipalities_should=_lines(t.get("kommunene_bor")),
            sector_does=_lines(t.get("sektoren_gjor")),
            status_text=_lines(t.get("status")),
            detail_section=t.get("avsnitt", ""),
            planned_in_text=t.get("planlagt_i_tekst", ""),
            planned_total=t.get("planlagt_totalt"),
            ambition=t.get("ambisjon"),
            population=_choice(t.get("populasjon", "alle"), Item.Population, "populasjon"),
            population_note=t.get("populasjon_merknad", ""),
            position=position,
            source=src(t),
        )
        items.append(item)
        if t.get("statustall"):
            _reported(item, t["statustall"], src)
        for p in t.get("piloter", []):
            Pilot.objects.create(
                item=item,
                municipality=_municipality(p["kommune"], on),
                part=p.get("del", ""),
                what=p.get("hva", ""),
                period=p.get("periode", ""),
                outcome=p.get("utfall", ""),
                source=src(p),
            )
    return items


def _reported(item: Item, c: dict[str, Any], src: Source) -> ReportedCount:
    if item.solution is None:
        raise ValueError(f"tiltak {item.reference} har statustall, men ingen løsning")
    return ReportedCount.objects.create(
        solution=item.solution,
        item=item,
        count=int(c["antall"]),
        level=_choice(c["niva"], ReportedCount.Level, "niva"),
        as_of=_date(c["dato"]),
        as_of_text=c.get("dato_tekst", ""),
        in_text=c.get("i_tekst", ""),
        reported_by=c["oppgitt_av"],
        source=src(c),
    )


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise ValueError(f"{field} «{value}» er ikke en av {allowed}")
    return value


def _lines(value: list[str] | str | None) -> str:
    """The document's bullets or paragraphs, one a line."""
    if value is None:
        return ""
    return value if isinstance(value, str) else "\n".join(value)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"«{value}» er ikke en dato (ÅÅÅÅ-MM-DD)") from None


def _solution(name: str) -> Solution:
    solution = Solution.objects.filter(name=name).first()
    if solution is None:
        raise LookupError(f"løsningen «{name}» finnes ikke")
    return solution


def _municipality(name: str, on: dt.date) -> Municipality:
    """The municipality called ``name`` (or numbered so) on ``on``: names repeat across time
    (Trondheim before and after the merger of 2020) and space (Herøy, Våler)."""
    key = name.strip()
    periods = MunicipalityPeriod.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    )
    periods = periods.filter(number=key) if key.isdigit() else periods.filter(name__iexact=key)
    ids = sorted(set(periods.values_list("municipality_id", flat=True)))
    if len(ids) == 1:
        return Municipality.objects.get(pk=ids[0])
    if not ids:
        raise LookupError(f"fant ingen kommune «{name}» per {on:%d.%m.%Y}")
    raise LookupError(
        f"«{name}» er navnet på {len(ids)} kommuner per {on:%d.%m.%Y}; oppgi kommunenummeret"
    )
