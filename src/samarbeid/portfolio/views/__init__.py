"""The portfolio's pages: reading (:mod:`.pages`), the forms (:mod:`.plan_edit`,
:mod:`.project_edit`, run by :mod:`.flow`), the history with restore, and the downloads."""
