"""The portfolio's JSON API under ``/api/`` (``/api/organer/``, ``/api/avtaler/``): the bodies,
their plans, projects, milestones, funding and participation, and the agreements, read and written
with the conventions of the registry's API (:mod:`samarbeid.web.api`): token authentication, the
change's source required (``endringskilde``), optimistic locking by ``versjon``/``If-Match``, one
error shape. Every write goes through :mod:`samarbeid.portfolio.services`."""
