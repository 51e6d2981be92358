"""The traffic log (sampled feed decision requests) and viewer profiles (every viewer seen).

Viewer ids are never stored: only `viewer_key`, a keyed hash (`keys.py`). Attributes are stored
as the intake clipped them to the catalogue (`attributes.sanitize`), never raw, packed in one text
column (`attributes.packed`); loaded rows read each by name (`row.country`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base, BigCount
from sparkads.traffic.attributes import ATTRIBUTES, unpacked


class _Unpacked:
    """One attribute read from a loaded row's `attributes` text (for code reading ORM rows; the
    readers of many rows select `attributes` and decode it a distinct text at a time)."""

    def __init__(self, index: int) -> None:
        self.index = index

    def __get__(self, row: _Attributes | None, owner: type | None = None) -> str | int | None:
        if row is None:
            raise AttributeError("a stored attribute is read on a row")
        return unpacked(row.attributes)[self.index]


class _Attributes:
    # the viewer's attributes as one text (`traffic.attributes.packed`, migration 0019):
    # "country|region|language|age|gender|os|os version|network|device price|interests|behaviours"
    attributes: Mapped[str] = mapped_column(Text, default="")


for _index, _name in enumerate(ATTRIBUTES):
    setattr(_Attributes, _name, _Unpacked(_index))


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
