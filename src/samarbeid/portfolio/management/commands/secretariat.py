"""``samarbeid sekretariat``: give or take away a user's secretariat role for a body (the
portfolio's own role; the registry's roles are ``samarbeid rolle``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.portfolio.cli import find_body
from samarbeid.portfolio.models import BodyRole
from samarbeid.portfolio.rules import grant_secretariat
from samarbeid.registry import permissions
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "Gi en bruker rollen sekretariat for et samarbeidsorgan (redigerer alt i organet: planer, "
        "prosjekter, finansiering, medlemmer, avtaler); --fjern tar rollen bort."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("user", metavar="BRUKER", help="Brukernavnet")
        parser.add_argument("--organ", required=True, help="Navnet på samarbeidsorganet")
        parser.add_argument("--fjern", action="store_true", help="Ta rollen bort")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise UserError(
                f"Fant ingen bruker «{options['user']}». Opprett den med "
                f"«samarbeid rolle {options['user']} --opprett» eller «samarbeid manage "
                "createsuperuser»."
            )
        body = find_body(options["organ"])
        if options["fjern"]:
            BodyRole.objects.filter(user=user, body=body).delete()
        else:
            grant_secretariat(user, body)
        labels = ", ".join(permissions.role_labels(user))
        self.stdout.write(f"{user.get_username()}: {labels}")
