"""sealed Spark codes on collaborations (tcm/tt_video/status/ returns them to the brand)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 18:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("collaborations") as batch:
        batch.add_column(sa.Column("sealed_code", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("collaborations") as batch:
        batch.drop_column("sealed_code")
