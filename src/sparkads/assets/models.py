from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.campaigns.models import CreativePortfolio
from sparkads.db.base import Base, BigCount

__all__ = ["CreativePortfolio", "Pixel", "PixelEvent", "PixelReceipt"]


class Pixel(Base):
    """pixel/create: an ad account's conversion source; the advertiser's conversion calls name
    it by its code."""

    __tablename__ = "pixels"

    pixel_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.advertiser_id"), index=True)
    pixel_code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(24))
    partner_name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]


class PixelEvent(Base):
    """pixel/event/create: an event a pixel tracks (a TikTok standard event type)."""

    __tablename__ = "pixel_events"
    __table_args__ = (UniqueConstraint("pixel_id", "event_type"),)

    event_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    pixel_id: Mapped[str] = mapped_column(ForeignKey("pixels.pixel_id"), index=True)
    event_type: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    statistic_type: Mapped[str] = mapped_column(String(12))
    currency_value: Mapped[str] = mapped_column(String(24), default="")
    created_at: Mapped[datetime]


class PixelReceipt(Base):
    """One event a pixel received (POST /api/v1/conversions naming the pixel and event), with
    the ad it was attributed to, if any: what pixel/event/stats counts."""

    __tablename__ = "pixel_receipts"
    __table_args__ = (Index("ix_pixel_receipts_pixel_received", "pixel_id", "received_at"),)

    id: Mapped[int] = mapped_column(BigCount, primary_key=True, autoincrement=True)
    pixel_id: Mapped[str] = mapped_column(ForeignKey("pixels.pixel_id"))
    event_type: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime]
    ad_id: Mapped[str | None] = mapped_column(String(24))
    # the decision the conversion was credited to: the pixel receives a conversion once per
    # decision and event, however many times it is reported (a retry, the feed's own event)
    decision_id: Mapped[str | None] = mapped_column(String(40))
