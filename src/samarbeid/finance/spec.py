"""A member-fee model as data (a *kostnadsmodell*): its parts, limits, exemptions and indexation.

A model is a plain mapping with Norwegian keys (the same in the JSON file, the API and the web
form), read by :func:`parse` into a :class:`FeeModel` or refused with one message per field::

    {
      "navn": "DigiVestland grunnfinansiering",
      "prisaar": 2023,                       # the year the amounts are stated in
      "budsjett": 10100000,                  # what the model must cover (selvkost); optional
                                             # unless a part splits the budget
      "deler": [
        {"type": "fast", "belop": 100000},             # the same amount for every member
        {"type": "per_innbygger", "belop": 20},        # a price per inhabitant
        {"type": "andel", "andel": 70, "fordeling": "innbyggere"}
      ],                                     # andel: a share of what the fixed parts leave of the
                                             # budget, split likt | innbyggere | bruk | eierandel
      "gulv": null, "tak": 500000,           # per member, on the whole payment
      "fritak": [{"kommunenummer": "4601", "egenbidrag": "Vertskap, sekretariat …",
                  "verdi": null}],           # exempt members pay nothing; their in-kind
                                             # contribution is shown and valued, never billed
      "indeksering": {"deflator": {"2024": "4,3"}, "standard": "3",
                      "belop": true, "tak": false, "gulv": false},
      "bruk": {"2024": {"4602": 120}}        # usage figures per year, for fordeling «bruk»
    }

The population of a budget year is SSB's figure per 31 December of the year before
(:data:`POPULATION_RULE`). Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.finance.money import decimals, exact, plain

FIXED = "fast"
PER_INHABITANT = "per_innbygger"
SHARE = "andel"
PART_KINDS = (FIXED, PER_INHABITANT, SHARE)
BASES = ("likt", "innbyggere", "bruk", "eierandel")
PART_LABELS = {
    FIXED: gettext_noop("Fast beløp per medlem"),
    PER_INHABITANT: gettext_noop("Pris per innbygger"),
    SHARE: gettext_noop("Andel av budsjettet"),
}
BASIS_LABELS = {
    "likt": gettext_noop("likt"),
    "innbyggere": gettext_noop("etter folketall"),
    "bruk": gettext_noop("etter bruk"),
    "eierandel": gettext_noop("etter eierandel"),
}
POPULATION_RULE = gettext_noop("Folketall per 31. desember året før budsjettåret (SSB)")
MAX_AMOUNT = Decimal(10**11)  # kr 100 milliarder: anything above is a typing error
YEARS = range(1990, 2101)
NUMBER = re.compile(r"^\d{4}$")


class SpecError(ValueError):
    """The model cannot be read: ``errors`` maps a field (``deler[2].andel``) to its message."""

    def __init__(self, errors: dict[str, Text]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass(frozen=True)
class Part:
    kind: str
    amount: Decimal | None = None  # fast, per_innbygger
    share: Decimal | None = None  # andel, in per cent
    basis: str | None = None  # andel


@dataclass(frozen=True)
class Exemption:
    number: str
    in_kind: str = ""
    value: Decimal | None = None


@dataclass(frozen=True)
class Indexation:
    deflators: dict[int, Decimal] = field(default_factory=dict)  # per cent per year
    default: Decimal | None = None
    amounts: bool = True
    cap: bool = False
    floor: bool = False

    def rate(self, year: int) -> Decimal | None:
        return self.deflators.get(year, self.default)


@dataclass(frozen=True)
class FeeModel:
    name: str
    price_year: int
    parts: tuple[Part, ...]
    budget: Decimal | None = None
    floor: Decimal | None = None
    cap: Decimal | None = None
    exemptions: tuple[Exemption, ...] = ()
    indexation: Indexation = field(default_factory=Indexation)
    usage: dict[int, dict[str, Decimal]] = field(default_factory=dict)
    description: str = ""

    @property
    def splits_budget(self) -> bool:
        return any(p.kind == SHARE for p in self.parts)

    def exempt(self, number: str) -> Exemption | None:
        return next((e for e in self.exemptions if e.number == number), None)


# -- reading ----------------------------------------------------------------------------------


class _Reader:
    def __init__(self) -> None:
        self.errors: dict[str, Text] = {}

    def fail(self, where: str, message: str, **params: Any) -> None:
        self.errors.setdefault(where, Text(message, **params))

    def money(self, data: Mapping, key: str, where: str, *, required: bool = False,
              positive: bool = False, whole: bool = False) -> Decimal | None:  # fmt: skip
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(where, gettext_noop("Mangler: oppgi et beløp i kroner."))
            return None
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
                raise TypeError(value)
            # a JSON number arrives as float: its shortest text is the number the user wrote
            amount = exact(repr(value) if isinstance(value, float) else value)
        except (TypeError, ValueError):
            self.fail(where, gettext_noop("«{value}» er ikke et tall (for eksempel 100000 eller 20,50)."),
                      value=str(value)[:40])  # fmt: skip
            return None
        if amount < 0 or (positive and amount == 0):
            self.fail(where, gettext_noop("Må være større enn 0.") if positive
                      else gettext_noop("Kan ikke være negativt."))  # fmt: skip
            return None
        if amount > MAX_AMOUNT:
            self.fail(where, gettext_noop("For stort: høyst 100 000 000 000."))
            return None
        if whole and decimals(amount):
            self.fail(where, gettext_noop("Oppgi hele kroner."))
            return None
        if decimals(amount) > 2:
            self.fail(where, gettext_noop("Høyst to desimaler (øre)."))
            return None
        return amount

    def year(self, value: Any, where: str) -> int | None:
        try:
            year = int(str(value).strip())
        except (TypeError, ValueError):
            self.fail(where, gettext_noop("«{value}» er ikke et årstall."), value=str(value)[:20])
            return None
        if year not in YEARS:
            self.fail(where, gettext_noop("Årstallet må ligge mellom 1990 og 2100."))
            return None
        return year

    def percent(self, value: Any, where: str, *, low: int, high: int) -> Decimal | None:
        try:
            if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
                raise TypeError(value)
            number = exact(repr(value) if isinstance(value, float) else value)
        except (TypeError, ValueError):
            self.fail(
                where, gettext_noop("«{value}» er ikke et tall (prosent)."), value=str(value)[:20]
            )
            return None
        if decimals(number) > 4:
            self.fail(where, gettext_noop("Høyst fire desimaler."))
            return None
        if not low <= number <= high:
            self.fail(
                where, gettext_noop("Må ligge mellom {low} og {high} prosent."), low=low, high=high
            )
            return None
        return number

    def number(self, value: Any, where: str) -> str | None:
        text = str(value or "").strip()
        if not NUMBER.match(text):
            self.fail(where, gettext_noop("«{value}» er ikke et kommunenummer (fire sifre)."),
                      value=text[:20])  # fmt: skip
            return None
        return text


def _text(data: Mapping, key: str, limit: int) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()[:limit]


def parse(data: Any) -> FeeModel:
    """The model in ``data`` (a mapping as above), or :class:`SpecError` with every problem."""
    r = _Reader()
    if not isinstance(data, Mapping):
        raise SpecError(
            {"modell": Text(gettext_noop("Modellen må være et objekt med navn, prisaar og deler."))}
        )
    known = {"navn", "beskrivelse", "prisaar", "budsjett", "deler", "gulv", "tak", "fritak",
             "indeksering", "bruk"}  # fmt: skip
    for key in sorted(set(data) - known):
        r.fail(
            str(key)[:40],
            gettext_noop("Ukjent felt; kjente felt er {known}."),
            known=", ".join(sorted(known)),
        )
    name = _text(data, "navn", 200)
    if not name:
        r.fail("navn", gettext_noop("Mangler: gi modellen et navn."))
    price_year = r.year(data.get("prisaar"), "prisaar") if data.get("prisaar") is not None else None
    if data.get("prisaar") is None:
        r.fail("prisaar", gettext_noop("Mangler: året beløpene gjelder for (for eksempel 2024)."))
    budget = r.money(data, "budsjett", "budsjett", positive=True, whole=True)
    parts = _parts(r, data.get("deler"))
    floor = r.money(data, "gulv", "gulv", whole=True)
    cap = r.money(data, "tak", "tak", positive=True, whole=True)
    if floor is not None and cap is not None and floor > cap:
        r.fail("gulv", gettext_noop("Gulvet ({floor}) er høyere enn taket ({cap})."),
               floor=str(floor), cap=str(cap))  # fmt: skip
    if any(p.kind == SHARE for p in parts) and budget is None and "budsjett" not in r.errors:
        r.fail(
            "budsjett", gettext_noop("Mangler: en modell som deler budsjettet, trenger budsjettet.")
        )
    exemptions = _exemptions(r, data.get("fritak"))
    indexation = _indexation(r, data.get("indeksering"))
    usage = _usage(r, data.get("bruk"))
    if r.errors:
        raise SpecError(r.errors)
    return FeeModel(name=name, price_year=price_year, parts=tuple(parts), budget=budget,
                    floor=floor, cap=cap, exemptions=tuple(exemptions), indexation=indexation,
                    usage=usage, description=_text(data, "beskrivelse", 4000))  # fmt: skip


def _parts(r: _Reader, raw: Any) -> list[Part]:
    if not isinstance(raw, list) or not raw:
        r.fail(
            "deler",
            gettext_noop(
                "Mangler: modellen trenger minst én del (fast, per_innbygger eller andel)."
            ),
        )
        return []
    if len(raw) > 20:
        r.fail("deler", gettext_noop("Høyst 20 deler."))
        return []
    parts: list[Part] = []
    for i, item in enumerate(raw):
        where = f"deler[{i + 1}]"
        if not isinstance(item, Mapping):
            r.fail(where, gettext_noop("Hver del er et objekt med type og beløp eller andel."))
            continue
        kind = str(item.get("type") or "").strip()
        if kind not in PART_KINDS:
            r.fail(f"{where}.type", gettext_noop("«{value}» er ingen deltype; bruk fast, per_innbygger eller andel."),
                   value=kind[:30])  # fmt: skip
            continue
        if kind == SHARE:
            share = r.percent(item.get("andel"), f"{where}.andel", low=0, high=100)
            basis = str(item.get("fordeling") or "").strip()
            if basis not in BASES:
                message = gettext_noop(
                    "Ukjent fordeling «{value}»; bruk likt, innbyggere, bruk eller eierandel."
                )
                r.fail(f"{where}.fordeling", message, value=basis[:30])
                continue
            if share is not None:
                parts.append(Part(SHARE, share=share, basis=basis))
        else:
            amount = r.money(item, "belop", f"{where}.belop", required=True, positive=True)
            if amount is not None:
                parts.append(Part(kind, amount=amount))
    shares = [p.share for p in parts if p.kind == SHARE]
    if shares and sum(shares) != 100:
        r.fail("deler", gettext_noop("Andelene av budsjettet må til sammen være 100 prosent (nå {total})."),
               total=str(plain(sum(shares))).replace(".", ","))  # fmt: skip
    return parts


def _exemptions(r: _Reader, raw: Any) -> list[Exemption]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        r.fail("fritak", gettext_noop("Fritak er en liste av objekter med kommunenummer."))
        return []
    found: list[Exemption] = []
    for i, item in enumerate(raw):
        where = f"fritak[{i + 1}]"
        item = item if isinstance(item, Mapping) else {"kommunenummer": item}
        number = r.number(item.get("kommunenummer"), f"{where}.kommunenummer")
        value = r.money(item, "verdi", f"{where}.verdi")
        if number and any(e.number == number for e in found):
            r.fail(
                f"{where}.kommunenummer",
                gettext_noop("{number} er fritatt to ganger."),
                number=number,
            )
        elif number:
            found.append(Exemption(number, _text(item, "egenbidrag", 2000), value))
    return found


def _indexation(r: _Reader, raw: Any) -> Indexation:
    if raw in (None, ""):
        return Indexation()
    if not isinstance(raw, Mapping):
        r.fail(
            "indeksering",
            gettext_noop("Indeksering er et objekt med deflator, standard, belop, tak og gulv."),
        )
        return Indexation()
    deflators: dict[int, Decimal] = {}
    table = raw.get("deflator") or {}
    if not isinstance(table, Mapping):
        r.fail("indeksering.deflator", gettext_noop("Deflatoren er en tabell år → prosent."))
        table = {}
    for key, value in table.items():
        year = r.year(key, f"indeksering.deflator.{key}")
        rate = r.percent(value, f"indeksering.deflator.{key}", low=-50, high=100)
        if year is not None and rate is not None:
            deflators[year] = rate
    default = None
    if raw.get("standard") not in (None, ""):
        default = r.percent(raw.get("standard"), "indeksering.standard", low=-50, high=100)
    flags = {}
    for key, fallback in (("belop", True), ("tak", False), ("gulv", False)):
        value = raw.get(key, fallback)
        if not isinstance(value, bool):
            r.fail(f"indeksering.{key}", gettext_noop("Må være true eller false."))
            value = fallback
        flags[key] = value
    return Indexation(deflators, default, flags["belop"], flags["tak"], flags["gulv"])


def _usage(r: _Reader, raw: Any) -> dict[int, dict[str, Decimal]]:
    if raw in (None, ""):
        return {}
    if not isinstance(raw, Mapping):
        r.fail("bruk", gettext_noop("Bruk er en tabell fra år til kommunenummer og tall."))
        return {}
    usage: dict[int, dict[str, Decimal]] = {}
    for key, figures in raw.items():
        year = r.year(key, f"bruk.{key}")
        if not isinstance(figures, Mapping):
            r.fail(f"bruk.{key}", gettext_noop("Bruk for et år er en tabell kommunenummer → tall."))
            continue
        row: dict[str, Decimal] = {}
        for number, value in figures.items():
            where = f"bruk.{key}.{number}"
            checked = r.number(number, where)
            amount = r.money({"v": value}, "v", where, required=True)
            if checked and amount is not None:
                row[checked] = amount
        if year is not None:
            usage[year] = row
    return usage


# -- writing ----------------------------------------------------------------------------------


def to_data(model: FeeModel) -> dict[str, Any]:
    """The model as the mapping :func:`parse` reads (``parse(to_data(m)) == m``)."""
    parts = []
    for p in model.parts:
        if p.kind == SHARE:
            parts.append({"type": SHARE, "andel": plain(p.share), "fordeling": p.basis})
        else:
            parts.append({"type": p.kind, "belop": plain(p.amount)})
    ix = model.indexation
    data: dict[str, Any] = {
        "navn": model.name,
        "beskrivelse": model.description,
        "prisaar": model.price_year,
        "budsjett": plain(model.budget),
        "deler": parts,
        "gulv": plain(model.floor),
        "tak": plain(model.cap),
        "fritak": [
            {"kommunenummer": e.number, "egenbidrag": e.in_kind, "verdi": plain(e.value)}
            for e in model.exemptions
        ],
        "indeksering": {
            "deflator": {str(y): plain(v) for y, v in sorted(ix.deflators.items())},
            "standard": plain(ix.default),
            "belop": ix.amounts,
            "tak": ix.cap,
            "gulv": ix.floor,
        },
        "bruk": {
            str(y): {n: plain(v) for n, v in sorted(row.items())}
            for y, row in sorted(model.usage.items())
        },
    }
    return data
