"""Signed decision tokens (pure): what a feed sends back with each event. HMAC-SHA256 over a compact
JSON payload, so a token cannot be forged or altered, and carries its own expiry."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class TokenError(ValueError):
    """Why a token is refused: `reason` is `token_malformed`, `token_tampered` or `token_expired`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(payload: dict[str, Any], secret: bytes) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    mac = hmac.new(secret, body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(mac[:20])}"


def verify(token: str, secret: bytes, now: float) -> dict[str, Any]:
    body, dot, mac = token.partition(".")
    if not dot or not body or not mac or not token.isascii():
        raise TokenError("token_malformed")
    expected = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest()[:20])
    if not hmac.compare_digest(mac, expected):
        raise TokenError("token_tampered")
    try:
        payload: dict[str, Any] = json.loads(_unb64(body))
    except (ValueError, UnicodeDecodeError):
        raise TokenError("token_malformed") from None
    if float(payload.get("exp", 0)) < now:
        raise TokenError("token_expired")
    return payload
