from __future__ import annotations

import datetime as dt

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import check_target
from samarbeid.portfolio import services
from samarbeid.portfolio.cli import (
    PLAN_FORMATS,
    as_json,
    emit,
    find_body,
    find_plan,
    require_out,
)
from samarbeid.portfolio.plan_data import plan_data
from samarbeid.portfolio.planfile.exporter import plan_tables, xlsx_bytes
from samarbeid.portfolio.render_doc import plan_docx, plan_html, plan_pdf
from samarbeid.portfolio.render_md import plan_markdown
from samarbeid.registry.bootstrap import ensure_database

#: Each format from the plan's data: text (md, json, html) or the bytes of a file (pdf, docx).
RENDER = {
    "md": plan_markdown,
    "json": as_json,
    "html": plan_html,
    "pdf": plan_pdf,
    "docx": plan_docx,
}


class Command(SamarbeidCommand):
    help = (
        "Skriv et samarbeidsorgans handlingsplan for ett år: prosjektene (videreført/nyetablert) "
        "med milepæler og finansiering, og funnene i planen (hull i nummereringen, antall som "
        "ikke stemmer, passerte milepæler uten status). Som md, json, html, eller som dokument "
        "til politisk behandling i pdf eller docx (Word), eller som planfil i xlsx (samme fil som "
        "plan-eksport; pdf, docx og xlsx krever --out)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organ", required=True, help="Navnet på samarbeidsorganet")
        parser.add_argument(
            "--aar", type=int, help="Planåret, f.eks. 2021 (med --ny-fra: standard året etter)"
        )
        parser.add_argument(
            "--ny-fra",
            type=int,
            metavar="ÅR",
            help="Lag først et utkast for --aar (standard: året etter) fra planen for dette året: "
            "prosjektene som ikke er avsluttet eller avlyst, blir med som videreført",
        )
        parser.add_argument(
            "--kilde", help="Med --ny-fra: kilden for endringen (standard: kommandoen selv)"
        )
        parser.add_argument(
            "--format",
            choices=PLAN_FORMATS,
            default="md",
            help="Standard: md; pdf, docx og xlsx krever --out",
        )
        parser.add_argument("--out", help="Skriv til denne filen i stedet for til skjermen")
        parser.add_argument(
            "--per", help="Milepæler vurderes per denne datoen (ÅÅÅÅ-MM-DD; standard: i dag)"
        )

    def handle(self, *args, **options) -> None:
        require_out(options["format"], options["out"])
        if options["out"]:
            check_target(options["out"])
        as_of = None
        if options["per"]:
            try:
                as_of = dt.date.fromisoformat(options["per"])
            except ValueError:
                raise UserError(
                    f"Ugyldig dato «{options['per']}» i --per. Forventet ÅÅÅÅ-MM-DD.", returncode=2
                ) from None
        year, source_year = options["aar"], options["ny_fra"]
        if year is None and source_year is None:
            raise UserError("Oppgi planåret med --aar (eller --ny-fra ÅR).", returncode=2)
        ensure_database(verbose=False)
        body = find_body(options["organ"])
        if source_year is not None:
            year = year or source_year + 1
            self._roll_over(find_plan(body, source_year), year, options["kilde"])
        plan = find_plan(body, year)
        if options["format"] == "xlsx":
            # The plan file (docs/planfil.md): what plan-eksport writes, and plan-import reads.
            emit(self, xlsx_bytes(plan_tables(plan)), options["out"])
            return
        data = plan_data(plan, as_of)
        emit(self, RENDER[options["format"]](data), options["out"])

    def _roll_over(self, previous, year: int, source: str | None) -> None:
        source = source or f"samarbeid handlingsplan --ny-fra {previous.year} (kommandolinjen)"
        try:
            new = services.roll_over(previous, year=year, source=source, operator=True)
        except services.EditRejected as rejected:
            raise UserError(" ".join(p.message for p in rejected.problems)) from None
        self.stderr.write(
            f"Laget utkast til {new.title} fra planen for {previous.year} "
            f"({new.entries.count()} prosjekter videreført)."
        )
