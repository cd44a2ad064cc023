"""``samarbeid rolle``: show, give or take away a user's roles (kartlegger, kommuneredaktør, leser).

The rules of what each role may do are in :mod:`samarbeid.registry.permissions`; this command only
writes the rows (:class:`~samarbeid.registry.models.RoleAssignment`). Administrators are Django
superusers (``samarbeid manage createsuperuser``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.registry import permissions
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping, Municipality, RoleAssignment

Role = RoleAssignment.Role


class Command(SamarbeidCommand):
    help = (
        "Vis, gi eller fjern rollene til en bruker: --kartlegger KARTLEGGING, --kommune KOMMUNE "
        "[--kartlegging KARTLEGGING] eller --leser [KARTLEGGING]; --fjern tar rollen bort. Uten "
        "rolle: vis brukerens roller."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("user", metavar="BRUKER", help="Brukernavnet")
        role = parser.add_mutually_exclusive_group()
        role.add_argument(
            "--kartlegger", metavar="KARTLEGGING", help="Kartlegger for kartleggingen"
        )
        role.add_argument(
            "--kommune", metavar="KOMMUNE", help="Kommuneredaktør for kommunen (navn eller nummer)"
        )
        role.add_argument(
            "--leser",
            metavar="KARTLEGGING",
            nargs="?",
            const="",
            help="Leser av utkast: for kartleggingen, eller for alle uten navn",
        )
        parser.add_argument(
            "--kartlegging", help="Med --kommune: bare i denne kartleggingen (ellers i alle)"
        )
        parser.add_argument("--fjern", action="store_true", help="Ta rollen bort")
        parser.add_argument(
            "--opprett",
            action="store_true",
            help="Opprett brukeren om den mangler (uten passord: sett det med "
            "«samarbeid manage changepassword BRUKER»)",
        )

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        username = options["user"]
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None and options["opprett"]:
            user = User.objects.create_user(username)  # no usable password until one is set
            self.stderr.write(
                f"Opprettet brukeren «{username}» uten passord; sett det med "
                f"«samarbeid manage changepassword {username}»."
            )
        if user is None:
            raise UserError(f"Fant ingen bruker «{username}» (--opprett oppretter den).")
        role, lookup = self._role(options)
        if role is not None:
            with transaction.atomic():
                if options["fjern"]:
                    removed, _ = RoleAssignment.objects.filter(
                        user=user, role=role, **lookup
                    ).delete()
                    if not removed:
                        raise UserError(f"«{username}» har ikke den rollen.")
                else:
                    permissions.grant(user, role, **lookup)
            permissions.forget(user)
        elif options["fjern"] or options["kartlegging"]:
            raise UserError("Oppgi rollen: --kartlegger, --kommune eller --leser.")
        labels = permissions.role_labels(user)
        self.stdout.write(f"{username}: {', '.join(labels)}")

    def _role(self, options) -> tuple[str | None, dict]:
        if options["kartlegging"] and not options["kommune"]:
            raise UserError("--kartlegging hører til --kommune.")
        if options["kartlegger"]:
            return Role.MAPPING_EDITOR, {"mapping": _mapping(options["kartlegger"])}
        if options["leser"] is not None:
            name = options["leser"]
            return Role.READER, {"mapping": _mapping(name) if name else None}
        if options["kommune"]:
            mapping = _mapping(options["kartlegging"]) if options["kartlegging"] else None
            date = mapping.cutoff_date if mapping else dt.date.today()
            resolution = load_gazetteer().resolve(options["kommune"], date)
            if not resolution.ok:
                options_ = resolution.candidates or resolution.suggestions
                listed = ", ".join(f"{p.name} ({p.number})" for p in options_)
                hint = (
                    f" {'Mulige' if resolution.candidates else 'Forslag'}: {listed}."
                    if listed
                    else ""
                )
                raise UserError(
                    f"Fant ikke én kommune «{options['kommune']}» på {date:%Y-%m-%d}.{hint}"
                )
            entity = Municipality.objects.get(key=resolution.period.entity)
            return Role.MUNICIPALITY_EDITOR, {"municipality": entity, "mapping": mapping}
        return None, {}


def _mapping(name: str) -> Mapping:
    mapping = Mapping.objects.filter(name=name).first()
    if mapping is None:
        known = ", ".join(f"«{n}»" for n in Mapping.objects.values_list("name", flat=True))
        raise UserError(f"Fant ingen kartlegging «{name}». Kartlegginger: {known or 'ingen'}.")
    return mapping
