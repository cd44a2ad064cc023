from __future__ import annotations

import datetime as dt

from django.utils import timezone

from samarbeid.adoption import progress, table
from samarbeid.adoption.models import Solution
from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import check_target
from samarbeid.portfolio.cli import as_json, emit
from samarbeid.registry.bootstrap import ensure_database

FORMATS = ("md", "json", "xlsx")


def parse_day(text: str | None) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"Ugyldig dato «{text}» i --dato. Forventet ÅÅÅÅ-MM-DD, f.eks. 2023-04-30.",
            returncode=2,
        ) from None


def find_solution(name: str) -> Solution:
    found = Solution.objects.filter(name__iexact=name.strip()).first()
    if found is None:
        names = ", ".join(Solution.objects.values_list("name", flat=True)) or "ingen"
        hint = " Last inn eksemplene med «samarbeid load-example»." if names == "ingen" else ""
        raise UserError(f"Fant ikke løsningen «{name}». Finnes: {names}.{hint}")
    return found


class Command(SamarbeidCommand):
    help = (
        "Utbredelsen av fellesløsningene per en dato: per løsning innsatsområdet, tallet kilden "
        "rapporterer, tallet fra kommunenes egne registreringer og differansen, hvor mange som har "
        "tilgjengeliggjort og tatt i bruk, ambisjonen og andelen, og kommunene bak hvert tall. "
        "Nasjonalt, eller per fylke, samarbeidsorgan eller region."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--losning", help="Bare denne løsningen (navnet, f.eks. Kjernejournal)")
        parser.add_argument("--per", choices=progress.GROUPINGS, help="Del opp per gruppe")
        parser.add_argument("--dato", help="Status per denne datoen (ÅÅÅÅ-MM-DD; standard: i dag)")
        parser.add_argument("--format", choices=FORMATS, default="md", help="Standard: md")
        parser.add_argument("--out", help="Skriv til denne filen (påkrevd for xlsx)")

    def handle(self, *args, **options) -> None:
        fmt, out = options["format"], options["out"]
        if fmt == "xlsx" and not out:
            raise UserError(
                "Formatet xlsx er en fil og kan ikke skrives til skjermen. Oppgi filen med --out, "
                "f.eks. --out utbredelse.xlsx.",
                returncode=2,
            )
        if out:
            check_target(out)
        day = parse_day(options["dato"])
        ensure_database(verbose=False)
        solutions = [find_solution(options["losning"])] if options["losning"] else None
        data = progress.adoption_table(day, solutions, options["per"])
        if fmt == "json":
            emit(self, as_json(data), out)
        elif fmt == "xlsx":
            emit(self, table.workbook(data), out)
        else:
            emit(self, table.markdown(data), out)
