from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import write_atomic
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.reports.build import build_comparison
from samarbeid.reports.cli import load_mapping, output_dir, parse_formats
from samarbeid.reports.render import render

COMPARE_FORMATS = ("html", "md", "json", "xlsx", "pdf")


class Command(SamarbeidCommand):
    help = (
        "Sammenlign to kartlegginger: nye, avsluttede og endrede ordninger, kommuner som har gått "
        "inn eller ut. Skriver MAPPE/<fra>-til-<til>-sammenligning.<format>."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--from", dest="source", required=True, help="Den eldre kartleggingen")
        parser.add_argument("--to", dest="target", required=True, help="Den nyere kartleggingen")
        parser.add_argument(
            "--format",
            action="append",
            dest="formats",
            metavar="FORMAT",
            help="html, md, json eller xlsx (også pdf); gjentas eller kommaliste (standard: html)",
        )
        parser.add_argument(
            "--out", default="rapporter", help="Mappe å skrive til (standard: rapporter)"
        )

    def handle(self, *args, **options) -> None:
        formats = parse_formats(options["formats"], COMPARE_FORMATS, default=("html",))
        ensure_database(verbose=False)
        if options["source"] == options["target"]:
            raise UserError("--from og --to er samme kartlegging.", returncode=2)
        a = load_mapping(options["source"])
        b = load_mapping(options["target"])
        out = output_dir(options["out"])
        report = build_comparison(a, b)
        for fmt in formats:
            path = out / f"{report.slug}.{fmt}"
            write_atomic(path, render(report, fmt))
            self.stdout.write(str(path))
