"""Server keys, kept outside the database: the HMAC keys that sign decision tokens and the AES keys
that seal marketplace codes.

They come from `SPARKADS_KEYS` (the JSON below, e.g. from a secret manager) or from a key file
(`SPARKADS_KEYS_FILE`, default `var/keys.json`), generated on first run with mode 0600. Each key
has an id; what is signed or sealed names the id of its key, so a new key can become current
(`sparkads keys rotate`) while tokens and codes made with older keys still verify until they are
removed from the file. A copy of the database alone cannot forge a token or open a sealed code.

    {"decision_tokens": {"current": "k1a2b3c", "keys": {"k1a2b3c": "<64 hex>"}},
     "sealing": {"current": "...", "keys": {...}}}
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PURPOSES = ("decision_tokens", "sealing")
KEY_BYTES = 32


class KeyFileError(RuntimeError):
    """The key file or SPARKADS_KEYS cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class KeySet:
    """The keys of one purpose: `current` signs or seals; all of them verify or open."""

    current: str
    keys: Mapping[str, bytes]

    @property
    def current_key(self) -> bytes:
        return self.keys[self.current]


@dataclass(frozen=True)
class Keyring:
    decision_tokens: KeySet
    sealing: KeySet


def new_key_id() -> str:
    return "k" + secrets.token_hex(4)


def _fresh() -> dict[str, object]:
    made: dict[str, object] = {}
    for purpose in PURPOSES:
        kid = new_key_id()
        made[purpose] = {"current": kid, "keys": {kid: secrets.token_hex(KEY_BYTES)}}
    return made


def parse(text: str, where: str) -> Keyring:
    try:
        data = json.loads(text)
        sets = {}
        for purpose in PURPOSES:
            entry = data[purpose]
            keys = {str(kid): bytes.fromhex(value) for kid, value in entry["keys"].items()}
            current = str(entry["current"])
            if current not in keys or any(len(k) < 16 for k in keys.values()):
                raise ValueError(f"{purpose}: current key missing or a key under 16 bytes")
            sets[purpose] = KeySet(current, keys)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise KeyFileError(
            f"{where} is not a sparkads key set ({error}); see docs/security.md"
        ) from None
    return Keyring(decision_tokens=sets["decision_tokens"], sealing=sets["sealing"])


def load(keys_json: str = "", keys_file: str | Path = "var/keys.json") -> Keyring:
    """The keyring from SPARKADS_KEYS if given, else from the key file, made on first run."""
    if keys_json:
        return parse(keys_json, "SPARKADS_KEYS")
    path = Path(keys_file)
    if not path.exists():
        _create(path, json.dumps(_fresh(), indent=2))
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"{path} can be read by other users (mode {stat.filemode(mode)}): "
            f"run `chmod 600 {path}`"
        )
    return parse(path.read_text(), str(path))


def _create(path: Path, text: str) -> None:
    """Write a new key file readable by its owner only; if another process made it first, keep
    theirs (so every process of one server shares the same keys)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as sink:
        sink.write(text)
    try:
        os.link(temporary, path)  # fails if the file exists: the first writer wins
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


def rotate(keys_file: str | Path, purpose: str, *, drop_older: bool = False) -> str:
    """Make a new current key for `purpose`; older keys stay (to verify what they signed) unless
    `drop_older`. Returns the new key id. Running servers pick it up when restarted."""
    if purpose not in PURPOSES:
        raise KeyFileError(f"{purpose!r} is not one of {', '.join(PURPOSES)}")
    path = Path(keys_file)
    load(keys_file=path)  # made if missing, checked
    data = json.loads(path.read_text())
    kid = new_key_id()
    keys = {} if drop_older else dict(data[purpose]["keys"])
    keys[kid] = secrets.token_hex(KEY_BYTES)
    data[purpose] = {"current": kid, "keys": keys}
    replacement = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(replacement, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as sink:
        sink.write(json.dumps(data, indent=2))
    os.replace(replacement, path)
    return kid


NONCE_BYTES = 12


def seal(keys: KeySet, plain: bytes, *, context: str) -> str:
    """`plain` encrypted (AES-GCM) with the current key and bound to `context`, as
    `<key id>:<base64 of nonce + ciphertext>`: it opens only with that key and that context."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(keys.current_key).encrypt(nonce, plain, context.encode())
    return f"{keys.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def sealed_with(sealed: str) -> str | None:
    """The id of the key a sealed text names (None for text sealed before key ids)."""
    key_id, colon, _ = sealed.partition(":")
    return key_id if colon else None


def unseal(keys: KeySet, sealed: str, *, context: str) -> bytes | None:
    """What `seal` sealed, or None if it was altered, sealed for another context, or with a key
    the set no longer has."""
    key_id, _, text = sealed.partition(":")
    key = keys.keys.get(key_id)
    if key is None:
        return None
    raw = base64.urlsafe_b64decode(text.encode())
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag:
        return None
