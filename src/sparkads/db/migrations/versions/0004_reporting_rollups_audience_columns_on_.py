"""reporting rollups, audience columns on events"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import counts, create_indexes, drop_table, ids, pk, times

revision = "0004"
down_revision = "0003"

# the counts of both rollups (hour and day), in column order
COUNTS = (
    "impressions",
    "clicks",
    "conversions",
    "views_2s",
    "views_6s",
    "complete_views",
    "likes",
    "comments",
    "shares",
    "follows",
    "profile_visits",
    "play_ms",
    "spend",
)


def upgrade() -> None:
    op.create_table(
        "rollup_ad_hour",
        *ids("ad_id"),
        *times("hour"),
        *ids("advertiser_id", "campaign_id", "adgroup_id"),
        *counts(*COUNTS),
        pk("rollup_ad_hour", "ad_id", "hour"),
    )
    create_indexes("rollup_ad_hour", ("ix_rollup_advertiser_hour", ["advertiser_id", "hour"]))

    op.create_table(
        "rollup_ad_day",
        *ids("ad_id"),
        sa.Column("day", sa.String(length=10), nullable=False),
        *ids("advertiser_id", "campaign_id", "adgroup_id"),
        *counts(*COUNTS),
        pk("rollup_ad_day", "ad_id", "day"),
    )
    create_indexes("rollup_ad_day", ("ix_rollup_day_advertiser", ["advertiser_id", "day"]))

    op.create_table(
        "rollup_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        *counts("last_event_id"),
        *times("updated_at"),
        pk("rollup_state", "name"),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("country", sa.String(length=2), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("age_group", sa.String(length=12), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("gender", sa.String(length=8), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("gender")
        batch_op.drop_column("age_group")
        batch_op.drop_column("country")

    op.drop_table("rollup_state")
    drop_table("rollup_ad_day", "ix_rollup_day_advertiser")
    drop_table("rollup_ad_hour", "ix_rollup_advertiser_hour")
