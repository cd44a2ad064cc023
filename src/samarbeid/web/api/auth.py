"""Token authentication for scripts: ``Authorization: Token <nøkkel>`` or ``Bearer <nøkkel>``.

Tokens are Django REST framework's (``rest_framework.authtoken``), one per user, made and renewed
by ``samarbeid manage api_token BRUKER``. Reading needs no token; writing does.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

KEYWORDS = ("token", "bearer")


class TokenOrBearerAuthentication(TokenAuthentication):
    """DRF's token authentication that also takes the ``Bearer`` keyword most HTTP clients use."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                "Ugyldig Authorization-topptekst: skriv «Token NØKKEL» eller «Bearer NØKKEL»."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise AuthenticationFailed("Ugyldig token.") from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key):
        try:
            return super().authenticate_credentials(key)
        except AuthenticationFailed as error:
            # DRF's message varies ("Ugyldig token.", "Bruker inaktiv eller slettet."); one
            # message tells a guesser nothing about which tokens or users exist.
            raise AuthenticationFailed("Ugyldig token.") from error


class TokenOrBearerScheme(OpenApiAuthenticationExtension):
    target_class = "samarbeid.web.api.auth.TokenOrBearerAuthentication"
    name = ["tokenAuth", "bearerAuth"]
    priority = 1

    def get_security_requirement(self, auto_schema):
        return [{"tokenAuth": []}, {"bearerAuth": []}]

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "«Token NØKKEL»; nøkkelen lages med `samarbeid manage api_token BRUKER`.",
            },
            {
                "type": "http",
                "scheme": "bearer",
                "description": "Samme nøkkel som for tokenAuth, med ordet Bearer foran.",
            },
        ]
