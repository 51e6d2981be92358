"""The traffic log (sampled feed decision requests) and viewer profiles (every viewer seen).

Viewer ids are never stored: only `viewer_key`, a keyed hash (`keys.py`). Attributes are stored
as the intake clipped them to the catalogue (`attributes.sanitize`), never raw."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base, BigCount


class _Attributes:
    country: Mapped[str | None] = mapped_column(String(2))
    region: Mapped[str | None] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(8))
    age: Mapped[int | None] = mapped_column(SmallInteger)
    gender: Mapped[str | None] = mapped_column(String(6))
    os: Mapped[str | None] = mapped_column(String(8))
    os_version: Mapped[str | None] = mapped_column(String(8))
    network: Mapped[str | None] = mapped_column(String(4))
    device_price: Mapped[int | None] = mapped_column(Integer)
    interests: Mapped[str] = mapped_column(Text, default="")  # catalogue ids, comma-separated
    behaviours: Mapped[str] = mapped_column(Text, default="")  # scene:action:category:days;…


class TrafficRequest(_Attributes, Base):
    """One sampled `POST /api/v1/feed/decisions`: who asked (attributes), what could serve, what
    won at which price. `sample_rate` is the share of requests logged when it was written."""

    __tablename__ = "traffic_requests"
    __table_args__ = (Index("ix_traffic_requests_occurred_at", "occurred_at"),)

    id: Mapped[int] = mapped_column(BigCount, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime]
    viewer_key: Mapped[str] = mapped_column(String(32))
    feed_id: Mapped[str | None] = mapped_column(String(40))
    placement: Mapped[str] = mapped_column(String(32))
    slots: Mapped[int] = mapped_column(SmallInteger)
    eligible: Mapped[int] = mapped_column(Integer)  # ad groups whose targeting accepted the viewer
    eligible_ids: Mapped[str] = mapped_column(Text, default="")  # the first 20, comma-separated
    won: Mapped[str] = mapped_column(Text, default="")  # adgroup:ad:price micros:billing;…
    sample_rate: Mapped[float] = mapped_column(Float)


class ViewerProfile(_Attributes, Base):
    """A viewer as the feeds last described them, with when they were first and last seen."""

    __tablename__ = "viewer_profiles"
    __table_args__ = (Index("ix_viewer_profiles_last_seen", "last_seen"),)

    viewer_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    requests: Mapped[int] = mapped_column(BigCount, default=0)
