"""Deterministic Message-IDs, so mail servers and clients can drop a duplicate we could not rule out."""

from urllib.parse import urlsplit

from django.conf import settings


def site_domain() -> str:
    """The host part of SITE_URL (the domain our links and Message-IDs carry)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def message_id(*parts: object) -> str:
    """`<part1.part2...@site domain>`: the same parts always give the same id (RFC 5322 msg-id)."""
    local = ".".join(str(part) for part in parts)
    return f"<{local}@{site_domain()}>"
