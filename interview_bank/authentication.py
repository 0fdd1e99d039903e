"""API token authentication: DRF's, with a 401 that names the scheme a client got wrong,
and the user's role read in the same query as the token."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.authentication import get_authorization_header

from accounts import token_cache
from accounts.roles import holds_hiring_manager_permission, remember_role, role_from


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

    def authenticate_credentials(self, key):
        """DRF's lookup (token with its user, one query), which also reads whether
        the user is a hiring manager, so nothing later in the request asks again;
        the answer is kept in the shared cache until something changes it
        (accounts.token_cache)."""
        cached = token_cache.cached_identity(key)
        if cached is not None:
            token, is_hiring_manager = cached
            remember_role(token.user, is_hiring_manager=is_hiring_manager)
            return (token.user, token)
        model = self.get_model()
        try:
            token = (
                model.objects.select_related("user")
                .annotate(user_holds_role=holds_hiring_manager_permission("user_id"))
                .get(key=key)
            )
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        is_hiring_manager = role_from(token.user, holds_permission=token.user_holds_role)
        remember_role(token.user, is_hiring_manager=is_hiring_manager)
        token_cache.remember(token, is_hiring_manager=is_hiring_manager)
        return (token.user, token)
