"""The adoption register's JSON API under ``/api/utbredelse/`` (:mod:`.urls`), with the
conventions of the registry's API (:mod:`samarbeid.web.api`): JSON only, token authentication
for reporting, the safe JSON parser, one error shape with the problems per field (and, for a list
of statuses, per index)."""


def register_api_links() -> None:
    """``utbredelse`` among the entry points of ``/api/``; call from ``AdoptionConfig.ready``."""
    from samarbeid.web.api.views.root import register_root_link

    register_root_link("utbredelse", "adoption_api:utbredelse")
