"""The readers of mapping files, one module per format, with the limits they share.

``samarbeid.intake.reader`` is the entry point (:func:`~samarbeid.intake.reader.read_workbook`);
this package holds what it is made of: :mod:`.tables` (what a reader produces), :mod:`.limits`
(how much a file may hold, counted while it is read), :mod:`.xlsx`, :mod:`.csv` and :mod:`.json`.
"""
