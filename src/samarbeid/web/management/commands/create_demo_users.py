"""``create_demo_users``: one user per role for the Buskerud 2021 example (idempotent).

The public needs no account; ``leser`` is a signed-in reader of drafts. The password is
``SAMARBEID_DEMO_PASSWORD`` when set, else ``demo-<user name>``. For demonstrations only: never
on a server with real editors.
"""

from __future__ import annotations

import os

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.registry import permissions
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Mapping, Municipality, RoleAssignment

MAPPING = "Buskerud 2021"
Role = RoleAssignment.Role

#: (user name, full name, role, municipality name or None); "admin" is a superuser.
DEMO_USERS = [
    ("kartlegger", "Kari Kartlegger", Role.MAPPING_EDITOR, None),
    ("hjartdal", "Hanne Hjartdal", Role.MUNICIPALITY_EDITOR, "Hjartdal"),
    ("tinn", "Tore Tinn", Role.MUNICIPALITY_EDITOR, "Tinn"),
    ("leser", "Lars Leser", Role.READER, None),
    ("admin", "Anne Administrator", None, None),
]


class Command(SamarbeidCommand):
    help = (
        "Opprett demobrukere for eksempelet Buskerud 2021: kartlegger, hjartdal og tinn "
        "(kommuneredaktører), leser (leser utkast) og admin. Passord: SAMARBEID_DEMO_PASSWORD, ellers demo-<navn>. "
        "Kan kjøres flere ganger. Bare for demonstrasjon."
    )

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        mapping = Mapping.objects.filter(name=MAPPING).first()
        if mapping is None:
            raise UserError(
                f"Kartleggingen «{MAPPING}» finnes ikke. Kjør «samarbeid load-example» først."
            )
        shared = os.environ.get("SAMARBEID_DEMO_PASSWORD", "")
        rows = []
        with transaction.atomic():
            for username, full_name, role, municipality_name in DEMO_USERS:
                password = shared or f"demo-{username}"
                user = self._user(username, full_name, password, superuser=role is None)
                if role in (Role.MAPPING_EDITOR, Role.READER):
                    permissions.grant(user, role, mapping=mapping)
                elif role == Role.MUNICIPALITY_EDITOR:
                    entity = self._municipality(municipality_name, mapping)
                    permissions.grant(user, role, municipality=entity)
                rows.append(
                    (
                        username,
                        ", ".join(permissions.role_labels(user)),
                        password if not shared else "(SAMARBEID_DEMO_PASSWORD)",
                    )
                )
            # Other apps' demo users (the portfolio's secretariat): AppConfig.demo_users(make).
            for config in apps.get_app_configs():
                hook = getattr(config, "demo_users", None)
                if hook is not None:
                    rows += hook(lambda *user: self._demo_user(*user, shared=shared))
        self._table(rows)

    def _demo_user(self, username: str, full_name: str, *, shared: str):
        """A demo user for another app's role, and its row of the printed table (the app fills
        in the role label after granting it)."""
        password = shared or f"demo-{username}"
        user = self._user(username, full_name, password, superuser=False)
        return user, password if not shared else "(SAMARBEID_DEMO_PASSWORD)"

    def _user(self, username: str, full_name: str, password: str, *, superuser: bool):
        User = get_user_model()
        first, _, last = full_name.partition(" ")
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.is_active = True
        user.is_staff = superuser
        user.is_superuser = superuser
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        return user

    def _municipality(self, name: str, mapping: Mapping) -> Municipality:
        resolution = load_gazetteer().resolve(name, mapping.cutoff_date)
        if not resolution.ok:
            raise UserError(f"Fant ikke kommunen {name} på {mapping.cutoff_date}.")
        return Municipality.objects.get(key=resolution.period.entity)

    def _table(self, rows: list[tuple[str, str, str]]) -> None:
        headers = ("Bruker", "Rolle", "Passord")
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(3)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(f"Demobrukere for {MAPPING} (offentlig innsyn trenger ingen bruker):")
        self.stdout.write(line.format(*headers))
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
        self.stdout.write(
            "Logg inn på /logg-inn/. Bare for demonstrasjon: bytt passordene i drift."
        )
