"""The Spark code format (pure).

A code reads `SPK` + 26 random characters + 1 check character + 2 digest characters, all from
Crockford's base-32 alphabet (no I, L, O, U), 32 characters in all, one word so a double click
selects it whole.

- 26 random characters carry 130 bits from `secrets`: codes cannot be guessed.
- The check character is Luhn mod 32 over the random part: it catches every single-character
  substitution and most adjacent swaps, without any lookup.
- The 2 digest characters (10 bits of SHA-256 over everything before them) catch what Luhn misses
  and any change to the check character itself.
- Only a SHA-256 digest of the code is stored, so a copy of the database does not reveal codes.
"""

from __future__ import annotations

import hashlib
import secrets

from sparkads.i18n import N_, LocalText

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
PREFIX = "SPK"
RANDOM_CHARS = 26
LENGTH = len(PREFIX) + RANDOM_CHARS + 1 + 2


class CodeFormatError(ValueError):
    """Why a string is not a Spark code, shown to the user: `text` in the reader's language (str()
    is the English)."""

    def __init__(self, msgid: str, **params: object) -> None:
        self.text = LocalText(msgid, params)
        super().__init__(str(self.text))


def _luhn_check(chars: str) -> str:
    n, factor, total = len(ALPHABET), 2, 0
    for ch in reversed(chars):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def _digest_chars(chars: str) -> str:
    bits = int.from_bytes(hashlib.sha256(chars.encode()).digest()[:2], "big") >> 6
    return ALPHABET[bits >> 5] + ALPHABET[bits & 31]


def _seal(random_part: str) -> str:
    body = PREFIX + random_part + _luhn_check(random_part)
    return body + _digest_chars(body)


def generate() -> str:
    return _seal("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS)))


def normalize(raw: str) -> str:
    """Codes are case-insensitive and survive surrounding whitespace from copy and paste."""
    return "".join(raw.split()).upper()


def parse(raw: str) -> str:
    """The canonical code, or CodeFormatError saying what is wrong with it."""
    code = normalize(raw)
    if not code.startswith(PREFIX):
        raise CodeFormatError(N_("a Spark code starts with {prefix}"), prefix=PREFIX)
    if len(code) != LENGTH:
        raise CodeFormatError(
            N_("a Spark code has {length} characters, this one has {given}"),
            length=LENGTH,
            given=len(code),
        )
    for position, ch in enumerate(code[len(PREFIX) :], start=len(PREFIX) + 1):
        if ch not in _INDEX:
            raise CodeFormatError(
                N_("character {character!r} at position {position} cannot appear in a code"),
                character=ch,
                position=position,
            )
    random_part = code[len(PREFIX) : len(PREFIX) + RANDOM_CHARS]
    if _seal(random_part) != code:
        raise CodeFormatError(N_("the checksum does not match, a character is wrong"))
    return code


def hint(code: str) -> str:
    """What listings show: enough to recognise a code, not enough to use it."""
    return f"{code[:5]}…{code[-4:]}"


def digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
