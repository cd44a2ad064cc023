"""The pieces the file formats share (:mod:`.outputs`): numbers as a reader reads them, typed
tables and sections, the heading, the notes, a model's terms and the arithmetic of one payment.
Made from :func:`samarbeid.finance.document.calculation_data`; texts through gettext."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samarbeid.core.i18n import translate

from .money import decimals, exact
from .spec import BASIS_LABELS, POPULATION_RULE

# Kinds of column: how a value is written as text and which number format a workbook gives it.
TEXT, KR, CHANGE, DEC2, RATIO, COUNT, YEAR, FLAG, INDEX = (
    "text",
    "kr",
    "change",
    "dec2",
    "ratio",
    "count",
    "year",
    "flag",
    "index",
)
NUMERIC = frozenset({KR, CHANGE, DEC2, RATIO, COUNT, YEAR, INDEX})
DECIMALS = {DEC2: 2, RATIO: 4, INDEX: 6}
NBSP = "\u00a0"
MINUS = "\u2212"
EMPTY = "–"


# -- numbers as text ----------------------------------------------------------------------------


def _grouped(digits: str, lang: str) -> str:
    """``1234567`` → ``1 234 567`` (no-break spaces) or, in English, ``1,234,567``."""
    head, _sep, tail = digits.partition(".")
    grouped = f"{int(head):,}"
    if lang != "en":
        grouped = grouped.replace(",", NBSP)
    if tail:
        grouped += ("." if lang == "en" else ",") + tail
    return grouped


def amount(value: Decimal | int | str | None, lang: str, places: int | None = None) -> str:
    """A number as it is read: grouped thousands, decimal comma in bokmål, the minus sign U+2212.
    ``places`` None: whole numbers without decimals, others with two."""
    if value is None:
        return EMPTY
    number = exact(value)  # also «4,1» as a user wrote it
    if places is None:
        places = 0 if number == number.to_integral_value() else 2
    text = _grouped(format(abs(number).quantize(Decimal(1).scaleb(-places)), "f"), lang)
    return (MINUS + text) if number < 0 and text.strip("0,. " + NBSP) else text


def percent(value: Decimal | int | str, lang: str) -> str:
    """A percentage with the decimals it has: «4,1», «30», «2,25»."""
    number = exact(value)
    return amount(number, lang, decimals(number))


def cell_text(value: Any, kind: str, lang: str) -> str:
    """A table cell as text (Markdown, PDF)."""
    if value is None or value == "":
        return "" if kind in (TEXT, FLAG) else EMPTY
    if kind == FLAG:
        return _("ja") if value else ""
    if kind == YEAR:
        return str(value)
    if kind in (KR, COUNT):
        return amount(value, lang, 0)
    if kind == CHANGE:
        return ("+" if value > 0 else "") + amount(value, lang, 0)
    if kind in DECIMALS:
        return amount(value, lang, DECIMALS[kind])
    return str(value)


def dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# -- the pieces of a document -------------------------------------------------------------------


@dataclass
class Column:
    label: str
    kind: str = TEXT
    width: int = 0  # a hint for the workbook (characters); 0: from the values


@dataclass
class Table:
    """Typed rows under typed columns. ``key`` columns (the first ones) are repeated when a
    writer splits a wide table into narrower ones (the PDF)."""

    columns: list[Column]
    rows: list[list[Any]]
    total: list[Any] | None = None
    key: int = 1
    caption: str = ""


@dataclass
class Section:
    """A heading (level 2 or 3) with its blocks, each a paragraph (str), facts (a list of
    label–text pairs), a bullet list (``Bullets``) or a :class:`Table`, in order."""

    title: str
    level: int = 2
    blocks: list[Any] = field(default_factory=list)


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Facts:
    items: list[tuple[str, str]]


@dataclass
class Document:
    title: str
    facts: Facts
    sections: list[Section]


def several(data: dict[str, Any]) -> bool:
    return len(data["modeller"]) > 1


def model_label(index: int) -> str:
    """Models in a comparison's columns: «Modell 1» (the baseline), «Modell 2» …"""
    return _("Modell {n}").format(n=index + 1)


def title(data: dict[str, Any]) -> str:
    if several(data):
        return _("Sammenligning av kostnadsmodeller {year}").format(year=data["aar"])
    return _("Kostnadsfordeling {year}: {name}").format(
        year=data["aar"], name=data["modeller"][0]["navn"]
    )


def heading_facts(data: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    """What the reader of a council case needs first: the body, the model(s), the year, the
    population date, how many members and whether the list is assumed."""
    models = data["modeller"]
    facts = []
    if models[0]["organ"]:
        facts.append((_("Samarbeidsorgan"), models[0]["organ"]))
    if models[0].get("ordning"):
        facts.append((_("Ordning"), models[0]["ordning"]))
    for i, m in enumerate(models):
        label = _("Modell") if len(models) == 1 else model_label(i)
        name = _("{name} (versjon {version})").format(name=m["navn"], version=m["versjon"])
        facts.append((label, name + (" – " + _("basis") if i == 0 and len(models) > 1 else "")))
    facts.append((_("Budsjettår"), str(data["aar"])))
    facts.append((_("Folketall"), data["folketall"]))
    members = len(data["medlemmer"])
    listed = _("{count} kommuner").format(count=amount(members, lang))
    if data["medlemsliste_antatt"]:
        listed += " (" + _("antatt medlemsliste, se merknadene") + ")"
    facts.append((_("Medlemmer"), listed))
    if data["framskriving"]:
        facts.append((_("Framskriving"), f"{data['aar']}–{data['til_aar']}"))
    return facts


def notes(data: dict[str, Any]) -> list[str]:
    """The notes of the calculation; a model's own notes (what its cap or floor did) named by
    the model when there are several."""
    own = {note for m in data["modeller"] for note in m["merknader"]}
    out = [n for n in data["merknader"] if n not in own]
    for i, m in enumerate(data["modeller"]):
        for note in m["merknader"]:
            out.append(f"{model_label(i)} ({m['navn']}): {note}" if several(data) else note)
    return out


def parts_text(spec: dict[str, Any], lang: str) -> str:
    """The model's parts as stated, in its price year: «100 000 kr per medlem + 20 kr per
    innbygger», «30 % likt + 70 % etter folketall»."""
    out = []
    for part in spec.get("deler", []):
        if part["type"] == "fast":
            out.append(_("{amount} kr per medlem").format(amount=amount(part["belop"], lang)))
        elif part["type"] == "per_innbygger":
            out.append(_("{amount} kr per innbygger").format(amount=amount(part["belop"], lang)))
        else:
            basis = translate(BASIS_LABELS.get(part["fordeling"], part["fordeling"]), lang)
            out.append(f"{percent(part['andel'], lang)} % {basis}")
    return " + ".join(out)


def indexation_text(spec: dict[str, Any], lang: str) -> str:
    ix = spec.get("indeksering") or {}
    indexed = [
        label
        for key, label in (("belop", _("beløpene")), ("tak", _("taket")), ("gulv", _("gulvet")))
        if ix.get(key, key == "belop")
    ]
    text = _("Indeksert: {what}.").format(what=", ".join(indexed) or _("ingenting"))
    if ix.get("deflator"):
        rates = "; ".join(f"{y}: {percent(v, lang)} %" for y, v in sorted(ix["deflator"].items()))
        text += " " + _("Deflator: {rates}.").format(rates=rates)
    if ix.get("standard") is not None:
        text += " " + _("Ellers {rate} % per år.").format(rate=percent(ix["standard"], lang))
    return text


def model_facts(m: dict[str, Any], year: int, lang: str) -> list[tuple[str, str]]:
    """A model's terms in the budget year (after indexation) and what it covers."""
    spec = m["modell"]
    kr = _("{amount} kr")
    facts = [(_("Deler (prisår {year})").format(year=spec.get("prisaar")), parts_text(spec, lang))]
    if m["budsjett"] is not None:
        facts.append(
            (_("Budsjett {year}").format(year=year), kr.format(amount=amount(m["budsjett"], lang)))
        )
    if Decimal(m["fast_belop"]):
        facts.append(
            (
                _("Fast beløp per medlem {year}").format(year=year),
                kr.format(amount=amount(dec(m["fast_belop"]), lang)),
            )
        )
    if Decimal(m["pris_per_innbygger"]):
        facts.append(
            (
                _("Pris per innbygger {year}").format(year=year),
                kr.format(amount=amount(dec(m["pris_per_innbygger"]), lang, 2)),
            )
        )
    facts.append(
        (
            _("Tak per medlem"),
            _("ingen") if m["tak"] is None else kr.format(amount=amount(m["tak"], lang)),
        )
    )
    facts.append(
        (
            _("Gulv per medlem"),
            _("ingen") if m["gulv"] is None else kr.format(amount=amount(m["gulv"], lang)),
        )
    )
    facts.append(
        (
            _("Prisindeks"),
            _("{index} (fra prisåret {price_year})").format(
                index=amount(dec(m["prisindeks"]), lang, 6), price_year=spec.get("prisaar")
            ),
        )
    )
    facts.append((_("Indeksering"), indexation_text(spec, lang)))
    facts.append((_("Sum betalt"), kr.format(amount=amount(m["sum"], lang))))
    if m["dekning"] is not None:
        sign = "+" if m["dekning"] > 0 else ""
        facts.append(
            (_("Dekning (sum − budsjett)"), sign + kr.format(amount=amount(m["dekning"], lang)))
        )
    facts.append(
        (
            _("Medlemmer med tak / gulv / fritak"),
            f"{m['tak_brukt']} / {m['gulv_brukt']} / {m['fritatt']}",
        )
    )
    return facts


# -- the arithmetic of one payment --------------------------------------------------------------


def paying_key(data: dict[str, Any]) -> tuple[int, int]:
    """(number of paying members, their population): the denominators of the keys «likt» and
    «innbyggere»."""
    paying = [r for r in data["medlemmer"] if not r["fritatt"]]
    return len(paying), sum(r["innbyggere"] or 0 for r in paying)


def arithmetic(row: dict[str, Any], paying: tuple[int, int], lang: str) -> str:
    """«100 000 + 20 × 5 732 = 214 640»; «tak 500 000 brukt (beregnet 100 000 + 20 × 25 617 =
    612 340)»; a split: «30 % × 1/42 × 10 100 000 + 70 % × 17 349/626 411 × 10 100 000 =
    413 465,71 ≈ 413 466»."""
    if row["fritatt"]:
        return _("fritatt (egenbidrag, se «Fritak og egenbidrag»)")
    terms = []
    for line in row["regnestykke"]:
        if line["del"] == "fast":
            terms.append(amount(dec(line["belop"]), lang))
        elif line["del"] == "per_innbygger":
            terms.append(f"{amount(dec(line['pris']), lang)} × {amount(line['innbyggere'], lang)}")
        else:
            if line["fordeling"] == "likt":
                fraction = f"1/{paying[0]}"
            elif line["fordeling"] == "innbyggere":
                fraction = f"{amount(row['innbyggere'] or 0, lang)}/{amount(paying[1], lang)}"
            else:
                fraction = amount(dec(line["brok"]), lang, 6)
            terms.append(
                f"{percent(line['andel'], lang)} % × {fraction} × "
                f"{amount(dec(line['fordelt']), lang)}"
            )
    computed = dec(row["beregnet_for_grenser"])
    only_fixed = len(terms) == 1 and row["regnestykke"][0]["del"] == "fast"
    formula = amount(computed, lang)
    if terms and not only_fixed:
        formula = " + ".join(terms) + " = " + formula
    if row["tak_brukt"]:
        return _("tak {cap} brukt (beregnet {formula})").format(
            cap=amount(row["betaling"], lang), formula=formula
        )
    if row["gulv_brukt"]:
        return _("gulv {floor} brukt (beregnet {formula})").format(
            floor=amount(row["betaling"], lang), formula=formula
        )
    if computed != row["betaling"]:
        formula += " ≈ " + amount(row["betaling"], lang)
    return formula


FAIRNESS_TEXT = gettext_noop(
    "Målt på kostnaden per innbygger for medlemmene som betaler. Maks/min: den høyeste delt på "
    "den laveste. Variasjonskoeffisient: standardavviket delt på gjennomsnittet. Gini: 0 når "
    "alle betaler det samme per innbygger, mot 1 når ett medlem bærer alt."
)


RULES = (
    gettext_noop(
        "Betalingene er i hele kroner. Ett beløp rundes vanlig av (en halv krone opp). Når et "
        "budsjett fordeles, rundes hver betaling ned og de kronene som mangler, går til de "
        "største restene, slik at summen blir budsjettet."
    ),
    gettext_noop(
        "Et fritatt medlem betaler ingenting og er utenfor alle fordelingsnøkler; egenbidraget "
        "vises, men faktureres ikke."
    ),
    gettext_noop(
        "Tak og gulv gjelder hele betalingen per medlem. Når et tak kutter en betaling i en "
        "modell som fordeler et budsjett, bærer de andre medlemmene det som kuttes, etter de "
        "samme nøklene."
    ),
)


def rules(lang: str) -> list[str]:
    return [translate(POPULATION_RULE, lang) + ".", *(_(text) for text in RULES)]


def texts(table: Table, lang: str) -> tuple[list[str], list[list[str]], list[str] | None]:
    """A table's header, rows and total as text (Markdown, PDF)."""
    kinds = [c.kind for c in table.columns]

    def line(values: Iterable[Any]) -> list[str]:
        return [
            cell_text(v, k, lang) if not isinstance(v, str) or k == TEXT else v
            for v, k in zip(values, kinds, strict=True)
        ]

    # in the sum row an empty cell is empty, not «–» (nothing is summed there)
    total = line("" if v is None else v for v in table.total) if table.total else None
    return [c.label for c in table.columns], [line(r) for r in table.rows], total
