"""The ``samarbeid`` command.

A thin front for the project's Django management commands with stable, user-facing names
(other tools call these; keep them). ``samarbeid manage ...`` reaches every Django command.
"""

from __future__ import annotations

import os
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "load-example": ("load_example", "Last inn de medfølgende eksemplene (Buskerud 2021)"),
    "check": ("check_file", "Kontroller en kartleggingsfil uten å lagre noe"),
    "import": ("import_file", "Importer en kartleggingsfil (alt eller ingenting)"),
    "export": ("export_mapping", "Eksporter en kartlegging til xlsx, csv eller json"),
    "template": ("write_template", "Skriv en tom mal for kartleggingsfiler"),
    "rapport": ("report", "Skriv kartleggingsrapporten (html, pdf, xlsx, md, json)"),
    "oversikt": ("municipality_overview", "Skriv én kommunes oversikt over sine ordninger"),
    "sammenlign": ("compare_mappings", "Sammenlign to kartlegginger"),
    "serve": ("serve", "Start nettstedet (offentlig oversikt) med en produksjonsserver"),
    "demobrukere": ("create_demo_users", "Opprett demobrukere for eksempelet, én per rolle"),
    "rolle": ("roles", "Vis, gi eller fjern rollene til en bruker"),
    "api-token": ("api_token", "Lag, forny eller slett API-nøkkelen til en bruker"),
    "sammendrag": ("summary", "Skriv ut antall ordninger per kommune i en kartlegging"),
    "kartlegginger": ("list_mappings", "List kartlegginger og importhistorikk"),
    "status": ("mapping_status", "Vis eller endre status: utkast, kontroll, frosset"),
    "organ": ("body_list", "List samarbeidsorganene eller vis ett organ"),
    "handlingsplan": ("action_plan", "Skriv et samarbeidsorgans handlingsplan for ett år"),
    "plan-eksport": ("plan_export", "Eksporter en handlingsplan som planfil (xlsx eller json)"),
    "plan-import": ("plan_import", "Importer en planfil (alt eller ingenting; --kontroller)"),
    "plan-mal": ("plan_template", "Skriv en tom planfil (xlsx) med veiledning"),
    "avtalevarsel": ("agreement_alerts", "Send e-post om avtaler som snart løper ut (kjør daglig)"),
    "sekretariat": ("secretariat", "Gi eller fjern rollen sekretariat for et samarbeidsorgan"),
    "avtaler": ("agreements", "List avtalene med varighet, versjon og manglende minsteinnhold"),
    "utbredelse": ("adoption", "Utbredelsen av fellesløsningene per løsning, fylke, organ, region"),
    "portefolje": ("solution_portfolio", "Skriv porteføljedokumentet (nasjonal eller et organs)"),
    "meld-status": ("status_import", "Meld status for løsninger fra en fil (alt eller ingenting)"),
    "status-mal": ("status_template", "Skriv en tom statusfil (xlsx eller csv)"),
    "prioritering": ("prioritisation", "Vis eller før poeng og vekter for en porteføljes tiltak"),
    "kostnad": ("cost_sharing", "Hva medlemmene betaler etter kostnadsmodeller (og i årene fram)"),
    "kostnadsmodell": ("fee_model", "Lagre en kostnadsmodell fra JSON (ny versjon), eller vis den"),
    "migrate": ("migrate", "Opprett eller oppdater databasen"),
}

USAGE = """bruk: samarbeid KOMMANDO [valg]   (samarbeid KOMMANDO --help for valgene)

Kommandoer:
{commands}
  manage         Kjør en vilkårlig Django-kommando (samarbeid manage help)

Database: DATABASE_URL (postgres://…) eller SQLite i ./var/samarbeid.sqlite3.
"""


def _usage() -> str:
    lines = "\n".join(f"  {name:<14} {text}" for name, (_, text) in COMMANDS.items())
    return USAGE.format(commands=lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A file name from another system (bytes that are not UTF-8) or a lone surrogate in data
        # must never make printing a message fail.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        sys.stdout.write(_usage())
        return 0
    if argv[0] in {"--version", "version"}:
        from samarbeid import __version__

        sys.stdout.write(f"samarbeid {__version__}\n")
        return 0
    name, rest = argv[0], argv[1:]
    if name == "manage":
        django_name = rest[0] if rest else "help"
        rest = rest[1:]
    elif name in COMMANDS:
        django_name = COMMANDS[name][0]
    else:
        sys.stderr.write(f"samarbeid: ukjent kommando «{name}».\n\n{_usage()}")
        return 2

    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(f"samarbeid: oppsettet er ugyldig: {error}\n")
        return 2
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        try:
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            sys.stderr.write(
                f"samarbeid: kan ikke opprette datamappen {settings.VAR_DIR} ({error.strerror}). "
                "Sett SAMARBEID_VAR_DIR til en mappe du kan skrive i, eller DATABASE_URL.\n"
            )
            return 2
    try:
        execute_from_command_line([f"samarbeid {name}", django_name, *rest])
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
