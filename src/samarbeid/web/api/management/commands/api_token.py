"""``samarbeid api-token BRUKER``: make the user's API key and print it, alone on standard output so
a script can capture it. The registry keeps only its SHA-256 digest: the key is shown this once."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.web.api import keys
from samarbeid.web.api.models import ApiKey


class Command(SamarbeidCommand):
    help = (
        "Lag API-nøkkelen til en bruker og skriv den ut (den vises bare denne ene gangen; "
        "registeret lagrer bare en SHA-256-sum). Nøkkelen sendes som «Authorization: Token "
        "NØKKEL» eller «Authorization: Bearer NØKKEL»."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("user", metavar="BRUKER", help="Brukernavnet")
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--ny", action="store_true", help="Lag en ny nøkkel; den gamle slutter å virke"
        )
        action.add_argument(
            "--slett", action="store_true", help="Slett nøkkelen; brukeren kan ikke bruke API-et"
        )

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        username = options["user"]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise UserError(f"Fant ingen bruker «{username}».")
        if options["slett"]:
            state = "slettet" if keys.revoke(user) else "hadde ingen"
            self.stderr.write(f"API-nøkkelen til {username}: {state}.")
            return
        if not user.is_active:
            raise UserError(f"Brukeren «{username}» er deaktivert og kan ikke få en API-nøkkel.")
        existing = ApiKey.objects.filter(user=user).first()
        if existing is not None and not options["ny"]:
            raise UserError(
                f"Brukeren «{username}» har allerede en API-nøkkel (laget "
                f"{existing.created:%Y-%m-%d %H:%M}, begynner med «{existing.prefix}»). Den kan "
                "ikke vises igjen; «--ny» lager en ny og gjør den gamle ugyldig."
            )
        self.stdout.write(keys.issue(user))
