from __future__ import annotations

from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.intake.writers import write_template


class Command(SamarbeidCommand):
    help = "Skriv en tom kartleggingsfil med alle ark og kolonner (og en veiledning i xlsx)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx", dest="fmt")
        parser.add_argument(
            "--out", default=None, help="Filnavn (standard: kartlegging-mal.FORMAT)"
        )

    def handle(self, *args, **options) -> None:
        out = Path(options["out"] or f"kartlegging-mal.{options['fmt']}")
        if out.exists():
            raise UserError(f"{out} finnes allerede; velg et annet navn med --out.")
        write_template(out, options["fmt"])
        self.stdout.write(f"Skrev {out}")
