"""Invitation tokens: `<public id>.<secret>`, the secret stored only as a hash.

Until its email is sent, the outbox also holds the token sealed with Fernet
(a key derived from SECRET_KEY by HKDF), never in plain text.
"""

import base64
import hashlib
import hmac
import secrets

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
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


def token_seal(token: str) -> str:
    """The token encrypted and authenticated (Fernet) for the outbox, as text."""
    return _fernet().encrypt(token.encode()).decode()


def token_unseal(sealed: str) -> str:
    """The token back; cryptography.fernet.InvalidToken if the keys changed or it was tampered with."""
    return _fernet().decrypt(sealed.encode()).decode()


def _fernet() -> MultiFernet:
    # The current key seals; SECRET_KEY_FALLBACKS still open what was sealed before a rotation.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_derive_key(key)) for key in keys])


def _derive_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"interview-bank", info=b"hiring.invitation-outbox")
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))
