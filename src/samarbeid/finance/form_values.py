"""A stored model as the form's values (editing), and how many rows a posted form had."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .forms import EXEMPTION_ROWS, MAX_ROWS, PART_ROWS
from .models import FeeModel
from .money import exact, plain


def _shown(value: Any) -> str:
    """A stored amount as the form shows it: ``100 000``, ``20,5``; "" for none."""
    if value is None or value == "":
        return ""
    number = plain(exact(value))
    if isinstance(number, int):
        return f"{number:,}".replace(",", " ")
    return str(number).replace(".", ",")


def initial_of(model: FeeModel) -> tuple[dict[str, Any], int, int]:
    """The form's values for ``model``, and how many part and exemption rows it needs."""
    spec = model.spec or {}
    ix = spec.get("indeksering") or {}
    initial: dict[str, Any] = {
        "navn": spec.get("navn", model.name),
        "beskrivelse": spec.get("beskrivelse", ""),
        "prisaar": spec.get("prisaar", ""),
        "budsjett": _shown(spec.get("budsjett")),
        "tak": _shown(spec.get("tak")),
        "gulv": _shown(spec.get("gulv")),
        "indeksering_standard": _shown(ix.get("standard")),
        "indeksering_deflator": "\n".join(
            f"{y}: {_shown(v)}" for y, v in sorted((ix.get("deflator") or {}).items())
        ),
        "indeksering_belop": ix.get("belop", True),
        "indeksering_tak": ix.get("tak", False),
        "indeksering_gulv": ix.get("gulv", False),
        "medlemmer": " ".join(model.assumed_members or []),
        "bruk": "\n".join(
            f"{year} {number} {_shown(value)}"
            for year, row in sorted((spec.get("bruk") or {}).items())
            for number, value in sorted(row.items())
        ),
        "antakelse": model.assumption,
        "versjon": model.version,
    }
    parts = spec.get("deler") or []
    for i, part in enumerate(parts, 1):
        initial[f"del_{i}_type"] = part.get("type", "")
        initial[f"del_{i}_belop"] = _shown(part.get("belop"))
        initial[f"del_{i}_andel"] = _shown(part.get("andel"))
        initial[f"del_{i}_fordeling"] = part.get("fordeling") or ""
    exemptions = spec.get("fritak") or []
    for i, item in enumerate(exemptions, 1):
        initial[f"fritak_{i}_kommunenummer"] = item.get("kommunenummer", "")
        initial[f"fritak_{i}_egenbidrag"] = item.get("egenbidrag", "")
        initial[f"fritak_{i}_verdi"] = _shown(item.get("verdi"))
    return (
        initial,
        max(PART_ROWS, min(MAX_ROWS, len(parts) + 1)),
        max(EXEMPTION_ROWS, min(MAX_ROWS, len(exemptions) + 1)),
    )


def rows_in(data: Mapping, prefix: str, default: int) -> int:
    """How many rows a posted form had (its highest row number), at least ``default``."""
    found = [int(m[1]) for key in data if (m := re.fullmatch(rf"{prefix}_(\d{{1,2}})_\w+", key))]
    return max([default, *(n for n in found if n <= MAX_ROWS)])
