"""traffic log of feed decision requests and viewer profiles"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.schema import SchemaItem

from sparkads.db.migrations.columns import columns, serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0010"
down_revision = "0009"

BigCount = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _attributes() -> list[SchemaItem]:
    return [
        *strings(country=2, region=8, language=8, nullable=True),
        *columns(sa.SmallInteger(), "age", nullable=True),
        *strings(gender=6, os=8, os_version=8, network=4, nullable=True),
        *columns(sa.Integer(), "device_price", nullable=True),
        *columns(sa.Text(), "interests", "behaviours"),
    ]


def upgrade() -> None:
    create_table(
        "traffic_requests",
        serial(primary_key=True),
        *times("occurred_at"),
        *strings(viewer_key=32),
        *strings(feed_id=40, nullable=True),
        *strings(placement=32),
        *columns(sa.SmallInteger(), "slots"),
        *columns(sa.Integer(), "eligible"),
        *columns(sa.Text(), "eligible_ids", "won"),
        *columns(sa.Float(), "sample_rate"),
        *_attributes(),
        primary_key="id",
        indexes=["occurred_at"],
    )
    create_table(
        "viewer_profiles",
        *strings(viewer_key=32),
        *times("first_seen", "last_seen"),
        *columns(BigCount, "requests"),
        *_attributes(),
        primary_key="viewer_key",
        indexes=["last_seen"],
    )


def downgrade() -> None:
    drop_table("viewer_profiles", "ix_viewer_profiles_last_seen")
    drop_table("traffic_requests", "ix_traffic_requests_occurred_at")
