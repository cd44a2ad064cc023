"""The rule set for a mapping record without Django: the columns (``schema``), the input boundary
for one cell (``boundary``), values, findings and their messages, and the checks of a whole file
(``validate``). Files, web forms, verification proposals and the API all pass through it."""
