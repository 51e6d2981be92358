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
SUMMED = (*COUNTED, "play_ms", "spend")


class _Measures:
    """What happened to one ad in one period: counts of each event, watch time, spend (micros)."""

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
    play_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    spend: Mapped[int] = mapped_column(BigInteger, default=0)


class AdHourRollup(_Measures, Base):
    """Per ad and UTC hour: hourly reports (a day at most)."""

    __tablename__ = "rollup_ad_hour"
    __table_args__ = (Index("ix_rollup_advertiser_hour", "advertiser_id", "hour"),)

    ad_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    hour: Mapped[datetime] = mapped_column(primary_key=True)


class AdDayRollup(_Measures, Base):
    """Per ad and day in the advertiser's timezone: every other report reads these."""

    __tablename__ = "rollup_ad_day"
    __table_args__ = (Index("ix_rollup_day_advertiser", "advertiser_id", "day"),)

    ad_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, local


class RollupState(Base):
    """How far rollups have read the events (the highest event id folded in)."""

    __tablename__ = "rollup_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]
