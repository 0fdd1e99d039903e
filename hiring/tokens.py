"""Invitation tokens: `<public id>.<secret>`, the secret stored only as a hash."""

import hashlib
import hmac
import secrets

from django.conf import settings


def token_new() -> tuple[str, str, str]:
    """(token to hand out, public id to store, hash of the secret to store)."""
    public_id = secrets.token_urlsafe(9)  # 12 characters, no dots
    secret = secrets.token_urlsafe(32)  # 256 bits
    return f"{public_id}.{secret}", public_id, _hash(secret)


def token_split(token: str) -> tuple[str, str] | None:
    public_id, dot, secret = token.partition(".")
    if not dot or not public_id or not secret or len(token) > 100:
        return None
    return public_id, secret


def token_matches(secret: str, secret_hash: str) -> bool:
    """Constant-time comparison, so response times say nothing about the secret."""
    return hmac.compare_digest(_hash(secret), secret_hash)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def invitation_url(token: str) -> str:
    """The invitation's landing page, where the candidate logs in, accepts and starts."""
    return f"{settings.SITE_URL}/invitations/{token}/"
