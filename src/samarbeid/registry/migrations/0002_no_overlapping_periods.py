"""No two validity periods of the same number (municipality, county) or region membership overlap.

PostgreSQL holds this as an exclusion constraint over date ranges; SQLite, which has none, as
triggers that abort the statement.
"""

from django.db import migrations

# (table, constraint name, columns that must be equal)
GUARDED = [
    ("registry_municipalityperiod", "period_no_overlap", ["number"]),
    ("registry_county", "county_no_overlap", ["number"]),
    ("registry_regionmembership", "region_membership_no_overlap", ["region_id", "municipality_id"]),
]


def _postgres_sql(table: str, name: str, columns: list[str]) -> tuple[str, str]:
    equal = ", ".join(f"{c} WITH =" for c in columns)
    create = (
        f"ALTER TABLE {table} ADD CONSTRAINT {name} EXCLUDE USING gist "
        f"({equal}, daterange(valid_from, valid_to, '[]') WITH &&)"
    )
    return create, f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"


def _sqlite_sql(table: str, name: str, columns: list[str]) -> tuple[list[str], list[str]]:
    same = " AND ".join(f"p.{c} = NEW.{c}" for c in columns)
    check = (
        f"SELECT RAISE(ABORT, '{name}: overlapping validity period') WHERE EXISTS ("
        f"SELECT 1 FROM {table} p WHERE {same} AND p.id IS NOT NEW.id "
        "AND COALESCE(p.valid_from, '0001-01-01') <= COALESCE(NEW.valid_to, '9999-12-31') "
        "AND COALESCE(NEW.valid_from, '0001-01-01') <= COALESCE(p.valid_to, '9999-12-31'));"
    )
    create = [
        f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event} ON {table} BEGIN {check} END"
        for event in ("INSERT", "UPDATE")
    ]
    drop = [f"DROP TRIGGER IF EXISTS {name}_{event}" for event in ("insert", "update")]
    return create, drop


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        for table, name, columns in GUARDED:
            schema_editor.execute(_postgres_sql(table, name, columns)[0])
    elif vendor == "sqlite":
        for table, name, columns in GUARDED:
            for statement in _sqlite_sql(table, name, columns)[0]:
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table, name, columns in GUARDED:
        if vendor == "postgresql":
            schema_editor.execute(_postgres_sql(table, name, columns)[1])
        elif vendor == "sqlite":
            for statement in _sqlite_sql(table, name, columns)[1]:
                schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
