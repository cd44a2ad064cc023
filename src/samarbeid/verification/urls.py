from django.urls import path, register_converter

from .views import dashboard, lists, proposals, review, rounds

app_name = "verification"


class _Format:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_Format, "eksportformat")

ROUND = "kartlegginger/<int:mapping_id>/kontrollrunder/<int:number>/"
LIST = ROUND + "kommuner/<str:kommune>/"

urlpatterns = [
    path("kontrollrunder/", rounds.my_rounds, name="mine"),
    path("kartlegginger/<int:mapping_id>/kontrollrunder/", rounds.rounds, name="rounds"),
    path("kartlegginger/<int:mapping_id>/kontrollrunder/ny/", rounds.open_round, name="open"),
    path(ROUND, dashboard.round_dashboard, name="round"),
    path(ROUND + "avslutt/", rounds.close_round, name="close"),
    path(ROUND + "resultat.<eksportformat:fmt>", dashboard.export_round, name="export"),
    path(LIST, lists.municipality_list, name="list"),
    path(LIST + "bekreft/", lists.confirm, name="confirm"),
    path(LIST + "ny-ordning/", proposals.propose_new, name="propose_new"),
    path(LIST + "endre/<path:ref>/", proposals.propose_change, name="propose_change"),
    path(LIST + "fjern/<path:ref>/", proposals.propose_removal, name="propose_removal"),
    path(ROUND + "forslag/<int:proposal_id>/", review.proposal_detail, name="proposal"),
    path(ROUND + "forslag/<int:proposal_id>/trekk/", review.withdraw, name="withdraw"),
]
