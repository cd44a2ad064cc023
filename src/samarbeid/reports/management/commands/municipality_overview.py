from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand, UserError, progress_bar
from samarbeid.core.outfiles import write_atomic
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.reports.build import build_overview
from samarbeid.reports.cli import (
    load_mapping,
    output_dir,
    parse_formats,
    resolve_municipality,
)
from samarbeid.reports.render import render

OVERVIEW_FORMATS = ("html", "pdf", "xlsx", "md", "json")


class Command(SamarbeidCommand):
    help = (
        "Skriv én kommunes oversikt over sine samarbeidsordninger (med andre deltakere, juridisk "
        "form, vertskommune, år og årsverk) til MAPPE/<kartlegging>-oversikt-<nr>-<kommune>.<format>. "
        "Kommunen oppgis med nummer eller eksakt navn; --alle skriver alle kommunene i kartleggingen."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--mapping", default="Buskerud 2021", help="Kartleggingens navn")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--kommune", help="Kommunenavn eller -nummer (f.eks. Hjartdal eller 3819)")
        who.add_argument("--alle", action="store_true", help="Alle kommunene i kartleggingen")
        parser.add_argument(
            "--format",
            action="append",
            dest="formats",
            metavar="FORMAT",
            help="html, pdf eller xlsx (også md, json); gjentas eller kommaliste (standard: html)",
        )
        parser.add_argument(
            "--out", default="oversikter", help="Mappe å skrive til (standard: oversikter)"
        )
        parser.add_argument(
            "--stille", action="store_true", dest="quiet", help="Ingen fremdriftslinje"
        )

    def handle(self, *args, **options) -> None:
        formats = parse_formats(options["formats"], OVERVIEW_FORMATS, default=("html",))
        ensure_database(verbose=False)
        data = load_mapping(options["mapping"])
        if options["alle"]:
            entities = [str(e) for e in data.municipalities["entity"]]
            if not entities:
                raise UserError(f"Kartleggingen «{data.name}» har ingen kommuner i omfanget.")
        else:
            entities = [resolve_municipality(data, options["kommune"])]
        out = output_dir(options["out"])
        show = options["alle"] and not options["quiet"]
        total = len(entities) * len(formats)
        done = 0
        bar = progress_bar(total, "Skriver oversikter") if show else None
        for entity in entities:
            report = build_overview(data, entity)
            for fmt in formats:
                path = out / f"{report.slug}.{fmt}"
                write_atomic(path, render(report, fmt))
                done += 1
                if bar is not None:
                    bar.update()
                else:
                    self.stdout.write(str(path))
        if bar is not None:
            bar.close()
            self.stdout.write(f"{len(entities)} kommuner, {done} filer i {out}")
