"""reporting rollups, audience columns on events"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.columns import counts, ids, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

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
    create_table(
        "rollup_ad_hour",
        *ids("ad_id"),
        *times("hour"),
        *ids("advertiser_id", "campaign_id", "adgroup_id"),
        *counts(*COUNTS),
        primary_key=("ad_id", "hour"),
        indexes=[("ix_rollup_advertiser_hour", ["advertiser_id", "hour"])],
    )
    create_table(
        "rollup_ad_day",
        *ids("ad_id"),
        *strings(day=10),
        *ids("advertiser_id", "campaign_id", "adgroup_id"),
        *counts(*COUNTS),
        primary_key=("ad_id", "day"),
        indexes=[("ix_rollup_day_advertiser", ["advertiser_id", "day"])],
    )
    create_table(
        "rollup_state",
        *strings(name=40),
        *counts("last_event_id"),
        *times("updated_at"),
        primary_key="name",
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

    drop_table("rollup_state")
    drop_table("rollup_ad_day", "ix_rollup_day_advertiser")
    drop_table("rollup_ad_hour", "ix_rollup_advertiser_hour")
