"""Shared parts of the report commands: formats, finding mappings and municipalities."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from samarbeid.analysis.model import MappingData
from samarbeid.commandbase import UserError
from samarbeid.core.outfiles import check_folder

from .render import FORMATS


def parse_formats(
    values: Sequence[str] | None,
    allowed: Sequence[str] = FORMATS,
    default: Sequence[str] = ("html", "pdf"),
) -> list[str]:
    """``--format html --format pdf`` or ``--format html,pdf``; order kept, duplicates dropped."""
    wanted: list[str] = []
    for value in values or default:
        for part in re.split(r"[,\s]+", value.strip().lower()):
            if not part:
                continue
            if part not in allowed:
                raise UserError(
                    f"Ukjent format «{part}». Velg blant: {', '.join(allowed)}.", returncode=2
                )
            if part not in wanted:
                wanted.append(part)
    if not wanted:
        raise UserError(f"Ingen format valgt. Velg blant: {', '.join(allowed)}.", returncode=2)
    return wanted


def load_mapping(name: str) -> MappingData:
    """The mapping called ``name`` as analysis input; a clear error listing the mappings if none."""
    from samarbeid.registry.models import Mapping
    from samarbeid.registry.snapshot import mapping_data

    mapping = Mapping.objects.filter(name=name).first()
    if mapping is None:
        mapping = Mapping.objects.filter(name__iexact=name).first()
    if mapping is None:
        names = ", ".join(Mapping.objects.values_list("name", flat=True)) or "ingen"
        hint = " Last inn eksempelet med «samarbeid load-example»." if names == "ingen" else ""
        raise UserError(f"Fant ingen kartlegging «{name}». Finnes: {names}.{hint}")
    return mapping_data(mapping)


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def _short(name: str) -> str:
    """ "Våler (Viken)" -> "Våler": the name without a county qualifier."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", str(name))


def resolve_municipality(data: MappingData, query: str) -> str:
    """The entity of the scope municipality ``query`` names: a number (3819, or 819 for 0819)
    or an exact name, case-insensitive ("Ål" never matches "Våler"). Raises UserError."""
    scope: pd.DataFrame = data.municipalities
    text = query.strip()
    if not text:
        raise UserError("Oppgi en kommune (navn eller nummer).", returncode=2)
    if text.isdigit():
        number = text.zfill(4)
        hits = scope[scope["number"].astype(str) == number]
        if len(hits) == 1:
            return str(hits["entity"].iloc[0])
        raise UserError(
            f"Kommunenummer {number} er ikke blant kommunene i kartleggingen «{data.name}». "
            f"Kommunene er: {_scope_list(scope)}."
        )
    key = _key(text)
    exact = scope[scope["name"].map(_key) == key]
    if not len(exact):
        exact = scope[scope["label"].map(_key) == key]
    if not len(exact):
        exact = scope[scope["name"].map(lambda n: _key(_short(n))) == key]
    if len(exact) == 1:
        return str(exact["entity"].iloc[0])
    if len(exact) > 1:
        options = ", ".join(
            f"{n} ({nr})" for n, nr in zip(exact["name"], exact["number"], strict=True)
        )
        raise UserError(f"«{text}» passer på flere kommuner: {options}. Bruk kommunenummeret.")
    names = [str(n) for n in scope["name"]]
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.7)
    if not close:
        by_key = {_key(n): n for n in names}
        close = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.7)]
    hint = f" Mente du {' eller '.join(f'«{c}»' for c in close)}?" if close else ""
    raise UserError(
        f"Fant ingen kommune «{text}» i kartleggingen «{data.name}».{hint} "
        f"Kommunene er: {_scope_list(scope)}."
    )


def _scope_list(scope: pd.DataFrame) -> str:
    return ", ".join(f"{n} ({nr})" for n, nr in zip(scope["name"], scope["number"], strict=True))


def output_dir(value: str) -> Path:
    """The folder the files go to: created if needed, checked writable before any work."""
    return check_folder(value)
