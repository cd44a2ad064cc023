"""The query of a calculation (``?modell=…&aar=…&til_aar=…&vekst=…``), read by :func:`read_query`
with one message per bad parameter — the same for the pages, the downloads and the API."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from .members import gazetteer
from .models import FeeModel
from .money import decimals, exact
from .services import MAX_YEARS

#: The most models one comparison takes (the charts stay readable).
MAX_MODELS = 4
#: Population growth a projection takes, per cent a year.
GROWTH_RANGE = (Decimal(-5), Decimal(10))
YEAR = re.compile(r"^\d{4}$")


@dataclass
class QueryError:
    """One bad parameter: its name (``aar``), its label and what is wrong and expected."""

    param: str
    label: str
    message: str


@dataclass
class Query:
    """The parameters as read; ``errors`` when one cannot be used (nothing is computed then)."""

    slugs: list[str]
    models: list[FeeModel]
    year: int
    to_year: int | None
    growth: Decimal | None
    given: bool
    raw: dict[str, str] = field(default_factory=dict)
    errors: list[QueryError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, param: str) -> str:
        return next((e.message for e in self.errors if e.param == param), "")

    def params(self, *, models: bool = True) -> list[tuple[str, str]]:
        """The query to carry to the next page or download (only what the reader chose)."""
        out = [("modell", s) for s in self.slugs] if models else []
        for key in ("aar", "til_aar", "vekst"):
            if self.raw.get(key):
                out.append((key, self.raw[key]))
        return out


def population_years() -> range:
    """The budget years with population figures (SSB per 31 December the year before)."""
    years = gazetteer().population_years()
    return range(years[0], years[-1] + 1)


def default_year() -> int:
    """This year when its population is known, else the last year that has it."""
    years = population_years()
    return max(years.start, min(timezone.localdate().year, years.stop - 1))


def _labels() -> dict[str, str]:
    return {
        "modell": _("Modell"),
        "aar": _("Budsjettår"),
        "til_aar": _("Framskriv til år"),
        "vekst": _("Befolkningsvekst per år"),
    }


def read_query(params: Mapping, *, slugs: list[str] | None = None) -> Query:
    """The calculation the reader asked for. ``slugs``: the model of the address (a model's
    page); otherwise the ``modell`` parameters, in order (the first is the baseline)."""
    labels = _labels()
    errors: list[QueryError] = []

    def fail(param: str, message: str) -> None:
        errors.append(QueryError(param, labels[param], message))

    def text(key: str) -> str:
        return str(params.get(key, "") or "").strip()[:40]

    raw = {k: text(k) for k in ("aar", "til_aar", "vekst")}
    given = any(raw.values()) or bool(slugs is None and _list(params, "modell"))
    years = population_years()
    year = default_year()
    if raw["aar"]:
        if not YEAR.match(raw["aar"]):
            fail(
                "aar",
                _(
                    "«%(value)s» er ikke et årstall. Skriv budsjettåret med fire sifre, for "
                    "eksempel %(example)s."
                )
                % {"value": raw["aar"], "example": year},
            )
        elif int(raw["aar"]) not in years:
            fail(
                "aar",
                _(
                    "Registeret har ikke folketall for budsjettåret %(year)s. Velg et år fra "
                    "%(first)s til %(last)s (folketallet per 31. desember året før)."
                )
                % {"year": raw["aar"], "first": years.start, "last": years.stop - 1},
            )
        else:
            year = int(raw["aar"])
    to_year = None
    if raw["til_aar"]:
        last = year + MAX_YEARS
        if not YEAR.match(raw["til_aar"]):
            fail(
                "til_aar",
                _(
                    "«%(value)s» er ikke et årstall. Skriv det siste året framskrivingen "
                    "skal gå til, for eksempel %(example)s."
                )
                % {"value": raw["til_aar"], "example": year + 10},
            )
        elif not year <= int(raw["til_aar"]) <= last:
            fail(
                "til_aar",
                _(
                    "Framskrivingen må gå til et år fra %(year)s til %(last)s (høyst "
                    "%(max)s år etter budsjettåret); %(value)s er utenfor."
                )
                % {"year": year, "last": last, "max": MAX_YEARS, "value": raw["til_aar"]},
            )
        elif int(raw["til_aar"]) > year:
            to_year = int(raw["til_aar"])
    growth = None
    if raw["vekst"]:
        try:
            growth = exact(raw["vekst"].replace("−", "-").removesuffix("%").strip())
        except ValueError:
            growth = None
        low, high = GROWTH_RANGE
        if growth is None or decimals(growth) > 2 or not low <= growth <= high:
            fail(
                "vekst",
                _(
                    "«%(value)s» er ikke en vekst vi kan bruke. Skriv befolkningsveksten "
                    "per år i prosent, fra %(low)s til %(high)s, for eksempel 0,5."
                )
                % {"value": raw["vekst"], "low": low, "high": high},
            )
            growth = None
    chosen = list(slugs) if slugs is not None else _list(params, "modell")
    models: list[FeeModel] = []
    if slugs is None and len(chosen) > MAX_MODELS:
        fail(
            "modell",
            _("Høyst %(max)s modeller kan sammenlignes; du valgte %(count)s.")
            % {"max": MAX_MODELS, "count": len(chosen)},
        )
    elif slugs is None:
        found = {m.slug: m for m in FeeModel.objects.filter(slug__in=chosen).select_related("body")}
        unknown = [s for s in chosen if s not in found]
        if unknown:
            known = ", ".join(FeeModel.objects.order_by("slug").values_list("slug", flat=True))
            fail(
                "modell",
                _("Ukjent modell «%(value)s». Velg blant modellene i registeret: %(known)s.")
                % {"value": unknown[0][:80], "known": known or "–"},
            )
        else:
            models = [found[s] for s in chosen]
    return Query(chosen, models, year, to_year, growth, given, raw, errors)


def _list(params: Mapping, key: str) -> list[str]:
    """The values of a repeated parameter, in order, without blanks and repeats."""
    values = params.getlist(key) if hasattr(params, "getlist") else params.get(key) or []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        text = str(value).strip()[:80]
        if text and text not in out:
            out.append(text)
    return out
