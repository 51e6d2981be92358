"""Viewer keys: what the traffic log, profiles and audience memberships store instead of a viewer
id (pure, once the deployment's secret is installed).

key = HMAC-SHA256(secret, SHA-256(viewer id)), its first 16 bytes in hex. The inner SHA-256 is the
hashed identifier advertisers upload in customer files (`hashing.viewer_digest`), so a file's
digests are matched by keying them the same way; nothing stored can be turned back into a viewer
id without the secret. The secret is created once per deployment (`delivery.store.viewer_secret`)
and installed in each process at start."""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Protocol, cast

from sparkads.audiences.hashing import viewer_digest


class _Sha256(Protocol):
    def copy(self) -> _Sha256: ...
    def update(self, data: bytes, /) -> None: ...
    def digest(self) -> bytes: ...


def _small_inputs_sha256() -> Callable[[bytes], _Sha256]:
    """CPython's own SHA-256 (`_sha256`), the same digests as OpenSSL's: for the intake's short
    inputs (a viewer id, a 32-byte digest) it costs 0.88 against 1.09 µs a key, OpenSSL 3's
    per-call overhead (context copies and fetches) outweighing its faster block function;
    `hashlib.sha256` where the module is not built."""
    try:
        return cast(Callable[[bytes], _Sha256], importlib.import_module("_sha256").sha256)
    except (ImportError, AttributeError):
        return cast(Callable[[bytes], _Sha256], hashlib.sha256)


_SHA256 = _small_inputs_sha256()

_secret: list[bytes] = []
# HMAC's inner and outer SHA-256 states once keyed (RFC 2104): a key is then two copies and two
# updates, half the cost of `hmac.new` per call (the intake keys every new viewer).
_keyed: list[tuple[_Sha256, _Sha256]] = []
_BLOCK = 64  # SHA-256's block size


def install_secret(secret: bytes) -> None:
    if _secret != [secret]:
        _secret[:] = [secret]
        padded = (hashlib.sha256(secret).digest() if len(secret) > _BLOCK else secret).ljust(
            _BLOCK, b"\0"
        )
        _keyed[:] = [
            (
                _SHA256(bytes(b ^ 0x36 for b in padded)),
                _SHA256(bytes(b ^ 0x5C for b in padded)),
            )
        ]
        _key_of_digest.cache_clear()
        viewer_key.cache_clear()


def installed() -> bool:
    return bool(_secret)


@lru_cache(maxsize=262_144)
def _key_of_digest(digest: bytes) -> str:
    return _keyed_hash(digest)


def _keyed_hash(digest: bytes) -> str:
    if not _keyed:
        raise RuntimeError("no viewer-key secret installed (audiences.keys.install_secret)")
    inner, outer = _keyed[0][0].copy(), _keyed[0][1].copy()
    inner.update(digest)
    outer.update(inner.digest())
    return str(outer.digest()[:16].hex())


def key_of_digest(digest: bytes) -> str:
    """The key of the viewer whose hashed identifier (customer-file form) is `digest`."""
    return _key_of_digest(digest)


@lru_cache(maxsize=262_144)  # a scrolling viewer asks for a slot every few posts
def viewer_key(viewer_id: str) -> str:
    return _key_of_digest(viewer_digest(viewer_id))


def key_of_new_viewer(viewer_id: str) -> str:
    """`viewer_key` without its caches, for a caller that keeps the key itself (the traffic
    intake remembers each viewer's): no cache entry made or evicted."""
    return _keyed_hash(viewer_digest(viewer_id))


def keys_of_new_viewers(viewer_ids: Iterable[str]) -> list[str]:
    """`key_of_new_viewer` of each, in one loop (the intake keys a batch of new viewers)."""
    if not _keyed:
        raise RuntimeError("no viewer-key secret installed (audiences.keys.install_secret)")
    inner, outer = _keyed[0]
    sha256, keys = _SHA256, []
    for viewer_id in viewer_ids:
        keyed_in, keyed_out = inner.copy(), outer.copy()
        keyed_in.update(sha256(viewer_id.strip().lower().encode("utf-8")).digest())
        keyed_out.update(keyed_in.digest())
        keys.append(keyed_out.digest()[:16].hex())
    return keys


def viewer_keys(viewer_ids: Iterable[str]) -> set[str]:
    return {viewer_key(v) for v in viewer_ids}
