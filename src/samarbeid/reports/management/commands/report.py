from __future__ import annotations

import time

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import write_atomic
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.reports.build import build_report
from samarbeid.reports.cli import load_mapping, output_dir, parse_formats
from samarbeid.reports.render import FORMATS, render


class Command(SamarbeidCommand):
    help = (
        "Skriv kartleggingsrapporten (metodens analyser i kapitler, med hovedfunn, figurer og kart) "
        "som html, pdf, xlsx, md eller json til MAPPE/<kartlegging>-rapport.<format>. Bare "
        "ordninger som telles inngår; under hver tabell står n og hvilke ordninger som mangler data."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--mapping", default="Buskerud 2021", help="Kartleggingens navn")
        parser.add_argument(
            "--format",
            action="append",
            dest="formats",
            metavar="FORMAT",
            help=f"{', '.join(FORMATS)}; gjentas eller kommaliste (standard: html,pdf)",
        )
        parser.add_argument(
            "--out", default="rapporter", help="Mappe å skrive til (standard: rapporter)"
        )
        parser.add_argument(
            "--nye-siden",
            type=int,
            default=2015,
            dest="new_since",
            help="Årstallet for listen over nye ordninger (standard: 2015)",
        )

    def handle(self, *args, **options) -> None:
        formats = parse_formats(options["formats"])
        ensure_database(verbose=False)
        data = load_mapping(options["mapping"])
        if not len(data.municipalities):
            raise UserError(f"Kartleggingen «{data.name}» har ingen kommuner i omfanget.")
        out = output_dir(options["out"])
        started = time.perf_counter()
        report = build_report(data, new_since=options["new_since"])
        for fmt in formats:
            path = out / f"{report.slug}-rapport.{fmt}"
            write_atomic(path, render(report, fmt))
            self.stdout.write(str(path))
        self.stderr.write(
            f"{data.name}: {len(report.tables())} tabeller, {len(data.counted())} ordninger, "
            f"{time.perf_counter() - started:.1f} s."
        )
