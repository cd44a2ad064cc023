from __future__ import annotations

import datetime as dt

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core import markdown as md
from samarbeid.portfolio.agreements import agreement_data, running_out
from samarbeid.portfolio.cli import FORMATS, as_json, emit
from samarbeid.portfolio.models import Agreement
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "List avtalene (samarbeidsavtaler og leverandøravtaler) med parter, varighet, sluttdato, "
        "versjon og det som mangler av lovens minsteinnhold."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--utloper-innen",
            type=int,
            metavar="DAGER",
            help="Bare avtaler som utløper innen så mange dager",
        )
        parser.add_argument("--per", help="Dagen det regnes fra (ÅÅÅÅ-MM-DD; standard: i dag)")
        parser.add_argument("--format", choices=FORMATS, default="md")
        parser.add_argument("--out", help="Skriv til denne filen i stedet for til skjermen")

    def handle(self, *args, **options) -> None:
        today = None
        if options["per"]:
            try:
                today = dt.date.fromisoformat(options["per"])
            except ValueError:
                raise UserError(
                    f"Ugyldig dato «{options['per']}» i --per. Forventet ÅÅÅÅ-MM-DD.", returncode=2
                ) from None
        days = options["utloper_innen"]
        if days is not None and days < 0:
            raise UserError("--utloper-innen må være 0 eller flere dager.", returncode=2)
        ensure_database(verbose=False)
        agreements = Agreement.objects.select_related("body").prefetch_related(
            "versions", "council_decisions"
        )
        if days is not None:
            agreements = running_out(agreements, days, today)
        data = [agreement_data(a, today) for a in agreements]
        text = as_json(data) if options["format"] == "json" else _markdown(data, days)
        emit(self, text, options["out"])


def _markdown(data: list[dict], days: int | None) -> str:
    if not data:
        return "Ingen avtaler" + (f" utløper innen {days} dager.\n" if days is not None else ".\n")
    lines = [
        "| Avtale | Organ | Parter | Fra | Til | Dager igjen | Versjon | Mangler |",
        "|---|---|---|---|---|---:|---|---|",
    ]
    for a in data:
        missing = "; ".join(f"{m['tekst']} ({m['alvor']})" for m in a["mangler"])
        if not a["minsteinnhold_sjekket"]:
            missing = "ikke sjekket (ingen sjekkliste for formen)"
        lines.append(
            f"| {md.cell(a['tittel'])} | {md.cell(a['organ'] or '')} | {md.cell(a['parter'])} | "
            f"{a['fra'] or '–'} | {a['til'] or md.cell(a['varighet_som_oppgitt']) or '–'} | "
            f"{'–' if a['dager_igjen'] is None else a['dager_igjen']} | {md.cell(a['versjon'] or '–')} | "
            f"{md.cell(missing) or 'ingenting'} |"
        )
    return "\n".join(lines) + "\n"
