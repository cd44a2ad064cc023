"""URLs of the region pages and the mapping map (included by :mod:`.urls`, namespace ``web``)."""

urlpatterns: list = []
