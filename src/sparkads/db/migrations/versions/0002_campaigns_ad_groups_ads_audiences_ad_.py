"""campaigns, ad groups, ads, audiences, ad videos"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import (
    counts,
    create_indexes,
    drop_table,
    foreign_keys,
    ids,
    pk,
    times,
)

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        *ids("advertiser_id"),
        sa.Column("endpoint", sa.String(length=40), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        *ids("object_id"),
        *times("created_at"),
        pk("idempotency_keys", "id"),
        sa.UniqueConstraint(
            "advertiser_id",
            "endpoint",
            "request_id",
            name=op.f("uq_idempotency_keys_advertiser_id"),
        ),
    )
    op.create_table(
        "ad_videos",
        *ids("video_id", "advertiser_id"),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        *counts("size"),
        sa.Column("duration", sa.Double(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=32), nullable=False),
        *times("created_at"),
        *foreign_keys("ad_videos", advertiser_id="advertisers"),
        pk("ad_videos", "video_id"),
    )
    create_indexes("ad_videos", "advertiser_id")

    op.create_table(
        "audiences",
        *ids("audience_id", "advertiser_id"),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("audience_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        *times("created_at"),
        *foreign_keys("audiences", advertiser_id="advertisers"),
        pk("audiences", "audience_id"),
    )
    create_indexes("audiences", "advertiser_id")

    op.create_table(
        "campaigns",
        *ids("campaign_id", "advertiser_id"),
        sa.Column("campaign_name", sa.String(length=512), nullable=False),
        sa.Column("objective_type", sa.String(length=32), nullable=False),
        sa.Column("budget_mode", sa.String(length=32), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=True),
        sa.Column("operation_status", sa.String(length=8), nullable=False),
        sa.Column("special_industries", sa.JSON(), nullable=False),
        sa.Column("app_promotion_type", sa.String(length=32), nullable=True),
        sa.Column("po_number", sa.String(length=64), nullable=True),
        *times("create_time", "modify_time"),
        *foreign_keys("campaigns", advertiser_id="advertisers"),
        pk("campaigns", "campaign_id"),
    )
    create_indexes("campaigns", ("ix_campaigns_advertiser", ["advertiser_id", "create_time"]))

    op.create_table(
        "adgroups",
        *ids("adgroup_id", "advertiser_id", "campaign_id"),
        sa.Column("adgroup_name", sa.String(length=512), nullable=False),
        sa.Column("operation_status", sa.String(length=8), nullable=False),
        sa.Column("placement_type", sa.String(length=32), nullable=False),
        sa.Column("placements", sa.JSON(), nullable=False),
        sa.Column("promotion_type", sa.String(length=32), nullable=True),
        sa.Column("optimization_goal", sa.String(length=40), nullable=False),
        sa.Column("billing_event", sa.String(length=8), nullable=False),
        sa.Column("bid_type", sa.String(length=20), nullable=False),
        sa.Column("bid_price", sa.BigInteger(), nullable=True),
        sa.Column("conversion_bid_price", sa.BigInteger(), nullable=True),
        sa.Column("pacing", sa.String(length=24), nullable=False),
        sa.Column("budget_mode", sa.String(length=32), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=True),
        sa.Column("schedule_type", sa.String(length=24), nullable=False),
        *times("schedule_start_time"),
        *times("schedule_end_time", nullable=True),
        sa.Column("dayparting", sa.String(length=336), nullable=True),
        sa.Column("frequency", sa.Integer(), nullable=True),
        sa.Column("frequency_schedule", sa.Integer(), nullable=True),
        sa.Column("targeting", sa.JSON(), nullable=False),
        sa.Column("comment_disabled", sa.Boolean(), nullable=False),
        *times("create_time", "modify_time"),
        *foreign_keys("adgroups", advertiser_id="advertisers", campaign_id="campaigns"),
        pk("adgroups", "adgroup_id"),
    )
    create_indexes(
        "adgroups", ("ix_adgroups_advertiser", ["advertiser_id", "create_time"]), "campaign_id"
    )

    op.create_table(
        "ads",
        *ids("ad_id", "advertiser_id", "campaign_id", "adgroup_id"),
        sa.Column("ad_name", sa.String(length=512), nullable=False),
        sa.Column("operation_status", sa.String(length=8), nullable=False),
        sa.Column("identity_type", sa.String(length=16), nullable=False),
        *ids("identity_id"),
        *ids("identity_authorized_bc_id", nullable=True),
        *ids("tiktok_item_id"),
        sa.Column("ad_format", sa.String(length=16), nullable=False),
        sa.Column("call_to_action", sa.String(length=40), nullable=True),
        sa.Column("landing_page_url", sa.String(length=2048), nullable=True),
        sa.Column("dark_post_status", sa.String(length=3), nullable=False),
        sa.Column("ad_text", sa.String(length=100), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        *times("create_time", "modify_time"),
        *foreign_keys(
            "ads",
            adgroup_id="adgroups",
            advertiser_id="advertisers",
            campaign_id="campaigns",
            identity_id="identities",
            tiktok_item_id="posts.item_id",
        ),
        pk("ads", "ad_id"),
    )
    create_indexes(
        "ads",
        "adgroup_id",
        ("ix_ads_advertiser", ["advertiser_id", "create_time"]),
        ("ix_ads_item", ["tiktok_item_id"]),
    )


def downgrade() -> None:
    drop_table("ads", "ix_ads_item", "ix_ads_advertiser", "ix_ads_adgroup_id")
    drop_table("adgroups", "ix_adgroups_campaign_id", "ix_adgroups_advertiser")
    drop_table("campaigns", "ix_campaigns_advertiser")
    drop_table("audiences", "ix_audiences_advertiser_id")
    drop_table("ad_videos", "ix_ad_videos_advertiser_id")
    op.drop_table("idempotency_keys")
