from __future__ import annotations

import re

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.cells import EXCEL_MAX_CHARS, CellRefused
from samarbeid.core.outfiles import atomic_target, check_target, shown
from samarbeid.portfolio.cli import find_body, find_plan
from samarbeid.portfolio.planfile.exporter import export_plan
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "Eksporter et samarbeidsorgans handlingsplan for ett år som planfil (xlsx eller json), "
        "som kan rettes og importeres igjen med «samarbeid plan-import»."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organ", required=True, help="Navnet på samarbeidsorganet")
        parser.add_argument("--aar", required=True, type=int, help="Planåret, f.eks. 2021")
        parser.add_argument("--format", choices=["xlsx", "json"], default="xlsx", dest="fmt")
        parser.add_argument(
            "--out", default=None, help="Filnavn (standard: handlingsplan-ORGAN-ÅR.FORMAT)"
        )

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        plan = find_plan(find_body(options["organ"]), options["aar"])
        slug = re.sub(r"[^a-z0-9æøå]+", "-", plan.body.name.lower()).strip("-") or "organ"
        out = check_target(options["out"] or f"handlingsplan-{slug}-{plan.year}.{options['fmt']}")
        try:
            with atomic_target(out) as partial:
                export_plan(plan, options["fmt"], partial)
        except CellRefused as refused:
            raise UserError(f"{shown(out)}: {_why(refused)}", returncode=2) from None
        self.stdout.write(f"Skrev {shown(out)}")


def _why(refused: CellRefused) -> str:
    """The cell a workbook cannot hold, and the way out for a plan (json; there is no csv)."""
    where = f"ark {refused.sheet}, celle {refused.cell}"
    if refused.code == "too_long":
        what = (
            f"teksten har {refused.length} tegn, men en celle i Excel rommer høyst "
            f"{EXCEL_MAX_CHARS}"
        )
    else:
        what = f"teksten har kontrolltegnet U+{ord(refused.char or '?'):04X}, som en xlsx-fil ikke kan inneholde"
    return f"{where}: {what}. Filen ble ikke skrevet; bruk --format json, som ikke har noen grense."
