"""Per-municipality overview (nivi-method.md §4, analysis 13) and helpers shared by the analyses.

:func:`municipality_overview` is the list a municipality needs for its annual report and its
ownership report: every *counted* arrangement it takes part in, with co-participants, legal form,
host, year and staff-years, and what is missing. :func:`municipality_overview_other` lists its
ended and excluded arrangements, for information only (they never count).

The small helpers at the top (Norwegian sort order, percent, display names, labels) are used by
the other analysis modules of this package as well.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from samarbeid.reference.vocab import EXCLUSION_REASONS, LEGAL_FORMS, STATUSES
from samarbeid.rules.values import format_established

from .model import MappingData, Table

# --------------------------------------------------------------------------------------------
# Shared helpers

_NB_ORDER = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"})

UNKNOWN = "Ikke kjent"


def nb_key(text: str) -> str:
    """Sort key for Norwegian text: case-insensitive, with æ, ø, å after z (in that order)."""
    return str(text).casefold().translate(_NB_ORDER)


def percent(part: float, whole: float) -> float | None:
    """``part`` as percent of ``whole``, one decimal, a plain float (None when whole is 0)."""
    if not whole:
        return None
    return round(100.0 * float(part) / float(whole), 1)


def plain(value: Any) -> Any:
    """A plain Python value (no numpy scalars, NaN/NA -> None)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item"):
        return value.item()
    return value


def sorted_refs(refs: Iterable[str]) -> list[str]:
    return sorted({str(r) for r in refs})


def entity_names(data: MappingData) -> dict[str, str]:
    """Display name per municipality entity: the scope's names, then the participants' names.

    Both are the qualified names of the mapping ("Våler (Viken)"), so two municipalities that
    share a short name are never shown alike.
    """
    names: dict[str, str] = {}
    members = data.memberships
    kommune = members[(members["kind"] == "kommune") & (members["entity"] != "")]
    kommune = kommune.drop_duplicates("entity")
    for entity, name in zip(kommune["entity"].tolist(), kommune["name"].tolist(), strict=True):
        names.setdefault(str(entity), str(name))
    scope = data.municipalities
    for entity, name in zip(scope["entity"].tolist(), scope["name"].tolist(), strict=True):
        names[str(entity)] = str(name)
    return names


def host_display(row: Any, names: dict[str, str], cutoff: Any = None) -> str:
    """The host of an arrangement row as text: a name, "Ingen" or "Ikke kjent"."""
    status = row["host_status"]
    if status == "ingen":
        return "Ingen"
    if status == "kommune":
        entity = str(row["host_entity"])
        if entity in names:
            return names[entity]
        qualified = _gazetteer_name(entity, cutoff)
        if qualified:
            return qualified
        return str(row["host_name"]) or UNKNOWN
    if status == "annen":
        return "Annen (ikke en kommune)"
    return UNKNOWN


def _gazetteer_name(entity: str, at: Any) -> str:
    if not entity:
        return ""
    from samarbeid.reference.gazetteer import load_gazetteer

    periods = load_gazetteer().entity_periods(entity)
    if not periods:
        return ""
    chosen = periods[-1]
    if at is not None:
        for p in periods:
            if p.valid_at(at):
                chosen = p
                break
    return chosen.qualified_name()


def legal_form_label(code: str) -> str:
    """The Norwegian label of a legal-form code; "Ikke kjent" for an unknown (blank) form."""
    if not code:
        return UNKNOWN
    term = LEGAL_FORMS.by_code.get(code)
    return term.nb if term else str(code)


def status_label(code: str) -> str:
    term = STATUSES.by_code.get(code)
    return term.nb if term else str(code)


def established_text(row: Any) -> str:
    """ "2005", "2015–2021", "Uspesifisert" or "Ikke kjent"."""
    return format_established(
        plain(row["established_from"]),
        plain(row["established_to"]),
        bool(row["established_unspecified"]),
        dash="–",
        unspecified_text="Uspesifisert",
        unknown=UNKNOWN,
    )


def has_year(row: Any) -> bool:
    """A known establishment year or period (a long-standing, unspecified one counts as known)."""
    return (
        plain(row["established_from"]) is not None
        or plain(row["established_to"]) is not None
        or bool(row["established_unspecified"])
    )


def arsverk_value(value: Any) -> float | None:
    value = plain(value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def missing_fields(row: Any) -> list[str]:
    """What the overview lacks for one arrangement row (år, vertskommune, juridisk form, årsverk)."""
    out = []
    if not has_year(row):
        out.append("år")
    if row["host_status"] == "":
        out.append("vertskommune")
    if not row["legal_form"]:
        out.append("juridisk form")
    if arsverk_value(row["arsverk"]) is None:
        out.append("årsverk")
    return out


def participant_count(row: Any, listed: int) -> int:
    """Participants of an arrangement: the stated count where the list is known to be short."""
    stated = plain(row["participant_count_stated"])
    if stated is not None and stated > listed:
        return int(stated)
    return int(listed)


# --------------------------------------------------------------------------------------------
# Analysis 13


def _municipality_name(data: MappingData, entity: str) -> str:
    names = entity_names(data)
    if entity in names:
        return names[entity]
    name = _gazetteer_name(entity, data.cutoff)
    if name:
        return name
    raise ValueError(f"Ukjent kommune i kartleggingen: {entity!r}")


def _arrangements_of(data: MappingData, entity: str, frame: pd.DataFrame) -> pd.DataFrame:
    members = data.memberships
    refs = set(members.loc[(members["kind"] == "kommune") & (members["entity"] == entity), "ref"])
    return frame[frame["ref"].isin(refs)]


def _co_participants(data: MappingData, refs: set[str], entity: str) -> dict[str, list[str]]:
    members = data.memberships[data.memberships["ref"].isin(refs)]
    out: dict[str, list[str]] = {}
    for ref, kind, ent, name in zip(
        members["ref"], members["kind"], members["entity"], members["name"], strict=True
    ):
        lst = out.setdefault(str(ref), [])
        if kind == "kommune" and ent == entity:
            continue
        lst.append(str(name))
    return out


def municipality_overview(data: MappingData, entity: str) -> Table:
    """Every counted arrangement one municipality takes part in (analysis 13)."""
    name = _municipality_name(data, entity)
    names = entity_names(data)
    arrangements = _arrangements_of(data, entity, data.counted())
    refs = set(arrangements["ref"])
    others = _co_participants(data, refs, entity)
    listed = data.memberships[data.memberships["ref"].isin(refs)].groupby("ref").size()
    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    lacking: dict[str, int] = {"år": 0, "vertskommune": 0, "juridisk form": 0, "årsverk": 0}
    for row in arrangements.to_dict("records"):
        ref = str(row["ref"])
        missing = missing_fields(row)
        for field_name in missing:
            lacking[field_name] += 1
        rows.append(
            [
                ref,
                str(row["name"]),
                legal_form_label(row["legal_form"]),
                host_display(row, names, data.cutoff),
                established_text(row),
                arsverk_value(row["arsverk"]),
                participant_count(row, int(listed.get(ref, 0))),
                "; ".join(others.get(ref, [])),
                ", ".join(missing),
            ]
        )
        ids.append([ref])
    note = (
        "Mangler: "
        + ", ".join(f"{k} {v}" for k, v in lacking.items())
        + (f" (av {len(rows)} ordninger)." if rows else ".")
    )
    return Table(
        id="oversikt",
        title=f"Kommunevis oversikt: {name}",
        n=len(rows),
        columns=[
            "id",
            "ordning",
            "juridisk_form",
            "vertskommune",
            "etablert",
            "arsverk",
            "deltakere",
            "andre_deltakere",
            "mangler",
        ],
        rows=rows,
        ids=ids,
        caption=(
            f"Alle tellede samarbeidsordninger {name} deltar i, med de andre deltakerne, "
            "juridisk form, vertskommune, etableringsår og årsverk. n = antall ordninger. "
            "Deltakere er antall deltakere i alt (det oppgitte antallet der listen er "
            "ufullstendig)."
        ),
        note=note,
    )


def _reason_text(column: str, value: object) -> str:
    if column == "exclusion_reason":
        term = EXCLUSION_REASONS.by_code.get(str(value))
        return term.nb if term else str(value)
    return str(value)


def municipality_overview_other(data: MappingData, entity: str) -> Table:
    """The municipality's ended and excluded arrangements, for information (never counted)."""
    name = _municipality_name(data, entity)
    frame = data.arrangements[~data.arrangements["counted"].astype(bool)]
    arrangements = _arrangements_of(data, entity, frame)
    refs = set(arrangements["ref"])
    others = _co_participants(data, refs, entity)
    reason_columns = [c for c in ("exclusion_reason", "status_note") if c in arrangements.columns]
    rows: list[list[Any]] = []
    ids: list[list[str]] = []
    for row in arrangements.to_dict("records"):
        ref = str(row["ref"])
        reason = "; ".join(_reason_text(c, row[c]) for c in reason_columns if plain(row[c]))
        rows.append(
            [
                ref,
                str(row["name"]),
                status_label(row["status"]),
                reason,
                str(row["ended"] or ""),
                "; ".join(others.get(ref, [])),
            ]
        )
        ids.append([ref])
    return Table(
        id="oversikt_ikke_telt",
        title=f"Avsluttede og ikke tellede ordninger: {name}",
        n=len(rows),
        columns=["id", "ordning", "status", "grunn", "avsluttet", "andre_deltakere"],
        rows=rows,
        ids=ids,
        caption=(
            f"Ordninger {name} er eller var med i som er avsluttet eller faller utenfor "
            "definisjonen av formelt samarbeid. De telles ikke i analysene. n = antall ordninger."
        ),
        note="" if reason_columns else "Grunnen er ikke med i analysegrunnlaget.",
    )
