"""JSON representations, one module per resource of the API. Field names follow the mapping-file
format (``docs/kartleggingsfil.md``) where there is a column for the fact; shapes follow the file's
JSON form (lists, numbers).

Unknown stays unknown: a fact that is not known is ``null`` with the field present, never ``""``,
``"none"`` or ``0``. "No host municipality" is a value of its own (``vertskommune.status``
``"ingen"``).
"""
