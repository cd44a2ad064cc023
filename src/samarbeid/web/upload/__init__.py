"""Upload a mapping file in the browser: checked exactly as ``samarbeid check``, imported exactly as
``samarbeid import`` (issue #6: «opplastede filer kontrolleres som i inntaket»).

Two steps:

1. **Kontroller** (``upload`` / ``upload_new``): the file is streamed straight into a private
   temporary directory (:func:`tempfile.mkdtemp`, mode 0700, outside anything the site serves),
   never more than the intake's ``MAX_FILE_MB`` of it; then read with
   :func:`~samarbeid.intake.reader.read_workbook` and validated with the intake's
   :class:`~samarbeid.rules.validate.Validator` (through the CLI's own
   :func:`~samarbeid.intake.commands.check_path`). The page lists every error and warning with its
   place in the file; a file that cannot be read at all (empty, not a spreadsheet, encrypted, a
   zip bomb, too large, not UTF-8) is one message, with status 400.
2. **Importer** (``upload_import`` / ``upload_new_import``, POST with CSRF): only a file without
   errors. The checked file is found by a random token kept in the session (the URL carries no user
   data); it is checked again, then written all or nothing with
   :func:`~samarbeid.intake.importer.write_mapping` and logged with
   :func:`~samarbeid.intake.importer.log_run` under the signed-in user's name, with the same
   outcomes as the CLI. ``write_mapping`` records the change history itself (its ``source`` and
   ``user_name``: ``Import av FIL`` as the CLI, and the editor's name).

Who may: a mapping editor of that mapping and administrators (:func:`~samarbeid.registry.
permissions.can_edit_mapping`); a new mapping only administrators. A frozen mapping is refused.

The upload never sits in memory or in Django's own temporary files:
:class:`.check.PrivateUploadHandler` replaces Django's handlers for these requests (so
``FILE_UPLOAD_MAX_MEMORY_SIZE`` and ``FILE_UPLOAD_TEMP_DIR`` do not apply), writes at most the limit
and only counts the rest. A reverse proxy in front should still cap the request body (a little
above ``SAMARBEID_MAX_FILE_MB``).
"""
