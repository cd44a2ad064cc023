"""Base class for the project's management commands: clean errors, never a traceback."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connections
from tqdm import tqdm

from samarbeid.core.outfiles import OutputRefused, shown


def progress_bar(total: int, label: str) -> tqdm:
    """A one-line progress bar on stderr for long work: ``Importerer [####......] 250/5000``
    with elapsed and remaining time; redrawn at most a few times a second, also when stderr is a
    file (then one line per update)."""
    return tqdm(
        total=total,
        desc=label,
        file=sys.stderr,
        ascii=".#",
        bar_format="{desc} [{bar:30}] {n_fmt}/{total_fmt} ({elapsed}, {remaining} igjen)",
        mininterval=0.2,
        leave=True,
    )


def shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        except OutputRefused as error:
            sys.stderr.write(f"{prog}: {error.message(options.get('lang') or 'nb')}\n")
            sys.exit(2)
        except BrokenPipeError:
            # The reader went away (``samarbeid kartlegginger | head``): stop quietly, like any
            # Unix tool, with the exit code of SIGPIPE; stdout is pointed at /dev/null so that
            # the interpreter's final flush does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(141)
        except OSError as error:
            if error.filename is None or options.get("traceback"):
                raise
            # A file the command reads or writes: a problem of the machine, not a bug.
            sys.stderr.write(
                f"{prog}: kan ikke bruke {shown(error.filename)}: {error.strerror or error}.\n"
            )
            sys.exit(2)
        except OperationalError as error:
            # The database cannot be used (disk full or failing, locked, unreachable): a problem
            # of the machine, said as such.
            if options.get("traceback"):
                raise
            sys.stderr.write(
                f"{prog}: databasen kan ikke brukes nå ({shorten(str(error))}). Prøv igjen, eller "
                "sjekk disken og DATABASE_URL.\n"
            )
            sys.exit(2)
        except KeyboardInterrupt:
            sys.stderr.write(f"{prog}: {getattr(self, 'interrupted_message', 'avbrutt.')}\n")
            sys.exit(130)
        except Exception as error:
            if options.get("traceback"):
                raise
            # Say "nothing was saved" only where the command knows it (its own handling).
            sys.stderr.write(
                f"{prog}: intern feil ({type(error).__name__}: {shorten(str(error))}). "
                "Kjør igjen med --traceback og meld feilen.\n"
            )
            sys.exit(70)
        finally:
            connections.close_all()

    def execute(self, *args: Any, **options: Any) -> str | None:
        return super().execute(*args, **options)
