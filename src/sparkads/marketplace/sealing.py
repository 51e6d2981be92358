"""Spark codes a brand obtained through the marketplace are kept sealed (AES-GCM), so
`tcm/tt_video/status/` can hand the code back to the brand that asked for it, as TikTok's Creator
Marketplace does, while the codes table itself keeps only digests.

The key is the current one of the `sealing` key set (sparkads.keys: outside the database), and a
sealed code starts with its key id (`k1a2b3c4:...`), so keys rotate. Codes sealed before the key
set existed (no key id) still open with the key made once per database (`server_secrets`)."""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Table
from sqlalchemy.orm import Session

from sparkads import keys as sparkads_keys
from sparkads.clock import Clock
from sparkads.db.dialect import insert_ignoring_duplicates
from sparkads.delivery.models import ServerSecret
from sparkads.keys import KeySet

KEY_NAME = "marketplace_codes"
NONCE_BYTES = 12


def _key(session: Session, clock: Clock) -> bytes:
    row = session.get(ServerSecret, KEY_NAME)
    if row is None:  # first use: made once, whichever process gets there first
        table = ServerSecret.__table__
        assert isinstance(table, Table)
        statement = insert_ignoring_duplicates(session, table, ["name"])
        session.execute(
            statement.values(name=KEY_NAME, value=secrets.token_hex(32), created_at=clock.now())
        )
        row = session.get_one(ServerSecret, KEY_NAME, populate_existing=True)
    return bytes.fromhex(row.value)


def seal(
    session: Session, clock: Clock, code: str, *, context: str, keys: KeySet | None = None
) -> str:
    """The code encrypted and bound to `context` (the collaboration id): it opens nowhere else."""
    if keys:
        return sparkads_keys.seal(keys, code.encode(), context=context)
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(_key(session, clock)).encrypt(nonce, code.encode(), context.encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(
    session: Session, clock: Clock, sealed: str, *, context: str, keys: KeySet | None = None
) -> str | None:
    """The code, or None if the sealed text was altered, belongs to another context, or was
    sealed with a key the key set no longer has."""
    if sparkads_keys.sealed_with(sealed):
        opened = sparkads_keys.unseal(keys, sealed, context=context) if keys else None
        return opened.decode() if opened is not None else None
    raw = base64.urlsafe_b64decode(sealed.encode())
    try:
        plain = AESGCM(_key(session, clock)).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()
        )
    except InvalidTag:
        return None
    return plain.decode()
