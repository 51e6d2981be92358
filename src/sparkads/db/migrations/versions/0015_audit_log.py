"""The audit log: who changed what, when, before and after

Written in the same transaction as the change (`db/audit.py`); read per object in the web app and
exported as CSV or JSON.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import ids, pk, serial, times

revision = "0015"
down_revision = "0014"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        serial(),
        *times("at"),
        sa.Column("surface", sa.String(16), nullable=False),
        sa.Column("actor_scope", sa.String(20), nullable=False),
        *ids("actor_id"),
        sa.Column("actor_role", sa.String(20), nullable=False),
        *ids("actor_user_id", "actor_token_id", nullable=True),
        sa.Column("entity", sa.String(24), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        *ids("advertiser_id", nullable=True),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        pk("audit_log", "id"),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"])
    op.create_index("ix_audit_log_object", "audit_log", ["entity", "entity_id", "id"])
    op.create_index("ix_audit_log_advertiser", "audit_log", ["advertiser_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_advertiser", table_name="audit_log")
    op.drop_index("ix_audit_log_object", table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
