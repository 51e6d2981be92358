"""recommendation dismissals: `recommendation_dismissals`, one row per dismissed card

An advertiser may dismiss a recommendation (one per object and kind); the row keeps what the card
said and proposed and the spend it affected then, so the card comes back only when its evidence
changes materially. Undo deletes the row. Both are audited.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"


def upgrade() -> None:
    op.create_table(
        "recommendation_dismissals",
        sa.Column("dismissal_id", sa.String(length=80), primary_key=True),
        sa.Column("advertiser_id", sa.String(length=24), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("object_id", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("spend_affected", sa.BigInteger(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_recommendation_dismissals_advertiser", "recommendation_dismissals", ["advertiser_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_recommendation_dismissals_advertiser", "recommendation_dismissals")
    op.drop_table("recommendation_dismissals")
