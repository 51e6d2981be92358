"""The change feed: a row per change to what the delivery snapshot reads

Written in the same transaction as the change (`db/change_feed.py`); every serve process polls it
and applies the changes to its snapshot as deltas.
"""

from __future__ import annotations

from sparkads.db.migrations.columns import serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    create_table(
        "change_log",
        serial(),
        *strings(entity=16, key=64),
        *times("at"),
        primary_key="id",
        indexes=["at"],
    )


def downgrade() -> None:
    drop_table("change_log", "ix_change_log_at")
