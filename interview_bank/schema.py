"""OpenAPI generation: document the error responses every endpoint can give.

drf-spectacular documents success bodies only; clients (and schemathesis)
need the DRF error shapes too: {"detail": "..."} or {"field": ["message"]}.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework.permissions import AllowAny

ERROR_SCHEMA = {
    "type": "object",
    "description": 'DRF error: {"detail": "..."} or {"<field>": ["message", ...]}.',
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input; the body names each wrong field and what is allowed.",
    "401": "Not authenticated: no or bad token.",
    "403": "Authenticated but not allowed.",
    "404": "Absent, or not yours.",
    "409": "Conflicts with the current state (deadline passed, already answered, finished).",
    "429": "Throttled; retry after the Retry-After header.",
}


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self):
        # An open endpoint (register, token) gets `security: [{}]` ("no auth
        # needed"), which openapi-python-client reads as "needs a token":
        # omit `security` instead, which says the same to every reader.
        auths = super().get_auth()
        return [] if auths == [{}] else auths

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            responses.setdefault(
                code,
                {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": ERROR_SCHEMA}},
                },
            )
        return responses

    def _error_codes(self):
        codes = ["400"]  # bad bodies, bad filters, bad pagination parameters
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes += ["401", "403"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")  # unknown id, or a page past the end
        codes += [code for code in getattr(self.view, "conflict_codes", ())]
        if self.view.get_throttles():
            codes.append("429")
        return codes


class TokenScheme(OpenApiAuthenticationExtension):
    """The token scheme with its prefix spelled out: generators default an
    Authorization apiKey to `Bearer`, which the API refuses."""

    target_class = "interview_bank.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        keyword = self.target.keyword
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"`Authorization: {keyword} <key>`: the word `{keyword}`, a space, then the key "
            "from `POST /api/v1/auth/token/` (or from registering). `Bearer` is refused.",
        }
