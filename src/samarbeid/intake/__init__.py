"""Intake: mapping files in (check, import) and out (export, template)."""
