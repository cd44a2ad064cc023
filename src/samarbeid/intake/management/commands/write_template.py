from __future__ import annotations

from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import atomic_target, shown
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
            raise UserError(f"{shown(out)} finnes allerede; velg et annet navn med --out.")
        with atomic_target(out) as partial:
            write_template(partial, options["fmt"])
        self.stdout.write(f"Skrev {shown(out)}")
