"""``samarbeid status-mal``: the empty status file (xlsx with a Veiledning sheet, or CSV)."""

from __future__ import annotations

from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import shown, write_atomic
from samarbeid.registry.bootstrap import ensure_database

from ...statusfile.template import FORMATS, template_bytes


class Command(SamarbeidCommand):
    help = (
        "Skriv en tom statusfil for «samarbeid meld-status»: arket Status med kolonnene, og (i "
        "xlsx) arket Veiledning med forklaring, tillatte verdier og løsningene i registeret."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="xlsx", help="xlsx eller csv")
        parser.add_argument(
            "--out", default=None, metavar="FIL", help="Filnavn (standard: status-mal.xlsx/.csv)"
        )

    def handle(self, *args, **options) -> None:
        fmt = options["format"]
        out = Path(options["out"] or f"status-mal.{fmt}")
        if out.exists():
            raise UserError(f"{shown(out)} finnes allerede; velg et annet navn med --out.")
        ensure_database(verbose=False)
        write_atomic(out, template_bytes(fmt))
        self.stdout.write(f"Skrev {shown(out)}")
