"""delivery reasons per ad group and hour: why an ad group was (not) served, kept across restarts

The engine counts its reasons in memory; the rollup folder adds what was counted since its last
turn to the hour's rows (`reporting.reason_hours`), so the delivery status and the delivery page
read the last days from here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"


def upgrade() -> None:
    op.create_table(
        "delivery_reason_hours",
        sa.Column("adgroup_id", sa.String(24), primary_key=True),
        sa.Column("hour", sa.String(13), primary_key=True),
        sa.Column("reason", sa.String(24), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("delivery_reason_hours")
