"""Make the database ready: create the SQLite folder, apply migrations, load reference data."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from .reference import sync_reference


def ensure_database(verbose: bool = True) -> None:
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        if verbose:
            sys.stderr.write(f"Oppretter/oppdaterer databasen ({len(plan)} migreringer) …\n")
        call_command("migrate", verbosity=0, interactive=False)
    else:
        sync_reference()
