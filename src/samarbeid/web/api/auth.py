"""Token authentication for scripts: ``Authorization: Token <nøkkel>`` or ``Bearer <nøkkel>``.

Keys are ours (:mod:`.keys`: stored as SHA-256 digests, one per user), made and renewed by
``samarbeid api-token BRUKER``. Reading needs no token; writing does.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from . import keys

KEYWORDS = ("token", "bearer")


class TokenOrBearerAuthentication(BaseAuthentication):
    """``Token`` or ``Bearer`` (the keyword most HTTP clients use) and the key."""

    keyword = "Token"

    def authenticate_header(self, request) -> str:
        return self.keyword

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

    def authenticate_credentials(self, key: str):
        user = keys.user_for(key)
        if user is None:
            # One message for unknown keys and inactive users: a guesser learns nothing.
            raise AuthenticationFailed("Ugyldig token.")
        return (user, None)


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
