"""Base class for the project's management commands: clean errors, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class UserError(CommandError):
    """A problem the user can fix; printed as one clear message with a non-zero exit."""


class SamarbeidCommand(BaseCommand):
    requires_system_checks: list = []
    requires_migrations_checks = False

    def run_from_argv(self, argv: list[str]) -> None:
        self._called_from_command_line = True  # argparse errors: usage + exit 2, not an exception
        parser = self.create_parser(argv[0], argv[1])
        parser.prog = argv[0]  # "samarbeid import", not the Django command's internal name
        options = vars(parser.parse_args(argv[2:]))
        args = options.pop("args", ())
        prog = argv[0]
        try:
            self.execute(*args, **options)
        except CommandError as error:
            sys.stderr.write(f"{prog}: {error}\n")
            sys.exit(error.returncode or 1)
        except KeyboardInterrupt:
            sys.stderr.write(f"{prog}: avbrutt; ingenting ble lagret.\n")
            sys.exit(130)
        except Exception as error:
            if options.get("traceback"):
                raise
            sys.stderr.write(
                f"{prog}: intern feil ({type(error).__name__}: {error}). Ingenting ble lagret. "
                "Kjør igjen med --traceback og meld feilen.\n"
            )
            sys.exit(70)
        finally:
            connections.close_all()

    def execute(self, *args: Any, **options: Any) -> str | None:
        return super().execute(*args, **options)
