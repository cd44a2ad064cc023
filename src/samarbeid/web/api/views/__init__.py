"""The views of the API, one module per resource. Reading fetches through
:mod:`samarbeid.web.queries` (the rules of the public pages: filters, counting, unknown values),
exports through the intake's exporter, and writing goes through :mod:`samarbeid.registry.editing`
(see :mod:`samarbeid.web.api.writes`); no rules here."""
