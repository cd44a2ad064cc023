from __future__ import annotations

import sys
from pathlib import Path

from django.utils import timezone

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.intake.commands import add_common_arguments, check_path
from samarbeid.intake.findings import FileRejected
from samarbeid.intake.importer import log_run, write_mapping
from samarbeid.intake.models import ImportRun
from samarbeid.intake.rejected import write_rejected
from samarbeid.intake.report import print_findings
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping


class Command(SamarbeidCommand):
    help = (
        "Importer en kartleggingsfil. Alt eller ingenting: har filen feil, lagres ingenting "
        "(avslutter med 1). --skip-invalid importerer de gyldige ordningene og skriver de avviste "
        "med begrunnelse til en egen fil."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Kartleggingsfilen")
        parser.add_argument("--mapping", required=True, help="Kartleggingens navn i registeret")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Importer gyldige ordninger; skriv de avviste til --rejected",
        )
        parser.add_argument(
            "--rejected", default=None, help="Fil for avviste rader (standard: FIL.avvist.csv)"
        )
        parser.add_argument(
            "--stille", action="store_true", dest="quiet", help="Ingen fremdriftslinje"
        )
        add_common_arguments(parser)

    def handle(self, *args, **options) -> None:
        lang, path, name = options["lang"], Path(options["file"]), options["mapping"]
        ensure_database()
        started = timezone.now()
        try:
            result = check_path(str(path), mapping_name=name, cutoff=options["dato"])
        except FileRejected as error:
            log_run(
                path,
                name,
                started,
                ImportRun.Outcome.REJECTED,
                None,
                message=error.finding.format(lang),
            )
            raise UserError(error.finding.format(lang), returncode=2) from None
        existing = Mapping.objects.filter(name=name).first()
        if existing is not None and existing.frozen:
            log_run(path, name, started, ImportRun.Outcome.REJECTED, result, message="frosset")
            raise UserError(f"Kartleggingen «{name}» er frosset og kan ikke endres.", returncode=1)
        errors = result.errors
        if errors and (not options["skip_invalid"] or result.file_errors):
            print_findings(result.findings, sys.stdout, lang)
            message = f"Ingenting ble importert: {len(errors)} feil i {path.name}. " + (
                "Feil i kartleggingen eller omfanget kan ikke hoppes over."
                if result.file_errors and options["skip_invalid"]
                else "Rett feilene, eller bruk --skip-invalid."
            )
            log_run(path, name, started, ImportRun.Outcome.REJECTED, result, message=message)
            self.stderr.write(message)
            sys.exit(1)
        progress = None if options["quiet"] or len(result.spec.arrangements) < 500 else _progress
        mapping, counts = write_mapping(
            result.spec,
            skip_invalid=options["skip_invalid"],
            progress=progress,
            source=f"Import av {path.name}",
        )
        if progress:
            sys.stderr.write("\n")
        rejected_path = None
        if counts["ordninger_avvist"]:
            rejected_path = Path(options["rejected"] or f"{path}.avvist.csv")
            write_rejected(result, rejected_path, lang)
        changed = counts["ordninger_ny"] + counts["ordninger_endret"] + counts["kartlegging_endret"]
        outcome = (
            ImportRun.Outcome.PARTIAL
            if counts["ordninger_avvist"]
            else ImportRun.Outcome.IMPORTED
            if changed
            else ImportRun.Outcome.UNCHANGED
        )
        log_run(path, name, started, outcome, result, counts=counts)
        if result.warnings:
            self.stdout.write(f"{len(result.warnings)} advarsler (se «samarbeid check {path}»).")
        self.stdout.write(
            f"{mapping.name}: {counts['ordninger_ny']} nye, {counts['ordninger_endret']} endrede, "
            f"{counts['ordninger_uendret']} uendrede ordninger; {counts['deltakere']} deltakelser; "
            f"{counts['kommuner_i_omfang']} kommuner i omfanget."
            + (
                f" {counts['ordninger_avvist']} ordninger avvist, se {rejected_path}."
                if rejected_path
                else ""
            )
            + (
                f" {counts['ordninger_ikke_i_filen']} ordninger i registeret finnes ikke i filen og er "
                "beholdt."
                if counts["ordninger_ikke_i_filen"]
                else ""
            )
        )


def _progress(done: int, total: int) -> None:
    if done == total or done % 250 == 0:
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\rImporterer [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
