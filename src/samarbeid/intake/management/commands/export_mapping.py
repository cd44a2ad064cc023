from __future__ import annotations

from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.cells import CellRefused
from samarbeid.intake.exporter import export_mapping
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping


class Command(SamarbeidCommand):
    help = "Eksporter en kartlegging til en fil som kan importeres tilbake uten tap."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--mapping", required=True, help="Kartleggingens navn")
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx", dest="fmt")
        parser.add_argument("--out", default=None, help="Filnavn (standard: NAVN.FORMAT)")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        mapping = Mapping.objects.filter(name=options["mapping"]).first()
        if mapping is None:
            names = ", ".join(Mapping.objects.values_list("name", flat=True)) or "ingen"
            raise UserError(f"Fant ingen kartlegging «{options['mapping']}». Finnes: {names}.")
        default = options["mapping"].lower().replace(" ", "-") + "." + options["fmt"]
        out = Path(options["out"] or default)
        if out.parent and not out.parent.exists():
            raise UserError(f"Mappen {out.parent} finnes ikke.")
        try:
            export_mapping(mapping, options["fmt"], out)
        except CellRefused as refused:
            raise UserError(f"{out}: {refused.message()}") from None
        self.stdout.write(f"Skrev {out}")
