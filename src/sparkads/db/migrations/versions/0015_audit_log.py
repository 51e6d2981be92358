"""The audit log: who changed what, when, before and after

Written in the same transaction as the change (`db/audit.py`); read per object in the web app and
exported as CSV or JSON.
"""

from __future__ import annotations

import sqlalchemy as sa

from sparkads.db.migrations.columns import columns, ids, serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    create_table(
        "audit_log",
        serial(),
        *times("at"),
        *strings(surface=16, actor_scope=20),
        *ids("actor_id"),
        *strings(actor_role=20),
        *ids("actor_user_id", "actor_token_id", nullable=True),
        *strings(entity=24, entity_id=64),
        *ids("advertiser_id", nullable=True),
        *strings(action=8),
        *columns(sa.JSON(), "before", "after", nullable=True),
        primary_key="id",
        indexes=[
            "at",
            ("ix_audit_log_object", ["entity", "entity_id", "id"]),
            ("ix_audit_log_advertiser", ["advertiser_id", "id"]),
        ],
    )


def downgrade() -> None:
    drop_table("audit_log", "ix_audit_log_advertiser", "ix_audit_log_object", "ix_audit_log_at")
