from __future__ import annotations

from importlib import resources

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.intake.importer import log_run, write_mapping
from samarbeid.intake.models import ImportRun
from samarbeid.intake.reader import read_workbook
from samarbeid.registry import lifecycle
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping
from samarbeid.rules.validate import Validator

EXAMPLES = {"Buskerud 2021": "buskerud2021.csv"}


class Command(SamarbeidCommand):
    help = (
        "Last inn de medfølgende eksemplene i databasen: kartleggingen Buskerud 2021 og "
        "samarbeidsorganene fra kildedokumentene (Grenlandssamarbeidet 2021); oppretter "
        "databasen ved behov. Kan kjøres flere ganger uten å endre noe."
    )

    def handle(self, *args, **options) -> None:
        from django.utils import timezone

        ensure_database()
        for name, filename in EXAMPLES.items():
            started = timezone.now()
            with resources.as_file(
                resources.files("samarbeid.examples").joinpath(filename)
            ) as path:
                result = Validator(read_workbook(path), mapping_name=name).run()
                if result.errors:
                    raise UserError(
                        f"Eksempelet {filename} har {len(result.errors)} feil: "
                        f"{result.errors[0].format()}"
                    )
                mapping, counts = write_mapping(result.spec, source=f"Eksempelet {filename}")
                changed = (
                    counts["ordninger_ny"]
                    + counts["ordninger_endret"]
                    + counts["kartlegging_endret"]
                )
                log_run(
                    path,
                    name,
                    started,
                    ImportRun.Outcome.IMPORTED if changed else ImportRun.Outcome.UNCHANGED,
                    result,
                    counts=counts,
                )
            if mapping.status == Mapping.Status.DRAFT:
                # The example is a published report: public, open for verification rounds.
                lifecycle.set_status(
                    mapping,
                    Mapping.Status.VERIFICATION,
                    user=None,
                    source=f"Eksempelet {filename} er en publisert kartlegging",
                    command="load-example",
                )
            state = "lastet inn" if changed else "allerede lastet inn (uendret)"
            self.stdout.write(
                f"{mapping.name}: {mapping.arrangements.count()} ordninger, "
                f"{counts['deltakere']} deltakelser, {counts['kommuner_i_omfang']} kommuner "
                f"— {state}; status «{mapping.get_status_display()}»."
            )
        # The areas above intake (portfolio …) load their own examples: an app whose config has
        # load_examples(write) is called, so this command needs to know none of them.
        from django.apps import apps

        for config in apps.get_app_configs():
            load = getattr(config, "load_examples", None)
            if load is not None:
                load(self.stdout.write)
