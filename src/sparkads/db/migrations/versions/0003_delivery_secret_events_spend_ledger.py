"""delivery secret, events, spend ledger"""

from __future__ import annotations

from sparkads.db.migrations.columns import counts, ids, serial, strings, times
from sparkads.db.migrations.shapes import create_table, drop_table

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    create_table(
        "events",
        serial(),
        *strings(decision_id=40, event_type=16),
        *ids("advertiser_id", "campaign_id", "adgroup_id", "ad_id", "item_id"),
        *strings(viewer_id=64),
        *times("occurred_at", "received_at"),
        *strings(billing=8, goal=40),
        *counts("price", "cost"),
        *strings(billing_note=16, nullable=True),
        primary_key="id",
        unique=("decision_id", "event_type"),
        indexes=[
            ("ix_events_ad_time", ["ad_id", "occurred_at"]),
            ("ix_events_viewer", ["advertiser_id", "viewer_id", "event_type", "occurred_at"]),
        ],
    )
    create_table(
        "server_secrets",
        *strings(name=40, value=128),
        *times("created_at"),
        primary_key="name",
    )
    create_table(
        "spend_ledger",
        serial(),
        *counts("event_id"),
        *ids("advertiser_id", "campaign_id", "adgroup_id", "ad_id"),
        *counts("amount"),
        *strings(local_day=10),
        *times("at"),
        primary_key="id",
        unique=("event_id",),
        indexes=[
            ("ix_spend_adgroup_day", ["adgroup_id", "local_day"]),
            ("ix_spend_campaign_day", ["campaign_id", "local_day"]),
            "ad_id",
            "advertiser_id",
        ],
    )


def downgrade() -> None:
    drop_table(
        "spend_ledger",
        "ix_spend_ledger_advertiser_id",
        "ix_spend_ledger_ad_id",
        "ix_spend_campaign_day",
        "ix_spend_adgroup_day",
    )
    drop_table("server_secrets")
    drop_table("events", "ix_events_viewer", "ix_events_ad_time")
