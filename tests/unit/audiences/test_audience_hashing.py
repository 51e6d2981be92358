"""Customer files: how identifiers are hashed and how files of hashes are read."""

from __future__ import annotations

import hashlib

import pytest

from sparkads.audiences.hashing import (
    HashFileError,
    hash_viewer_id,
    parse_hash_file,
    split_digests,
    viewer_digest,
)


def test_viewer_hash_is_sha256_of_the_trimmed_lowercased_id() -> None:
    expected = hashlib.sha256(b"sim-7-42").hexdigest()
    assert hash_viewer_id("  SIM-7-42 ") == expected
    assert viewer_digest("sim-7-42").hex() == expected


def test_file_keeps_distinct_hashes_in_any_case_and_counts_rejected_lines() -> None:
    a, b = hash_viewer_id("a"), hash_viewer_id("b")
    content = f'email_sha256\n{a}\n{a.upper()}\n\n"{b}";not-a-hash\nnot a hash\n'.encode()
    parsed = parse_hash_file(content)
    assert parsed.count == 2
    assert parsed.rejected_lines == 2  # the header and the line without a hash
    assert sorted(d.hex() for d in split_digests(parsed.digests)) == sorted([a, b])


def test_csv_cells_all_count() -> None:
    a, b = hash_viewer_id("a"), hash_viewer_id("b")
    assert parse_hash_file(f"{a},{b}\r\n".encode()).count == 2


def test_file_without_any_sha256_is_refused() -> None:
    with pytest.raises(HashFileError, match="no SHA-256"):
        parse_hash_file(b"5d41402abc4b2a76b9719d911017c592\n")  # an MD5


def test_binary_file_is_refused() -> None:
    with pytest.raises(HashFileError, match="UTF-8"):
        parse_hash_file(b"\xff\xfe\x00\x81")
