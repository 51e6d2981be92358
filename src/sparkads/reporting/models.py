from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base

COUNTED = (
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
)


class AdHourRollup(Base):
    """What happened to one ad in one UTC hour: counts of each event, and spend (micros)."""

    __tablename__ = "rollup_ad_hour"
    __table_args__ = (Index("ix_rollup_advertiser_hour", "advertiser_id", "hour"),)

    ad_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(String(24))
    campaign_id: Mapped[str] = mapped_column(String(24))
    adgroup_id: Mapped[str] = mapped_column(String(24))
    impressions: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    conversions: Mapped[int] = mapped_column(BigInteger, default=0)
    views_2s: Mapped[int] = mapped_column(BigInteger, default=0)
    views_6s: Mapped[int] = mapped_column(BigInteger, default=0)
    complete_views: Mapped[int] = mapped_column(BigInteger, default=0)
    likes: Mapped[int] = mapped_column(BigInteger, default=0)
    comments: Mapped[int] = mapped_column(BigInteger, default=0)
    shares: Mapped[int] = mapped_column(BigInteger, default=0)
    follows: Mapped[int] = mapped_column(BigInteger, default=0)
    profile_visits: Mapped[int] = mapped_column(BigInteger, default=0)
    spend: Mapped[int] = mapped_column(BigInteger, default=0)


class RollupState(Base):
    """How far rollups have read the events (the highest event id folded in)."""

    __tablename__ = "rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]
