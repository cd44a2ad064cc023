"""``samarbeid serve``: the public web application under a production WSGI server (waitress).

Prepares everything first: the database (migrations, reference data), the static files (collected
into ``var/static`` and served with cache headers by WhiteNoise). TLS belongs to a reverse proxy in
front (set ``SAMARBEID_HTTPS=1`` there and pass ``--proxy`` with the proxy's address).
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.registry.bootstrap import ensure_database

WILDCARD_HOSTS = {"0.0.0.0", "::", ""}


class Command(SamarbeidCommand):
    help = (
        "Start nettstedet (offentlig oversikt over kartleggingene) med en produksjonsserver "
        "(waitress). Oppretter eller oppdaterer databasen og samler de statiske filene først."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Adressen å lytte på")
        parser.add_argument(
            "--port", type=int, default=8000, help="Porten å lytte på (0: en ledig port)"
        )
        parser.add_argument(
            "--threads", type=int, default=8, help="Antall tråder som svarer på forespørsler"
        )
        parser.add_argument(
            "--proxy",
            default="",
            help="Adressen til en omvendt proxy (TLS) foran serveren; dens X-Forwarded-*-"
            "hoder stoles på",
        )

    def handle(self, *args, **options) -> None:
        from waitress.server import create_server

        host, port = options["host"], options["port"]
        if not 0 <= port <= 65535:
            raise UserError(f"Ugyldig port {port}: bruk et tall fra 0 til 65535.")
        if options["threads"] < 1:
            raise UserError("--threads må være minst 1.")
        if "*" in settings.ALLOWED_HOSTS and not settings.DEBUG:
            raise UserError(
                "SAMARBEID_ALLOWED_HOSTS=* godtas ikke: da kan hvem som helst bestemme adressen "
                "i lenkene nettstedet lager. Skriv vertsnavnene, f.eks. "
                "SAMARBEID_ALLOWED_HOSTS=samarbeid.example.no."
            )
        ensure_database()
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("collectstatic", interactive=False, verbosity=0)
        if host not in WILDCARD_HOSTS and host not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS.append(host)  # the address we were told to serve is allowed
        from samarbeid.web.wsgi import (
            application,  # after collectstatic: WhiteNoise indexes it
            tune_garbage_collection,
        )

        tune_garbage_collection()

        kwargs: dict = {"host": host, "port": port, "threads": options["threads"]}
        kwargs["ident"] = "samarbeid"
        if options["proxy"]:
            kwargs["trusted_proxy"] = options["proxy"]
            kwargs["trusted_proxy_headers"] = {"x-forwarded-proto", "x-forwarded-for"}
            kwargs["clear_untrusted_proxy_headers"] = True
        try:
            server = create_server(application, **kwargs)
        except OSError as error:
            raise UserError(
                f"Kan ikke lytte på {host}:{port}: {error.strerror or error}."
            ) from None
        try:
            self._announce(host, server.effective_port)
            server.run()  # returns on Ctrl+C (waitress handles the interrupt itself)
        except KeyboardInterrupt:
            pass  # Ctrl+C before the loop started
        finally:
            server.close()
        self.stdout.write("Stoppet.")

    def _announce(self, host: str, port: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        if host in WILDCARD_HOSTS:
            shown = "127.0.0.1"
        self.stdout.write(
            f"Samarbeidsregisteret kjører på http://{shown}:{port}/ (Ctrl+C stopper)."
        )
        if host in WILDCARD_HOSTS:
            self.stdout.write(
                "Lytter på alle adresser; legg vertsnavnene i SAMARBEID_ALLOWED_HOSTS "
                f"(nå: {', '.join(settings.ALLOWED_HOSTS)})."
            )
        if settings.DEBUG:
            sys.stderr.write("Advarsel: SAMARBEID_DEBUG=1 — bruk det aldri i produksjon.\n")
        if not os.environ.get("SAMARBEID_SECRET_KEY"):
            sys.stderr.write(
                "Advarsel: SAMARBEID_SECRET_KEY er ikke satt; sett en lang, tilfeldig verdi i "
                "produksjon.\n"
            )
        self.stdout.flush()
