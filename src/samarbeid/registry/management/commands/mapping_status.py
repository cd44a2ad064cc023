"""``samarbeid status``: show or change a mapping's lifecycle status (draft, verification, frozen)."""

from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.registry import lifecycle
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping


class Command(SamarbeidCommand):
    help = (
        "Vis eller endre statusen til en kartlegging: utkast (bare for brukere med rolle), "
        "kontroll (offentlig, kontrollrunder) eller frosset (offentlig, skrivebeskyttet)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("kartlegging", help="Kartleggingens navn")
        parser.add_argument(
            "--sett",
            choices=Mapping.Status.values,
            help="Ny status (uten: vis status og historikk)",
        )
        parser.add_argument(
            "--kilde", default="", help="Begrunnelse eller kilde (påkrevd med --sett)"
        )

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        name = options["kartlegging"]
        mapping = Mapping.objects.filter(name=name).first()
        if mapping is None:
            known = ", ".join(f"«{n}»" for n in Mapping.objects.values_list("name", flat=True))
            raise UserError(f"Fant ingen kartlegging «{name}». Kartlegginger: {known or 'ingen'}.")
        if options["sett"]:
            try:
                lifecycle.set_status(
                    mapping, options["sett"], user=None, source=options["kilde"], command="status"
                )
            except lifecycle.LifecycleError as error:
                raise UserError(str(error)) from None
            self.stdout.write(f"{mapping.name}: status nå «{mapping.get_status_display()}».")
            return
        self.stdout.write(f"{mapping.name}: status «{mapping.get_status_display()}».")
        for change in mapping.status_changes.all():
            self.stdout.write(
                f"  {change.at:%Y-%m-%d %H:%M} {change.user_name or '?'}: "
                f"{lifecycle.label(change.before)} → {lifecycle.label(change.after)} ({change.source})"
            )
