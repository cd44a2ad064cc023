"""``samarbeid manage api_token BRUKER``: the user's API token (made on first use), printed alone
on standard output so a script can capture it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "Skriv ut API-nøkkelen til en bruker (lages første gang). Nøkkelen sendes som "
        "«Authorization: Token NØKKEL» eller «Authorization: Bearer NØKKEL»."
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
        with transaction.atomic():
            if options["slett"]:
                deleted, _ = Token.objects.filter(user=user).delete()
                state = "slettet" if deleted else "hadde ingen"
                self.stderr.write(f"API-nøkkelen til {username}: {state}.")
                return
            if not user.is_active:
                raise UserError(
                    f"Brukeren «{username}» er deaktivert og kan ikke få en API-nøkkel."
                )
            if options["ny"]:
                Token.objects.filter(user=user).delete()
            token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
