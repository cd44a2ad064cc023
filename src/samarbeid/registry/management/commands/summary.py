from __future__ import annotations

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping
from samarbeid.registry.summary import municipality_summary


class Command(SamarbeidCommand):
    help = (
        "Skriv ut en tabell per kommune i kartleggingen: antall ordninger kommunen deltar i, hvor "
        "mange den er vertskommune for, og hvor mange den betjenes av en annen vertskommune i. "
        "Bare ordninger som telles (nivi-metoden), ikke avsluttede eller utelatte."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--mapping", default="Buskerud 2021", help="Kartleggingens navn")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        mapping = Mapping.objects.filter(name=options["mapping"]).first()
        if mapping is None:
            names = ", ".join(Mapping.objects.values_list("name", flat=True)) or "ingen"
            raise UserError(f"Fant ingen kartlegging «{options['mapping']}». Finnes: {names}.")
        table = municipality_summary(mapping)
        header = f"{'Nr':<5} {'Kommune':<16} {'Region':<26} {'Ordninger':>9} {'Vert for':>9} {'Betjent av andre':>17}"
        self.stdout.write(
            f"{mapping.title or mapping.name} (per {mapping.cutoff_date:%d.%m.%Y}); "
            f"{table.counted} ordninger telles, {table.not_counted} avsluttede/utelatte telles ikke."
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in table.rows:
            self.stdout.write(
                f"{row.number:<5} {row.name:<16} {row.region[:26]:<26} {row.arrangements:>9} "
                f"{row.hosted:>9} {row.served_by_others:>17}"
            )
        self.stdout.write("-" * len(header))
        self.stdout.write(
            f"Vertskommune er kjent for {table.with_known_host} av {table.counted} ordninger; "
            "for resten er «vert for» og «betjent av andre» ukjent, ikke null."
        )
