"""Creative portfolios, pixels, their events and the events they received

CTA portfolios (creative/portfolio/create), pixels (pixel/create), the events a pixel tracks
(pixel/event/create) and each event a pixel received through the advertiser's conversion calls
(counted by pixel/event/stats). The images and sounds of library posts are derived, not stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import ids, key, ref, serial, times

revision = "0017"
down_revision = "0016"

ADVERTISER = "advertisers.advertiser_id"


def upgrade() -> None:
    op.create_table(
        "creative_portfolios",
        key("portfolio_id"),
        ref("advertiser_id", ADVERTISER),
        sa.Column("portfolio_type", sa.String(length=32), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        *times("created_at"),
    )
    op.create_index(
        "ix_creative_portfolios_advertiser_id", "creative_portfolios", ["advertiser_id"]
    )
    op.create_table(
        "pixels",
        key("pixel_id"),
        ref("advertiser_id", ADVERTISER),
        sa.Column("pixel_code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("partner_name", sa.String(length=100), nullable=False),
        *times("created_at"),
        sa.UniqueConstraint("pixel_code", name="uq_pixels_pixel_code"),
    )
    op.create_index("ix_pixels_advertiser_id", "pixels", ["advertiser_id"])
    op.create_table(
        "pixel_events",
        key("event_id"),
        ref("pixel_id", "pixels.pixel_id"),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("statistic_type", sa.String(length=12), nullable=False),
        sa.Column("currency_value", sa.String(length=24), nullable=False),
        *times("created_at"),
        sa.UniqueConstraint("pixel_id", "event_type", name="uq_pixel_events_pixel_id"),
    )
    op.create_index("ix_pixel_events_pixel_id", "pixel_events", ["pixel_id"])
    op.create_table(
        "pixel_receipts",
        serial(primary_key=True),
        ref("pixel_id", "pixels.pixel_id"),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        *times("received_at"),
        *ids("ad_id", nullable=True),
        sa.Column("decision_id", sa.String(length=40), nullable=True),
    )
    op.create_index(
        "ix_pixel_receipts_pixel_received", "pixel_receipts", ["pixel_id", "received_at"]
    )


def downgrade() -> None:
    op.drop_table("pixel_receipts")
    op.drop_table("pixel_events")
    op.drop_table("pixels")
    op.drop_table("creative_portfolios")
