"""Viewer keys are HMAC-SHA256(secret, SHA-256(id)) cut to 16 bytes, whatever the secret's length
(the intake computes them from pre-keyed hash states rather than `hmac.new`)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import pytest

from sparkads.audiences import keys
from sparkads.audiences.hashing import viewer_digest


@pytest.fixture
def restored() -> Iterator[None]:
    before = list(keys._secret)
    yield
    if before:
        keys.install_secret(before[0])
    else:
        keys._secret.clear()
        keys._keyed.clear()
        keys.viewer_key.cache_clear()
        keys._key_of_digest.cache_clear()


@pytest.mark.parametrize("secret", [b"s", bytes(range(64)), bytes(range(200)), b"\x00" * 32])
def test_keys_are_the_rfc_2104_hmac_of_the_hashed_id(restored: None, secret: bytes) -> None:
    keys.install_secret(secret)
    for viewer_id in ("v1", "  Sim-7-42 ", "é" * 300):
        digest = viewer_digest(viewer_id)
        expected = hmac.new(secret, digest, hashlib.sha256).digest()[:16].hex()
        assert keys.viewer_key(viewer_id) == expected == keys.key_of_digest(digest)


def test_another_secret_gives_other_keys(restored: None) -> None:
    keys.install_secret(b"one")
    first = keys.viewer_key("v1")
    keys.install_secret(b"two")
    assert keys.viewer_key("v1") != first
    keys.install_secret(b"one")
    assert keys.viewer_key("v1") == first


def test_the_uncached_key_is_the_same_key(restored: None) -> None:
    keys.install_secret(b"three")
    assert keys.key_of_new_viewer(" V9 ") == keys.viewer_key(" V9 ") == keys.viewer_key("v9")


@pytest.mark.parametrize("secret", [b"s", bytes(range(200))])
def test_a_batch_of_new_viewers_gets_the_rfc_2104_keys(restored: None, secret: bytes) -> None:
    """The intake's batch keying (CPython's own SHA-256 where built, cheaper on short inputs than
    OpenSSL's) gives the HMAC of `hmac.new`, for short, multi-block and non-ASCII ids."""
    keys.install_secret(secret)
    ids = ["v1", "  Sim-7-42 ", "é" * 300, "x" * 55, "x" * 56, "x" * 64, ""]
    expected = [hmac.new(secret, viewer_digest(v), hashlib.sha256).digest()[:16].hex() for v in ids]
    assert keys.keys_of_new_viewers(ids) == expected
    assert [keys.key_of_new_viewer(v) for v in ids] == expected


def test_the_small_inputs_hash_is_sha_256() -> None:
    made = keys._small_inputs_sha256()
    for data in (b"", b"abc", bytes(range(256)) * 3):
        copy = made(data).copy()
        copy.update(b"more")
        assert made(data).digest() == hashlib.sha256(data).digest()
        assert copy.digest() == hashlib.sha256(data + b"more").digest()
