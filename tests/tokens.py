"""Discord bot tokens shaped like real ones (none of them valid), for tests of masking."""

from __future__ import annotations

import base64
import secrets


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def bot_token(user_id: int, hmac_chars: int = 38) -> str:
    """``base64(user id)`` . ``base64(timestamp)`` . HMAC, as the Developer Portal issues."""
    timestamp = _b64(secrets.token_bytes(4))  # 6 characters
    hmac = _b64(secrets.token_bytes(hmac_chars))[:hmac_chars]
    return f"{_b64(str(user_id).encode())}.{timestamp}.{hmac}"


def realistic_tokens() -> list[str]:
    """An old-style token (17-digit id, 27-character HMAC) and today's (19 digits, 38)."""
    return [bot_token(80351110224678912, 27), bot_token(1175469862512840704, 38)]
