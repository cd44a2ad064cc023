from __future__ import annotations

import sys

from samarbeid.commandbase import SamarbeidCommand
from samarbeid.intake.commands import add_common_arguments, check_path, rejected_error
from samarbeid.intake.reader import display_text
from samarbeid.intake.report import print_findings
from samarbeid.rules.findings import FileRejected


class Command(SamarbeidCommand):
    help = (
        "Kontroller en kartleggingsfil (.xlsx, .csv, .json) uten å lagre noe. Skriver hver feil "
        "med fil, ark, rad og kolonne. Avslutter med 1 når filen har feil, 2 når den ikke kan leses."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Kartleggingsfilen")
        parser.add_argument(
            "--mapping", default=None, help="Kartleggingens navn (ellers fra filen)"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="out_format")
        parser.add_argument(
            "--bare-feil",
            action="store_true",
            dest="errors_only",
            help="Vis bare feil, ikke advarsler",
        )
        add_common_arguments(parser)

    def handle(self, *args, **options) -> None:
        lang = options["lang"]
        try:
            result = check_path(
                options["file"], mapping_name=options["mapping"], cutoff=options["dato"]
            )
        except FileRejected as error:
            if options["out_format"] == "json":
                print_findings([error.finding], sys.stdout, lang, fmt="json")
            raise rejected_error(error, lang) from None
        summary = {
            "file": display_text(options["file"]),  # as typed, made printable
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "arrangements": len(result.spec.arrangements),
            "members": sum(len(a.memberships) for a in result.spec.arrangements),
        }
        print_findings(
            result.findings,
            sys.stdout,
            lang,
            fmt=options["out_format"],
            summary=summary,
            show_warnings=not options["errors_only"],
        )
        if result.errors:
            sys.exit(1)
