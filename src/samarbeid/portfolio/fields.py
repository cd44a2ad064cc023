"""The one codec of the portfolio's editable objects: the Norwegian field names forms, the API
and files use (``kode``, ``tittel``, ``fase`` …) ↔ the model's attributes, and the cleaning of
a raw value through the registry's input boundary (:func:`samarbeid.rules.boundary.clean_cell`:
no control character, no formula in a value field, at most the column's length), so a value the
mapping file refuses, a plan form refuses too, with the same message."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_noop

from samarbeid.registry.edit_checks import issue_problem
from samarbeid.registry.editing import Problem
from samarbeid.rules.boundary import clean_cell
from samarbeid.rules.schema import Column
from samarbeid.rules.values import parse_decimal

from .models import ActionPlan, Benefit, FundingApplication, Milestone, Project, StatusReport

TEXT, PROSE, DATE, KRONER, YES_NO, CHOICE, YEAR, COUNT = (
    "text",
    "prose",
    "date",
    "kroner",
    "yes_no",
    "choice",
    "year",
    "count",
)

_NORWEGIAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
YES = {"ja", "j", "yes", "true", "1", "x"}
NO = {"nei", "n", "no", "false", "0"}
MAX_KRONER = Decimal("1e13")


@dataclass(frozen=True)
class Field:
    key: str  # the Norwegian name (form field, API key, file column)
    attr: str  # the model attribute
    kind: str
    label: str
    required: bool = False


def _model_field(model: type[models.Model], attr: str) -> models.Field:
    return model._meta.get_field(attr)


PROJECT_FIELDS = (
    Field("kode", "code", TEXT, gettext_noop("Kode"), required=True),
    Field("tittel", "title", TEXT, gettext_noop("Tittel"), required=True),
    Field("type", "kind", TEXT, gettext_noop("Type")),
    Field("eier", "owner", TEXT, gettext_noop("Eier")),
    Field("ansvarlig", "responsible", TEXT, gettext_noop("Ansvarlig nettverk eller gruppe")),
    Field("fase", "phase", CHOICE, gettext_noop("Fase")),
    Field("samarbeidsform", "cooperation_form", CHOICE, gettext_noop("Samarbeidsform")),
    Field("soker_midler", "seeks_funds", YES_NO, gettext_noop("Søker skjønnsmidler")),
    Field("oppstart", "started", TEXT, gettext_noop("Oppstart")),
    Field("beskrivelse", "description", PROSE, gettext_noop("Beskrivelse")),
    Field("budsjett", "budget", KRONER, gettext_noop("Budsjett (kr)")),
    Field("okonomi", "economic_case", PROSE, gettext_noop("Økonomiske konsekvenser")),
)
STATUS_FIELDS = (
    Field("dato", "date", DATE, gettext_noop("Dato"), required=True),
    Field("lys", "light", CHOICE, gettext_noop("Trafikklys")),
    Field("tekst", "text", PROSE, gettext_noop("Status"), required=True),
)
BENEFIT_FIELDS = (
    Field("beskrivelse", "description", PROSE, gettext_noop("Gevinst"), required=True),
    Field("gevinsteier", "owner", TEXT, gettext_noop("Gevinsteier")),
    Field("indikator", "indicator", TEXT, gettext_noop("Indikator")),
    Field("utgangspunkt", "baseline", TEXT, gettext_noop("Utgangspunkt")),
    Field("mal", "target", TEXT, gettext_noop("Mål")),
    Field("nar", "when", TEXT, gettext_noop("Når")),
)
MILESTONE_FIELDS = (
    Field("tekst", "text", TEXT, gettext_noop("Milepæl"), required=True),
    Field("nar", "when", TEXT, gettext_noop("Når (planens ord, f.eks. «3. kvartal 2022»)")),
    Field("ferdig", "done", DATE, gettext_noop("Ferdig dato")),
)
FUNDING_FIELDS = (
    Field("ar", "year", YEAR, gettext_noop("År"), required=True),
    Field("periode_som_oppgitt", "year_as_stated", TEXT, gettext_noop("Periode som oppgitt")),
    Field("type", "source_kind", TEXT, gettext_noop("Type midler"), required=True),
    Field("giver", "grantor", TEXT, gettext_noop("Giver"), required=True),
    Field("sokt", "applied", KRONER, gettext_noop("Søkt (kr)")),
    Field("innvilget", "granted", KRONER, gettext_noop("Innvilget (kr)")),
    Field("egenandel", "own_contribution", KRONER, gettext_noop("Egenandel (kr)")),
    Field("vedtaksdato", "decision_date", DATE, gettext_noop("Vedtaksdato")),
)
PLAN_FIELDS = (
    Field("tittel", "title", TEXT, gettext_noop("Tittel"), required=True),
    Field("sammendrag", "summary", PROSE, gettext_noop("Sammendrag")),
    Field(
        "oppgitt_antall_prosjekter",
        "stated_project_count",
        COUNT,
        gettext_noop("Antall prosjekter som oppgitt i teksten"),
    ),
)
MODEL_FIELDS: dict[type[models.Model], tuple[Field, ...]] = {
    Project: PROJECT_FIELDS,
    Milestone: MILESTONE_FIELDS,
    FundingApplication: FUNDING_FIELDS,
    ActionPlan: PLAN_FIELDS,
    StatusReport: STATUS_FIELDS,
    Benefit: BENEFIT_FIELDS,
}


def _problem(field: Field, code: str, template: str, value: str, **params: Any) -> Problem:
    return Problem(field.key, code, template, value=value, params={"value": value, **params})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return str(value)


def clean_value(model: type[models.Model], field: Field, raw: Any) -> tuple[Any, list[Problem]]:
    """One raw value (text from a form or a file, or a JSON value) → the model's value, or the
    problems with it."""
    text = _text(raw)
    model_field = _model_field(model, field.attr)
    max_length = getattr(model_field, "max_length", None) or 100_000
    column = Column(field.key, field.label, max_length=max_length, prose=field.kind == PROSE)
    cleaned, issues = clean_cell(column, text)
    problems = [issue_problem(field.key, i) for i in issues if i.severity == "error"]
    if problems:
        return None, problems
    if not cleaned:
        if field.required:
            return None, [
                _problem(
                    field,
                    "required",
                    gettext_noop("«{label}» må fylles ut."),
                    "",
                    label=field.label,
                )
            ]
        return (None if model_field.null else ""), []
    if field.kind in (TEXT, PROSE):
        return cleaned, []
    if field.kind == CHOICE:
        allowed = {value: label for value, label in model_field.choices}
        by_label = {str(label).lower(): value for value, label in model_field.choices}
        value = cleaned if cleaned in allowed else by_label.get(cleaned.lower())
        if value is None:
            return None, [
                _problem(
                    field,
                    "choice",
                    gettext_noop(
                        "«{value}» er ikke en gyldig verdi for {label}. Gyldige: {allowed}."
                    ),
                    cleaned,
                    label=field.label,
                    allowed=", ".join(allowed),
                )
            ]
        return value, []
    if field.kind == YES_NO:
        key = cleaned.lower()
        if key in YES or key in NO:
            return key in YES, []
        return None, [
            _problem(
                field,
                "yes_no",
                gettext_noop("«{value}»: skriv ja, nei eller la feltet stå tomt."),
                cleaned,
            )
        ]
    if field.kind == DATE:
        day = parse_day(cleaned)
        if day is None:
            return None, [
                _problem(
                    field,
                    "date",
                    gettext_noop("«{value}» er ikke en dato. Skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."),
                    cleaned,
                )
            ]
        return day, []
    if field.kind in (YEAR, COUNT):
        digits = cleaned.isdigit() and len(cleaned) <= 5
        if (
            digits
            and int(cleaned) <= 32767
            and (field.kind == COUNT or 1900 <= int(cleaned) <= 2200)
        ):
            return int(cleaned), []
        template = (
            gettext_noop("«{value}» er ikke et årstall (1900–2200).")
            if field.kind == YEAR
            else gettext_noop("«{value}» er ikke et antall (et helt tall, 0 eller mer).")
        )
        return None, [_problem(field, field.kind, template, cleaned)]
    # KRONER
    amount = parse_decimal(cleaned.replace("kr", "").strip())
    if amount is None or amount < 0 or amount >= MAX_KRONER or amount != amount.to_integral():
        return None, [
            _problem(
                field,
                "kroner",
                gettext_noop("«{value}» er ikke et beløp i hele kroner (0 eller mer)."),
                cleaned,
            )
        ]
    return amount.quantize(Decimal(1)), []


def parse_day(text: str) -> dt.date | None:
    """ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ → the date; ``None`` otherwise."""
    text = text.strip()
    match = _NORWEGIAN_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
    except ValueError:
        return None
    return None


def clean_values(
    model: type[models.Model], raw: dict[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[Problem]]:
    """The fields of ``raw`` (Norwegian keys) as model attributes, or every problem. With
    ``partial`` (an update), keys left out keep their value; unknown keys are refused."""
    fields = MODEL_FIELDS[model]
    known = {f.key for f in fields}
    problems = [
        Problem(
            key,
            "unknown_field",
            gettext_noop("Ukjent felt «{value}»."),
            value=key,
            params={"value": key},
        )
        for key in raw
        if key not in known
    ]
    values: dict[str, Any] = {}
    for field in fields:
        if partial and field.key not in raw:
            continue
        value, found = clean_value(model, field, raw.get(field.key))
        problems += found
        if not found:
            values[field.attr] = value
    return values, problems


def as_raw(obj: models.Model) -> dict[str, str]:
    """The object's editable fields as form text (the inverse of :func:`clean_values`)."""
    result: dict[str, str] = {}
    for field in MODEL_FIELDS[type(obj)]:
        value = getattr(obj, field.attr)
        if value is None:
            text = ""
        elif isinstance(value, bool):
            text = "ja" if value else "nei"
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        result[field.key] = text
    return result
