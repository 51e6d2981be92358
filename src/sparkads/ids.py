"""Identifiers and secrets.

Public object ids follow TikTok's shape: numeric strings of 19 digits (64-bit range), random so
they reveal neither counts nor order. Secrets (access tokens, link tokens) are url-safe random
strings; only their SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Annotated

from pydantic import BeforeValidator, Field


def new_id() -> str:
    """A 19-digit numeric id, as TikTok's advertiser_id, item_id, campaign_id..."""
    return str(7 * 10**18 + secrets.randbelow(2 * 10**18))


def new_token(prefix: str, nbytes: int = 32) -> str:
    return f"{prefix}_{secrets.token_urlsafe(nbytes)}"


def digest(secret: str) -> str:
    """Stored form of a high-entropy secret: SHA-256 hex. No salt needed at 128+ bits of entropy."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _id_to_str(value: object) -> object:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# TikTok ids are strings on the wire, but clients send numbers too.
IdStr = Annotated[str, BeforeValidator(_id_to_str), Field(min_length=1, max_length=64)]
