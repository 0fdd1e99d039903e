"""Registration and token login (SPEC §4 auth)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.api.serializers import (
    RegisteredUserSerializer,
    RegisterInputSerializer,
    TokenOutputSerializer,
)
from accounts.lockout import lockout_message
from accounts.services import user_register
from interview_bank.throttling import ScopedRateThrottle


class RegisterView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(request=RegisterInputSerializer, responses={201: RegisteredUserSerializer})
    def post(self, request):
        data = RegisterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = user_register(**data.validated_data)
        return Response(RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(ObtainAuthToken):
    """Username + password → the user's API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # ObtainAuthToken also takes form and multipart bodies; the API is JSON only.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(responses={200: TokenOutputSerializer})
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            # django-axes marks the DRF request (its middleware sees only Django's).
            if getattr(request, "axes_locked_out", False):
                raise Throttled(wait=settings.AXES_COOLOFF_TIME.total_seconds(), detail=lockout_message()) from None
            raise
