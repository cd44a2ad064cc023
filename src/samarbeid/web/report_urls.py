"""URLs of the mapping report and the comparison of two mappings (included by :mod:`.urls`, namespace ``web``)."""

urlpatterns: list = []
