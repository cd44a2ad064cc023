from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand
from samarbeid.intake.models import ImportRun
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping


class Command(SamarbeidCommand):
    help = "List kartleggingene i registeret og de siste importene."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--importer", type=int, default=10, help="Antall importer å vise")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        for mapping in Mapping.objects.all():
            self.stdout.write(
                f"{mapping.name}: {mapping.arrangements.count()} ordninger, dato "
                f"{mapping.cutoff_date}, status «{mapping.get_status_display()}»"
            )
        self.stdout.write("\nSiste importer:")
        for run in ImportRun.objects.all()[: options["importer"]]:
            self.stdout.write(
                f"  {run.started:%Y-%m-%d %H:%M:%S} {run.user or '?'} {run.file_name} → "
                f"{run.mapping_name}: {run.outcome}, {run.errors} feil, sha256 "
                f"{run.file_sha256[:12]}, {run.counts}"
            )
