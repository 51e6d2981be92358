from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base

MIN_TARGETABLE_SIZE = 1_000  # privacy floor: smaller audiences cannot be targeted


class Audience(Base):
    __tablename__ = "audiences"

    audience_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.advertiser_id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    audience_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
