"""traffic log of feed decision requests and viewer profiles"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import serial, times

revision = "0010"
down_revision = "0009"

BigCount = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _attributes() -> list[sa.Column[object]]:
    return [
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("region", sa.String(8), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("age", sa.SmallInteger(), nullable=True),
        sa.Column("gender", sa.String(6), nullable=True),
        sa.Column("os", sa.String(8), nullable=True),
        sa.Column("os_version", sa.String(8), nullable=True),
        sa.Column("network", sa.String(4), nullable=True),
        sa.Column("device_price", sa.Integer(), nullable=True),
        sa.Column("interests", sa.Text(), nullable=False),
        sa.Column("behaviours", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "traffic_requests",
        serial(primary_key=True),
        *times("occurred_at"),
        sa.Column("viewer_key", sa.String(32), nullable=False),
        sa.Column("feed_id", sa.String(40), nullable=True),
        sa.Column("placement", sa.String(32), nullable=False),
        sa.Column("slots", sa.SmallInteger(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("eligible_ids", sa.Text(), nullable=False),
        sa.Column("won", sa.Text(), nullable=False),
        sa.Column("sample_rate", sa.Float(), nullable=False),
        *_attributes(),
        sa.PrimaryKeyConstraint("id", name="pk_traffic_requests"),
    )
    op.create_index("ix_traffic_requests_occurred_at", "traffic_requests", ["occurred_at"])
    op.create_table(
        "viewer_profiles",
        sa.Column("viewer_key", sa.String(32), nullable=False),
        *times("first_seen", "last_seen"),
        sa.Column("requests", BigCount, nullable=False),
        *_attributes(),
        sa.PrimaryKeyConstraint("viewer_key", name="pk_viewer_profiles"),
    )
    op.create_index("ix_viewer_profiles_last_seen", "viewer_profiles", ["last_seen"])


def downgrade() -> None:
    op.drop_index("ix_viewer_profiles_last_seen", "viewer_profiles")
    op.drop_table("viewer_profiles")
    op.drop_index("ix_traffic_requests_occurred_at", "traffic_requests")
    op.drop_table("traffic_requests")
