"""Domain errors raised by services, and the one place the API maps them to HTTP."""

from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class DomainError(Exception):
    """A rule of the domain refused the request; the message says which and why."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field

    def as_data(self) -> dict:
        return {self.field: [self.message]} if self.field else {"detail": self.message}


class InvalidRequest(DomainError):
    """Well-formed input the domain cannot satisfy (e.g. a pool too small): 400."""


class NotAllowed(DomainError):
    """The user may see this object but not do this to it (e.g. edit a shared set they do not own): 403."""

    status_code = status.HTTP_403_FORBIDDEN


class Conflict(DomainError):
    """The request conflicts with the current state (deadline passed, already answered): 409."""

    status_code = status.HTTP_409_CONFLICT


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_data(), status=exc.status_code)
    if isinstance(exc, Http404):
        # get_object_or_404's message names the model ("No InterviewSession
        # matches ..."): absent and not yours must read the same.
        exc = NotFound()
    return drf_exception_handler(exc, context)
