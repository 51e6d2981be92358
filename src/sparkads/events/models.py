from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("decision_id", "event_type"),
        Index("ix_events_ad_time", "ad_id", "occurred_at"),
        Index("ix_events_viewer", "advertiser_id", "viewer_id", "event_type", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    decision_id: Mapped[str] = mapped_column(String(40))
    event_type: Mapped[str] = mapped_column(String(16))
    advertiser_id: Mapped[str] = mapped_column(String(24))
    campaign_id: Mapped[str] = mapped_column(String(24))
    adgroup_id: Mapped[str] = mapped_column(String(24))
    ad_id: Mapped[str] = mapped_column(String(24))
    item_id: Mapped[str] = mapped_column(String(24))
    viewer_id: Mapped[str] = mapped_column(String(64))
    # who saw it, for audience reports (from the decision request; empty when unknown)
    country: Mapped[str] = mapped_column(String(2), default="", server_default="")
    age_group: Mapped[str] = mapped_column(String(12), default="", server_default="")
    gender: Mapped[str] = mapped_column(String(8), default="", server_default="")
    platform: Mapped[str] = mapped_column(String(8), default="", server_default="")  # ANDROID|IOS
    province_id: Mapped[str] = mapped_column(String(24), default="", server_default="")
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime]
    billing: Mapped[str] = mapped_column(String(8))  # the decision's billing event and goal,
    goal: Mapped[str] = mapped_column(String(40))  # kept so later conversions can be billed
    price: Mapped[int] = mapped_column(BigInteger)  # the decision's price per billed event
    cost: Mapped[int] = mapped_column(BigInteger, default=0)  # micros billed for this event
    billing_note: Mapped[str | None] = mapped_column(String(16))  # e.g. "over_budget"


class SpendEntry(Base):
    """The spend ledger: one row per billed event, in the advertiser's currency (micros)."""

    __tablename__ = "spend_ledger"
    __table_args__ = (
        Index("ix_spend_adgroup_day", "adgroup_id", "local_day"),
        Index("ix_spend_campaign_day", "campaign_id", "local_day"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    advertiser_id: Mapped[str] = mapped_column(String(24), index=True)
    campaign_id: Mapped[str] = mapped_column(String(24))
    adgroup_id: Mapped[str] = mapped_column(String(24))
    ad_id: Mapped[str] = mapped_column(String(24), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    local_day: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime]
