"""Viewer keys: what the traffic log, profiles and audience memberships store instead of a viewer
id (pure, once the deployment's secret is installed).

key = HMAC-SHA256(secret, SHA-256(viewer id)), its first 16 bytes in hex. The inner SHA-256 is the
hashed identifier advertisers upload in customer files (`hashing.viewer_digest`), so a file's
digests are matched by keying them the same way; nothing stored can be turned back into a viewer
id without the secret. The secret is created once per deployment (`delivery.store.viewer_secret`)
and installed in each process at start."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from functools import lru_cache

from sparkads.audiences.hashing import viewer_digest

_secret: list[bytes] = []


def install_secret(secret: bytes) -> None:
    if _secret != [secret]:
        _secret[:] = [secret]
        _key_of_digest.cache_clear()
        viewer_key.cache_clear()


def installed() -> bool:
    return bool(_secret)


@lru_cache(maxsize=262_144)
def _key_of_digest(digest: bytes) -> str:
    if not _secret:
        raise RuntimeError("no viewer-key secret installed (audiences.keys.install_secret)")
    return hmac.new(_secret[0], digest, hashlib.sha256).digest()[:16].hex()


def key_of_digest(digest: bytes) -> str:
    """The key of the viewer whose hashed identifier (customer-file form) is `digest`."""
    return _key_of_digest(digest)


@lru_cache(maxsize=262_144)  # a scrolling viewer asks for a slot every few posts
def viewer_key(viewer_id: str) -> str:
    return _key_of_digest(viewer_digest(viewer_id))


def viewer_keys(viewer_ids: Iterable[str]) -> set[str]:
    return {viewer_key(v) for v in viewer_ids}
