"""The change feed: a row per change to what the delivery snapshot reads

Written in the same transaction as the change (`db/change_feed.py`); every serve process polls it
and applies the changes to its snapshot as deltas.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import pk, serial, times

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "change_log",
        serial(),
        sa.Column("entity", sa.String(16), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        *times("at"),
        pk("change_log", "id"),
    )
    op.create_index(op.f("ix_change_log_at"), "change_log", ["at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_change_log_at"), table_name="change_log")
    op.drop_table("change_log")
