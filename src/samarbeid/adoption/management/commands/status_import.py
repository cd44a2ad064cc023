"""``samarbeid meld-status FIL --bruker BRUKERNAVN``: report adoption status in bulk from a CSV or
xlsx file (:mod:`samarbeid.adoption.statusfile`), as that user, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.i18n import translate
from samarbeid.core.outfiles import shown
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.rules.findings import FileRejected

from ... import services
from ...statusfile.importer import NOTHING_SAVED, Outcome, record
from ...statusfile.reader import read_status_file
from ...statusfile.validate import check_status


class Command(SamarbeidCommand):
    help = (
        "Meld status for fellesløsninger fra en fil (CSV eller xlsx, se «samarbeid status-mal»): "
        "én rad per kommune, løsning og dato, som brukeren --bruker. Alt eller ingenting: har "
        "filen en feil, lagres ingenting (avslutter med 1; 2 når filen ikke kan leses). "
        "--kontroller kontrollerer bare."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", metavar="FIL", help="Statusfilen (.csv eller .xlsx)")
        parser.add_argument(
            "--bruker",
            required=True,
            metavar="BRUKERNAVN",
            help="Brukeren som melder: må ha rett til å melde for hver rads kommune",
        )
        parser.add_argument(
            "--kontroller",
            action="store_true",
            dest="check_only",
            help="Bare kontroller filen; lagre ingenting",
        )
        parser.add_argument(
            "--kilde",
            default="",
            metavar="TEKST",
            help="Kilden for alle rader som ikke har sin egen (kolonnen kilde)",
        )
        parser.add_argument(
            "--lang",
            choices=["nb", "en"],
            default="nb",
            help="Språk for meldingene (nb = norsk bokmål, en = English)",
        )

    #: A Ctrl+C stops the recording inside its transaction: nothing of it is stored.
    interrupted_message = "avbrutt; ingenting ble lagret."

    def handle(self, *args, **options) -> None:
        lang, path = options["lang"], Path(options["file"])
        nothing = translate(NOTHING_SAVED, lang)
        ensure_database(verbose=False)
        username = options["bruker"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not user.is_active:
            raise UserError(
                f"Fant ingen aktiv bruker «{shown(username)}». Opprett den med «samarbeid rolle "
                f"{shown(username)} --opprett». {nothing}",
                returncode=2,
            )
        try:
            book = read_status_file(path)
        except FileRejected as error:
            raise UserError(f"{error.finding.format(lang)}\n{nothing}", returncode=2) from None
        check = check_status(book, user=user, source=options["kilde"])
        for finding in check.findings:
            self.stderr.write(finding.format(lang))
        name = shown(path.name)
        if check.errors:
            self.stderr.write(f"{len(check.errors)} feil i {name}. {nothing}")
            sys.exit(1)
        outcome = Outcome(check)
        if options["check_only"]:
            self.stdout.write(
                f"{name} er i orden: {outcome.summary(lang)}. Ingenting er lagret (--kontroller)."
            )
            return
        try:
            outcome.written = record(check, user)
        except services.EditForbidden as refused:
            raise UserError(f"{refused.message} {nothing}", returncode=1) from None
        self.stdout.write(f"{name}: {outcome.summary(lang)}.")
