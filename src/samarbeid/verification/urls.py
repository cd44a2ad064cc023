from django.urls import path, register_converter

from . import views

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
    path("kontrollrunder/", views.my_rounds, name="mine"),
    path("kartlegginger/<int:mapping_id>/kontrollrunder/", views.rounds, name="rounds"),
    path("kartlegginger/<int:mapping_id>/kontrollrunder/ny/", views.open_round, name="open"),
    path(ROUND, views.round_dashboard, name="round"),
    path(ROUND + "avslutt/", views.close_round, name="close"),
    path(ROUND + "resultat.<eksportformat:fmt>", views.export_round, name="export"),
    path(LIST, views.municipality_list, name="list"),
    path(LIST + "bekreft/", views.confirm, name="confirm"),
    path(LIST + "ny-ordning/", views.propose_new, name="propose_new"),
    path(LIST + "endre/<path:ref>/", views.propose_change, name="propose_change"),
    path(LIST + "fjern/<path:ref>/", views.propose_removal, name="propose_removal"),
    path(ROUND + "forslag/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path(ROUND + "forslag/<int:proposal_id>/trekk/", views.withdraw, name="withdraw"),
]
