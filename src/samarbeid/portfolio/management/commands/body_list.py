from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand
from samarbeid.portfolio.cli import FORMATS, as_json, emit, find_body
from samarbeid.portfolio.models import CooperationBody
from samarbeid.portfolio.plan_data import body_data
from samarbeid.portfolio.render_md import body_markdown
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "List samarbeidsorganene, eller vis ett organ (--organ): medlemmer, styringsorganer med "
        "vedtak, satsingsområder, nettverk og handlingsplaner."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organ", help="Navnet på samarbeidsorganet")
        parser.add_argument("--format", choices=FORMATS, default="md")
        parser.add_argument("--out", help="Skriv til denne filen i stedet for til skjermen")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        if options["organ"]:
            data = body_data(find_body(options["organ"]))
            text = as_json(data) if options["format"] == "json" else body_markdown(data)
        else:
            bodies = [body_data(b) for b in CooperationBody.objects.all()]
            if options["format"] == "json":
                text = as_json(bodies)
            else:
                text = (
                    "".join(
                        f"{b['navn']}: {len(b['medlemmer'])} navngitte medlemmer"
                        f"{_stated(b)}, {len(b['styringsorganer'])} styringsorganer, "
                        f"{len(b['nettverk'])} nettverk, handlingsplaner "
                        f"{', '.join(map(str, b['handlingsplaner'])) or 'ingen'}\n"
                        for b in bodies
                    )
                    or "Ingen samarbeidsorganer i registeret.\n"
                )
        emit(self, text, options["out"])


def _stated(body: dict) -> str:
    stated = body["oppgitt_antall_medlemmer"]
    return "" if stated is None else f" (av {stated} ifølge kilden)"
