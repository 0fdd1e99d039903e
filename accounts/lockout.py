"""Repeated failed logins (django-axes): the message, and the response a locked-out login gets."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many failed logins for this account from your address; try again in {minutes} minutes, "
        "or reset your password."
    )


def locked_out_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: JSON under /api/, a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)
