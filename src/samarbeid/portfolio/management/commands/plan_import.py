from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import shown
from samarbeid.intake.report import print_findings
from samarbeid.portfolio.planfile.importer import write_plan
from samarbeid.portfolio.planfile.reader import read_plan_file
from samarbeid.portfolio.planfile.validate_rows import check_plan
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.rules.findings import FileRejected

#: The history's model names in the summary, in this order.
WORDS = {
    "actionplan": "plan",
    "project": "prosjekter",
    "planproject": "prosjekter i planen",
    "milestone": "milepæler",
    "fundingapplication": "finansieringsrader",
    "participation": "deltakelser",
    "plansection": "avsnitt",
}
ACTIONS = {"ny": ("ny", "nye"), "endret": ("endret", "endret"), "slettet": ("slettet", "slettet")}


def summary(counts: Counter) -> str:
    """«prosjekter: 2 nye, 1 endret; milepæler: 1 slettet» (only what changed)."""
    parts = []
    for model, word in WORDS.items():
        done = []
        for action, (one, many) in ACTIONS.items():
            n = counts[f"{model}.{action}"]
            if n:
                done.append(f"{n} {one if n == 1 else many}")
        if done:
            parts.append(f"{word}: {', '.join(done)}")
    return "; ".join(parts)


class Command(SamarbeidCommand):
    help = (
        "Importer en planfil (xlsx eller json): ett organs handlingsplan for ett år. Alt eller "
        "ingenting: har filen feil, lagres ingenting (avslutter med 1). --kontroller kontrollerer "
        "bare."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Planfilen (.xlsx eller .json)")
        parser.add_argument(
            "--kontroller",
            action="store_true",
            dest="check_only",
            help="Bare kontroller filen; lagre ingenting",
        )
        parser.add_argument(
            "--lang",
            choices=["nb", "en"],
            default="nb",
            help="Språk for meldingene (nb = norsk bokmål, en = English)",
        )

    #: A Ctrl+C stops the import inside its transaction: nothing of it is stored.
    interrupted_message = "avbrutt; ingenting ble lagret."

    def handle(self, *args, **options) -> None:
        lang, path = options["lang"], Path(options["file"])
        ensure_database(verbose=False)
        try:
            book = read_plan_file(path)
        except FileRejected as error:
            raise UserError(error.finding.format(lang), returncode=2) from None
        result = check_plan(book)
        print_findings(result.findings, sys.stdout, lang)
        name = shown(path.name)
        if result.errors:
            self.stderr.write(f"Ingenting ble importert: {len(result.errors)} feil i {name}.")
            sys.exit(1)
        spec = result.spec
        what = f"{spec.body.name} {spec.year}: {len(spec.projects)} prosjekter"
        if options["check_only"]:
            self.stdout.write(f"{name} er i orden ({what}). Ingenting er lagret (--kontroller).")
            return
        plan, counts = write_plan(spec, source=f"Fil: {name}")
        changes = summary(counts)
        self.stdout.write(
            f"{what}, status {plan.status}. "
            + (
                f"Lagret fra {name}: {changes}."
                if changes
                else "Ingen endringer: filen er lik det som er lagret."
            )
        )
