"""delivery secret, events, spend ledger"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sparkads.db.migrations.shapes import counts, create_indexes, drop_table, ids, pk, serial, times

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "events",
        serial(),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("event_type", sa.String(length=16), nullable=False),
        *ids("advertiser_id", "campaign_id", "adgroup_id", "ad_id", "item_id"),
        sa.Column("viewer_id", sa.String(length=64), nullable=False),
        *times("occurred_at", "received_at"),
        sa.Column("billing", sa.String(length=8), nullable=False),
        sa.Column("goal", sa.String(length=40), nullable=False),
        *counts("price", "cost"),
        sa.Column("billing_note", sa.String(length=16), nullable=True),
        pk("events", "id"),
        sa.UniqueConstraint("decision_id", "event_type", name=op.f("uq_events_decision_id")),
    )
    create_indexes(
        "events",
        ("ix_events_ad_time", ["ad_id", "occurred_at"]),
        ("ix_events_viewer", ["advertiser_id", "viewer_id", "event_type", "occurred_at"]),
    )

    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        *times("created_at"),
        pk("server_secrets", "name"),
    )
    op.create_table(
        "spend_ledger",
        serial(),
        *counts("event_id"),
        *ids("advertiser_id", "campaign_id", "adgroup_id", "ad_id"),
        *counts("amount"),
        sa.Column("local_day", sa.String(length=10), nullable=False),
        *times("at"),
        pk("spend_ledger", "id"),
        sa.UniqueConstraint("event_id", name=op.f("uq_spend_ledger_event_id")),
    )
    create_indexes(
        "spend_ledger",
        ("ix_spend_adgroup_day", ["adgroup_id", "local_day"]),
        ("ix_spend_campaign_day", ["campaign_id", "local_day"]),
        "ad_id",
        "advertiser_id",
    )


def downgrade() -> None:
    drop_table(
        "spend_ledger",
        "ix_spend_ledger_advertiser_id",
        "ix_spend_ledger_ad_id",
        "ix_spend_campaign_day",
        "ix_spend_adgroup_day",
    )
    op.drop_table("server_secrets")
    drop_table("events", "ix_events_viewer", "ix_events_ad_time")
