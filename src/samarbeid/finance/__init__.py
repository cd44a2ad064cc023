"""Cost sharing (kostnadsdeling): member-fee models as data, payments with their arithmetic,
comparison, fairness and projection.

The computation is pure and never imports Django (import-linter's contract 2): :mod:`.money`
(Decimal, rounding, the largest-remainder method), :mod:`.spec` (a model as data, read and written),
:mod:`.compute` (one model, one year), :mod:`.compare` (several models, fairness, the years
ahead). The Django app around it (``label = "finance"``) keeps the models with their versions
(:mod:`.models`), finds the members and their population in the registry (:mod:`.members`),
saves with access, source and optimistic locking (:mod:`.services`), and serves pages, API,
files and the command ``samarbeid kostnad``.
"""
