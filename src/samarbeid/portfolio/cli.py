"""What the portfolio commands share: finding a body and a plan by name and year, writing."""

from __future__ import annotations

import json
import re
from typing import Any

from samarbeid.commandbase import UserError
from samarbeid.core.outfiles import write_atomic

from .models import ActionPlan, CooperationBody

#: The formats of ``samarbeid organ`` and ``samarbeid avtaler``.
FORMATS = ("md", "json")
#: ``samarbeid handlingsplan`` also writes the plan as a document (HTML, PDF, Word) and as the
#: plan file (xlsx, as ``plan-eksport``).
PLAN_FORMATS = (*FORMATS, "html", "pdf", "docx", "xlsx")
#: Formats that are files, not text: written only with ``--out``.
BINARY_FORMATS = ("pdf", "docx", "xlsx")


def find_body(name: str) -> CooperationBody:
    key = re.sub(r"\s+", " ", name).strip()
    body = CooperationBody.objects.filter(name__iexact=key).first() or (
        CooperationBody.objects.filter(short_name__iexact=key).exclude(short_name="").first()
    )
    if body is None:
        names = ", ".join(CooperationBody.objects.values_list("name", flat=True)) or "ingen"
        hint = " Last inn eksemplene med «samarbeid load-example»." if names == "ingen" else ""
        raise UserError(f"Fant ikke samarbeidsorganet «{name}». Finnes: {names}.{hint}")
    return body


def find_plan(body: CooperationBody, year: int) -> ActionPlan:
    plan = body.plans.filter(year=year).first()
    if plan is None:
        years = ", ".join(str(y) for y in body.plans.values_list("year", flat=True)) or "ingen"
        raise UserError(f"{body.name} har ingen handlingsplan for {year}. Planer: {years}.")
    return plan


def as_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def require_out(fmt: str, out: str | None, stem: str = "handlingsplan") -> None:
    """A binary format cannot go to the screen: refuse it without ``--out`` (a usage error);
    ``stem`` names the example file in the message."""
    if fmt in BINARY_FORMATS and not out:
        raise UserError(
            f"Formatet {fmt} er en fil og kan ikke skrives til skjermen. Oppgi filen med --out, "
            f"f.eks. --out {stem}.{fmt}.",
            returncode=2,
        )


def emit(command, content: str | bytes, out: str | None) -> None:
    """To ``--out FIL`` (written whole or not at all) or, text only, to standard output."""
    if out:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path = write_atomic(out, data)
        command.stderr.write(f"Skrev {path}")
    else:
        if isinstance(content, bytes):
            raise TypeError("a binary format needs --out (see require_out)")
        command.stdout.write(content, ending="")
