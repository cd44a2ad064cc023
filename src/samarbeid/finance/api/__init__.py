"""The cost-sharing models and their calculations as JSON under ``/api/kostnadsdeling/`` (:mod:`.urls`),
with the conventions of the registry's API (:mod:`samarbeid.web.api`) and the portfolio's: JSON
only through the safe parser, token authentication for writing, the reason required
(``begrunnelse``), optimistic locking by ``versjon``/``If-Match``, one error shape with the
problems per field. Every write goes through :func:`samarbeid.finance.services.save_model`."""


def register_api_links() -> None:
    """``kostnadsdeling`` among the entry points of ``/api/``; call from ``FinanceConfig.ready``."""
    from samarbeid.web.api.views.root import register_root_link

    register_root_link("kostnadsdeling", "finance_api:modeller")
