"""security: demo accounts (the only ones a sandbox signs in without a token)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_accounts",
        sa.Column("kind", sa.String(length=20), primary_key=True),
        sa.Column("subject_id", sa.String(length=24), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("demo_accounts")
