from __future__ import annotations

import datetime as dt

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.portfolio.cli import FORMATS, as_json, emit, find_body, find_plan
from samarbeid.portfolio.plan_data import plan_data
from samarbeid.portfolio.render_md import plan_markdown
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "Skriv et samarbeidsorgans handlingsplan for ett år: prosjektene (videreført/nyetablert) "
        "med milepæler og finansiering, og funnene i planen (hull i nummereringen, antall som "
        "ikke stemmer, passerte milepæler uten status)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organ", required=True, help="Navnet på samarbeidsorganet")
        parser.add_argument("--aar", required=True, type=int, help="Planåret, f.eks. 2021")
        parser.add_argument("--format", choices=FORMATS, default="md")
        parser.add_argument("--out", help="Skriv til denne filen i stedet for til skjermen")
        parser.add_argument(
            "--per", help="Milepæler vurderes per denne datoen (ÅÅÅÅ-MM-DD; standard: i dag)"
        )

    def handle(self, *args, **options) -> None:
        as_of = None
        if options["per"]:
            try:
                as_of = dt.date.fromisoformat(options["per"])
            except ValueError:
                raise UserError(
                    f"Ugyldig dato «{options['per']}» i --per. Forventet ÅÅÅÅ-MM-DD.", returncode=2
                ) from None
        ensure_database(verbose=False)
        plan = find_plan(find_body(options["organ"]), options["aar"])
        data = plan_data(plan, as_of)
        text = as_json(data) if options["format"] == "json" else plan_markdown(data)
        emit(self, text, options["out"])
