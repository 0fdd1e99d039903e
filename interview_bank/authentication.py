"""API token authentication: DRF's, with a 401 that names the scheme a client got wrong."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.authentication import get_authorization_header


class TokenAuthentication(DRFTokenAuthentication):
    """`Authorization: Token <key>`. `Bearer <key>` (what generated clients and
    OAuth habits send) is refused with a message saying which scheme to use,
    instead of DRF's "Authentication credentials were not provided.". Other
    schemes (a proxy's Basic auth) still fall through to the next class."""

    misused_keywords = (b"bearer",)

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if header and header[0].lower() in self.misused_keywords:
            scheme = header[0].decode("latin-1")
            raise exceptions.AuthenticationFailed(
                f"Unsupported authorization scheme '{scheme}'; send 'Authorization: {self.keyword} <key>' "
                "with the key from POST /api/v1/auth/token/."
            )
        return super().authenticate(request)
