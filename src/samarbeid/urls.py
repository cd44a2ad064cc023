"""URL configuration: the public web application (samarbeid.web).

``/sprak/`` is Django's ``set_language``: the language switch in every page's header posts to it,
it sets the language cookie and sends the reader back to the page (``next``). It is exempt from
CSRF on purpose: a token in the header would put a per-reader token and cookie on every public
page, so no page could be shared from the page cache (web/page_cache.py); and all a forged request
can do is change the language a browser reads the site in, with the switch right there to change it
back. The view only redirects to this site (``next`` is checked against the host).

``handler400`` and ``handler500`` (samarbeid.web.errors): a request body over the size limit is a
413 that says the limit, and a busy database or a lost race is a 503 or 409, also when a
middleware (not a view) met it.
"""

from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

urlpatterns = [
    path("sprak/", csrf_exempt(set_language), name="set_language"),
    path("api/", include("samarbeid.portfolio.api.urls")),  # organer, avtaler
    path("api/", include("samarbeid.adoption.api.urls")),  # utbredelse
    path("api/", include("samarbeid.finance.api.urls")),  # kostnadsdeling
    path("api/", include("samarbeid.web.api.urls")),
    path("", include("samarbeid.verification.urls")),  # kontrollrunder
    path("", include("samarbeid.portfolio.urls")),  # samarbeidsorganer
    path("", include("samarbeid.adoption.urls")),  # fellesløsninger og utbredelse
    path("", include("samarbeid.finance.urls")),  # kostnadsdeling
    path("", include("samarbeid.web.urls")),
]

handler400 = "samarbeid.web.errors.bad_request"
handler500 = "samarbeid.web.errors.server_error"
