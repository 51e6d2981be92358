"""Hashed identifiers (pure): how a customer file is read and how a viewer is matched against it.

sparkads knows a person by the opaque `viewer_id` a feed sends with each decision request. A
viewer's hashed identifier is the SHA-256 of that id, trimmed and lower-cased, written as 64
lower-case hexadecimal digits:

    sha256(viewer_id.strip().lower().encode("utf-8")).hexdigest()

An advertiser whose own app sends its user ids as viewer ids hashes them the same way. Every SHA-256
`calculate_type` (EMAIL_SHA256, PHONE_SHA256, IDFA_SHA256, ...) is matched like this, since each
sparkads viewer has exactly one identifier; MD5 types are refused rather than silently matching
nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sparkads.i18n import N_, LocalText

SHA256_TYPES = frozenset(
    {
        "EMAIL_SHA256",
        "PHONE_SHA256",
        "IDFA_SHA256",
        "GAID_SHA256",
        "MAID_SHA256",
        "FIRST_SHA256",
        "MULTIPLE_TYPES",
    }
)
MD5_TYPES = frozenset({"IDFA_MD5", "GAID_MD5", "MAID_MD5", "FIRST_MD5"})
DIGEST_BYTES = 32
MAX_IDENTIFIERS = 1_000_000  # per file
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CELLS = re.compile(r"[,;\t ]+")


class HashFileError(ValueError):
    """The upload is not a file of SHA-256 identifiers: why, as a catalogue text (`text`)."""

    def __init__(self, text: LocalText) -> None:
        super().__init__(str(text))
        self.text = text


def hash_viewer_id(viewer_id: str) -> str:
    return hashlib.sha256(viewer_id.strip().lower().encode("utf-8")).hexdigest()


def viewer_digest(viewer_id: str) -> bytes:
    return hashlib.sha256(viewer_id.strip().lower().encode("utf-8")).digest()


@dataclass(frozen=True)
class ParsedFile:
    digests: bytes  # the distinct 32-byte digests, sorted and concatenated
    count: int
    rejected_lines: int  # non-empty lines without a SHA-256 (headers, typos, other hashes)


def parse_hash_file(content: bytes) -> ParsedFile:
    """One identifier per line (.txt), or CSV cells (`,` `;` tab): every cell that is 64 hex
    digits counts, any case, quotes trimmed. A header line simply counts as rejected."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HashFileError(LocalText(N_("the file is not UTF-8 text"))) from None
    found: set[bytes] = set()
    rejected = 0
    for line in text.splitlines():
        cells = [c.strip().strip("\"'").lower() for c in _CELLS.split(line.strip()) if c]
        hashes = [bytes.fromhex(c) for c in cells if _HEX64.match(c)]
        if not hashes:
            rejected += bool(cells)
            continue
        found.update(hashes)
        if len(found) > MAX_IDENTIFIERS:
            raise HashFileError(
                LocalText(N_("more than {most} identifiers in one file"), {"most": MAX_IDENTIFIERS})
            )
    if not found:
        raise HashFileError(
            LocalText(N_("no SHA-256 identifier (64 hexadecimal digits) in the file"))
        )
    return ParsedFile(b"".join(sorted(found)), len(found), rejected)


def split_digests(blob: bytes) -> Iterator[bytes]:
    for start in range(0, len(blob), DIGEST_BYTES):
        yield blob[start : start + DIGEST_BYTES]
