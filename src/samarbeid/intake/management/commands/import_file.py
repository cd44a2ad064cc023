from __future__ import annotations

import sys
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from samarbeid.commandbase import SamarbeidCommand, UserError, progress_bar
from samarbeid.core.outfiles import OutputRefused, check_target, shown
from samarbeid.intake.commands import add_common_arguments, check_path
from samarbeid.intake.importer import log_run, write_mapping
from samarbeid.intake.models import ImportRun
from samarbeid.intake.rejected import write_rejected
from samarbeid.intake.report import print_findings
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping
from samarbeid.rules.findings import FileRejected


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

    #: A Ctrl+C stops the import inside its transaction: nothing of it is stored.
    interrupted_message = "avbrutt; ingenting ble lagret."

    def handle(self, *args, **options) -> None:
        lang, path, name = options["lang"], Path(options["file"]), options["mapping"]
        ensure_database()
        started = timezone.now()
        run = _Run(path, name, started)
        try:
            self._import(run, options)
        except OutputRefused as error:
            if not run.logged:
                run.log(ImportRun.Outcome.REJECTED, message=error.message(lang))
            raise UserError(error.message(lang), returncode=2) from None
        except (UserError, SystemExit) as error:
            if not run.logged:
                run.log(ImportRun.Outcome.REJECTED, message=str(error))
            raise
        except BaseException as error:
            # A bug or an interruption: the transaction has rolled back, and the log says so.
            if not run.logged:
                run.log(
                    ImportRun.Outcome.FAILED,
                    message=f"{type(error).__name__}: {error}. Ingenting ble lagret.",
                )
            if isinstance(error, Exception) and not options.get("traceback"):
                raise UserError(
                    f"intern feil ({type(error).__name__}: {str(error)[:300]}). Ingenting ble "
                    "lagret; kjøringen står i importloggen. Kjør igjen med --traceback og meld "
                    "feilen.",
                    returncode=70,
                ) from None
            raise

    def _import(self, run: _Run, options: dict) -> None:
        lang, path = options["lang"], run.path
        rejected_path = None
        if options["skip_invalid"]:
            # Checked before anything is read or stored: a rejected-rows file that cannot be
            # written must not be found out after the registry has changed.
            rejected_path = check_target(options["rejected"] or f"{path}.avvist.csv")
        try:
            result = check_path(str(path), mapping_name=run.name, cutoff=options["dato"])
        except FileRejected as error:
            run.log(ImportRun.Outcome.REJECTED, message=error.finding.format(lang))
            raise UserError(error.finding.format(lang), returncode=2) from None
        run.result = result
        errors = result.errors
        if errors and (not options["skip_invalid"] or result.file_errors):
            print_findings(result.findings, sys.stdout, lang)
            message = f"Ingenting ble importert: {len(errors)} feil i {shown(path.name)}. " + (
                "Feil i kartleggingen eller omfanget kan ikke hoppes over."
                if result.file_errors and options["skip_invalid"]
                else "Rett feilene, eller bruk --skip-invalid."
            )
            run.log(ImportRun.Outcome.REJECTED, message=message)
            self.stderr.write(message)
            sys.exit(1)
        name = run.name = result.spec.name
        existing = Mapping.objects.filter(name=name).first()
        if existing is not None and existing.frozen:
            run.log(ImportRun.Outcome.REJECTED, message="frosset")
            raise UserError(f"Kartleggingen «{name}» er frosset og kan ikke endres.", returncode=1)
        many = len(result.spec.arrangements)
        bar = None if options["quiet"] or many < 500 else progress_bar(many, "Importerer")
        with transaction.atomic():
            mapping, counts = write_mapping(
                result.spec,
                skip_invalid=options["skip_invalid"],
                progress=(lambda done, _total: bar.update(done - bar.n)) if bar else None,
                source=f"Import av {shown(path.name)}",
            )
            if bar is not None:
                bar.close()
            if counts["ordninger_avvist"]:
                # Inside the transaction: if the file cannot be written, nothing is stored.
                write_rejected(result, rejected_path, lang)
            else:
                rejected_path = None
        changed = counts["ordninger_ny"] + counts["ordninger_endret"] + counts["kartlegging_endret"]
        outcome = (
            ImportRun.Outcome.PARTIAL
            if counts["ordninger_avvist"]
            else ImportRun.Outcome.IMPORTED
            if changed
            else ImportRun.Outcome.UNCHANGED
        )
        run.log(outcome, counts=counts)
        if result.warnings:
            self.stdout.write(
                f"{len(result.warnings)} advarsler (se «samarbeid check {shown(path)}»)."
            )
        self.stdout.write(
            f"{mapping.name}: {counts['ordninger_ny']} nye, {counts['ordninger_endret']} endrede, "
            f"{counts['ordninger_uendret']} uendrede ordninger; {counts['deltakere']} deltakelser; "
            f"{counts['kommuner_i_omfang']} kommuner i omfanget."
            + (
                f" {counts['ordninger_avvist']} ordninger avvist, se {shown(rejected_path)}."
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


class _Run:
    """One import run and its entry in the import log (written exactly once)."""

    def __init__(self, path: Path, name: str, started) -> None:
        self.path = path
        self.name = name
        self.started = started
        self.result = None
        self.logged = False

    def log(self, outcome: str, *, message: str = "", counts: dict | None = None) -> None:
        log_run(self.path, self.name, self.started, outcome, self.result, counts, message)
        self.logged = True
