"""campaigns, ad groups, ads, audiences, ad videos"""

from __future__ import annotations

import sqlalchemy as sa

from sparkads.db.migrations.columns import columns, counts, ids, int_serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    create_table(
        "idempotency_keys",
        int_serial(),
        *ids("advertiser_id"),
        *strings(endpoint=40, request_id=64),
        *ids("object_id"),
        *times("created_at"),
        primary_key="id",
        unique=("advertiser_id", "endpoint", "request_id"),
    )
    create_table(
        "ad_videos",
        *ids("video_id", "advertiser_id"),
        *strings(file_name=255),
        *counts("size"),
        *columns(sa.Double(), "duration"),
        *columns(sa.Integer(), "width", "height"),
        *strings(signature=32),
        *times("created_at"),
        references={"advertiser_id": "advertisers"},
        primary_key="video_id",
        indexes=["advertiser_id"],
    )
    create_table(
        "audiences",
        *ids("audience_id", "advertiser_id"),
        *strings(name=128, audience_type=40),
        *columns(sa.Integer(), "size"),
        *times("created_at"),
        references={"advertiser_id": "advertisers"},
        primary_key="audience_id",
        indexes=["advertiser_id"],
    )
    create_table(
        "campaigns",
        *ids("campaign_id", "advertiser_id"),
        *strings(campaign_name=512, objective_type=32, budget_mode=32),
        *columns(sa.BigInteger(), "budget", nullable=True),
        *strings(operation_status=8),
        *columns(sa.JSON(), "special_industries"),
        *strings(app_promotion_type=32, po_number=64, nullable=True),
        *times("create_time", "modify_time"),
        references={"advertiser_id": "advertisers"},
        primary_key="campaign_id",
        indexes=[("ix_campaigns_advertiser", ["advertiser_id", "create_time"])],
    )
    create_table(
        "adgroups",
        *ids("adgroup_id", "advertiser_id", "campaign_id"),
        *strings(adgroup_name=512, operation_status=8, placement_type=32),
        *columns(sa.JSON(), "placements"),
        *strings(promotion_type=32, nullable=True),
        *strings(optimization_goal=40, billing_event=8, bid_type=20),
        *columns(sa.BigInteger(), "bid_price", "conversion_bid_price", nullable=True),
        *strings(pacing=24, budget_mode=32),
        *columns(sa.BigInteger(), "budget", nullable=True),
        *strings(schedule_type=24),
        *times("schedule_start_time"),
        *times("schedule_end_time", nullable=True),
        *strings(dayparting=336, nullable=True),
        *columns(sa.Integer(), "frequency", "frequency_schedule", nullable=True),
        *columns(sa.JSON(), "targeting"),
        *columns(sa.Boolean(), "comment_disabled"),
        *times("create_time", "modify_time"),
        references={"advertiser_id": "advertisers", "campaign_id": "campaigns"},
        primary_key="adgroup_id",
        indexes=[("ix_adgroups_advertiser", ["advertiser_id", "create_time"]), "campaign_id"],
    )
    create_table(
        "ads",
        *ids("ad_id", "advertiser_id", "campaign_id", "adgroup_id"),
        *strings(ad_name=512, operation_status=8, identity_type=16),
        *ids("identity_id"),
        *ids("identity_authorized_bc_id", nullable=True),
        *ids("tiktok_item_id"),
        *strings(ad_format=16),
        *strings(call_to_action=40, landing_page_url=2048, nullable=True),
        *strings(dark_post_status=3),
        *strings(ad_text=100, nullable=True),
        *columns(sa.JSON(), "warnings"),
        *times("create_time", "modify_time"),
        references={
            "adgroup_id": "adgroups",
            "advertiser_id": "advertisers",
            "campaign_id": "campaigns",
            "identity_id": "identities",
            "tiktok_item_id": "posts.item_id",
        },
        primary_key="ad_id",
        indexes=[
            "adgroup_id",
            ("ix_ads_advertiser", ["advertiser_id", "create_time"]),
            ("ix_ads_item", ["tiktok_item_id"]),
        ],
    )


def downgrade() -> None:
    drop_table("ads", "ix_ads_item", "ix_ads_advertiser", "ix_ads_adgroup_id")
    drop_table("adgroups", "ix_adgroups_campaign_id", "ix_adgroups_advertiser")
    drop_table("campaigns", "ix_campaigns_advertiser")
    drop_table("audiences", "ix_audiences_advertiser_id")
    drop_table("ad_videos", "ix_ad_videos_advertiser_id")
    drop_table("idempotency_keys")
