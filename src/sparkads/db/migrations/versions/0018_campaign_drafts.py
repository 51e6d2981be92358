"""campaign drafts: the web wizard's state kept server-side between its steps (POST-redirect-GET)"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import ids, key, times

revision = "0018"
down_revision = "0017"


def upgrade() -> None:
    op.create_table(
        "campaign_drafts",
        key("owner_token_id"),
        sa.Column("draft_id", sa.String(length=32), primary_key=True),
        *ids("advertiser_id"),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=True),
        *times("updated_at"),
    )


def downgrade() -> None:
    op.drop_table("campaign_drafts")
