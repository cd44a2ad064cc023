"""``samarbeid avtalevarsel``: e-mail the secretariats about agreements that run out soon."""

from __future__ import annotations

import datetime as dt

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.portfolio import alerts
from samarbeid.registry.bootstrap import ensure_database


class Command(SamarbeidCommand):
    help = (
        "Send e-post til sekretariatet når en avtale løper ut om 90 og om 30 dager (hver gang "
        "bare én gang). Kjør daglig. --tørrkjøring viser hva som ville blitt sendt."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--per", help="Dagen det regnes fra (ÅÅÅÅ-MM-DD; standard: i dag)")
        parser.add_argument(
            "--torrkjoring", "--tørrkjøring", action="store_true", help="Vis, men send ikke"
        )

    def handle(self, *args, **options) -> None:
        today = None
        if options["per"]:
            try:
                today = dt.date.fromisoformat(options["per"])
            except ValueError:
                raise UserError(
                    f"Ugyldig dato «{options['per']}» i --per. Forventet ÅÅÅÅ-MM-DD.", returncode=2
                ) from None
        ensure_database(verbose=False)
        due = alerts.due(today)
        if not due:
            self.stdout.write("Ingen avtaler å varsle om.")
            return
        for alert in due:
            a = alert.agreement
            what = f"«{a.title}» ({a.body.name}) løper ut {a.ends:%d.%m.%Y}, om {alert.days_left} dager"
            if not alert.recipients:
                self.stdout.write(
                    f"{what}: ingen i sekretariatet har e-postadresse; ikke varslet "
                    "(gi rollen med «samarbeid sekretariat»)."
                )
                continue
            if options["torrkjoring"]:
                self.stdout.write(f"{what}: ville varslet {', '.join(alert.recipients)}.")
                continue
            alerts.send(alert)
            self.stdout.write(f"{what}: varslet {alert.sent} av {len(alert.recipients)}.")
