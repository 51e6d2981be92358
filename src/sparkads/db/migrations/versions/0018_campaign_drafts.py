"""campaign drafts: the web wizard's state kept server-side between its steps (POST-redirect-GET)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_drafts",
        sa.Column("owner_token_id", sa.String(length=24), primary_key=True),
        sa.Column("draft_id", sa.String(length=32), primary_key=True),
        sa.Column("advertiser_id", sa.String(length=24), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("campaign_drafts")
