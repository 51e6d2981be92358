"""Creative portfolios, pixels, their events and the events they received

CTA portfolios (creative/portfolio/create), pixels (pixel/create), the events a pixel tracks
(pixel/event/create) and each event a pixel received through the advertiser's conversion calls
(counted by pixel/event/stats). The images and sounds of library posts are derived, not stored.
"""

from __future__ import annotations

import sqlalchemy as sa

from sparkads.db.migrations.columns import columns, ids, key, ref, serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0017"
down_revision = "0016"

ADVERTISER = "advertisers.advertiser_id"


def upgrade() -> None:
    create_table(
        "creative_portfolios",
        key("portfolio_id"),
        ref("advertiser_id", ADVERTISER),
        *strings(portfolio_type=32),
        *columns(sa.JSON(), "content"),
        *times("created_at"),
        indexes=["advertiser_id"],
    )
    create_table(
        "pixels",
        key("pixel_id"),
        ref("advertiser_id", ADVERTISER),
        *strings(pixel_code=24, name=100, category=24, partner_name=100),
        *times("created_at"),
        unique=("pixel_code",),
        indexes=["advertiser_id"],
    )
    create_table(
        "pixel_events",
        key("event_id"),
        ref("pixel_id", "pixels.pixel_id"),
        *strings(event_type=40, name=100, statistic_type=12, currency_value=24),
        *times("created_at"),
        unique=("pixel_id", "event_type"),
        indexes=["pixel_id"],
    )
    create_table(
        "pixel_receipts",
        serial(primary_key=True),
        ref("pixel_id", "pixels.pixel_id"),
        *strings(event_type=40),
        *times("received_at"),
        *ids("ad_id", nullable=True),
        *strings(decision_id=40, nullable=True),
        indexes=[("ix_pixel_receipts_pixel_received", ["pixel_id", "received_at"])],
    )


def downgrade() -> None:
    drop_table("pixel_receipts")
    drop_table("pixel_events")
    drop_table("pixels")
    drop_table("creative_portfolios")
