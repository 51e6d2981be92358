"""campaign drafts: the web wizard's state kept server-side between its steps (POST-redirect-GET)"""

from __future__ import annotations

import sqlalchemy as sa

from sparkads.db.migrations.columns import columns, ids, key, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    create_table(
        "campaign_drafts",
        key("owner_token_id"),
        sa.Column("draft_id", sa.String(length=32), primary_key=True),
        *ids("advertiser_id"),
        *columns(sa.JSON(), "state"),
        *columns(sa.JSON(), "problem", nullable=True),
        *times("updated_at"),
    )


def downgrade() -> None:
    drop_table("campaign_drafts")
