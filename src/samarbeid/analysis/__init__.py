"""Analyses of one mapping (nivi-method.md section 4 and beyond): pure functions over tables.

No Django here. Input is a :class:`~samarbeid.analysis.model.MappingData` (plain pandas tables);
output is a :class:`~samarbeid.analysis.model.Table` with its n and the arrangement ids behind
every number.
"""
