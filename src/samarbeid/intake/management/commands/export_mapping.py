from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.cells import CellRefused
from samarbeid.core.outfiles import atomic_target, check_target, shown
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
        out = check_target(options["out"] or default)
        try:
            with atomic_target(out) as partial:
                export_mapping(mapping, options["fmt"], partial)
        except CellRefused as refused:
            raise UserError(f"{shown(out)}: {refused.message()}") from None
        self.stdout.write(f"Skrev {shown(out)}")
