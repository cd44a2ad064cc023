"""Adoption status as a file, in bulk: ``samarbeid meld-status`` and ``status-mal``, and the
upload page ``/utbredelse/opplasting/`` (issue #13, «bulk CSV/xlsx upload with the same
all-or-nothing validation and exact messages as the mapping files»).

The modules, along their seams: :mod:`.schema` (the sheet, its columns, the statuses, the row
limit), :mod:`.reader` (CSV and xlsx into one table, with the mapping file's readers and limits),
:mod:`.validate` (every problem in one pass, located at sheet, row and column, with the mapping
file's checks, the reporting service's :func:`~samarbeid.adoption.services.check_report` and
:mod:`.messages`), :mod:`.importer` (one run: check, then record all or nothing) and
:mod:`.template` (the template, xlsx or CSV).

The format
----------
One sheet «Status» (a CSV file is that sheet), a header row and one row per municipality,
solution and date: ``kommunenummer`` (the number on that date; three digits get the leading zero
a workbook drops), ``kommune`` (optional; when given it must be the number's), ``losning`` (a
solution's name, case does not matter), ``status`` (``ikke_startet``, ``tilgjengeliggjort``,
``i_bruk``, ``stoppet``, or «Ikke startet», «Tilgjengeliggjort», «I bruk», «Stoppet»), ``dato``
(ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ, or a date cell; not after today, not before 2000), ``kilde`` (required
in every row unless a source is given for the whole file) and ``merknad`` (optional). Nothing is
recorded when any row has an error; the user must be allowed to report for every row's
municipality. The same municipality, solution and date twice with the same status is one report;
with different statuses it is an error.
"""
