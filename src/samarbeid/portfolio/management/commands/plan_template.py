from __future__ import annotations

from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import shown, write_atomic
from samarbeid.portfolio.planfile.exporter import template_bytes


class Command(SamarbeidCommand):
    help = (
        "Skriv en tom planfil (xlsx) med alle ark og kolonner, og en veiledning med forklaring, "
        "tillatte verdier og eksempler."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--out", default=None, help="Filnavn (standard: handlingsplan-mal.xlsx)"
        )

    def handle(self, *args, **options) -> None:
        out = Path(options["out"] or "handlingsplan-mal.xlsx")
        if out.exists():
            raise UserError(f"{shown(out)} finnes allerede; velg et annet navn med --out.")
        write_atomic(out, template_bytes())
        self.stdout.write(f"Skrev {shown(out)}")
