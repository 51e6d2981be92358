from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base
from sparkads.db.columns import AdvertiserId, Key

MIN_TARGETABLE_SIZE = 1_000  # privacy floor: smaller audiences cannot be targeted


class AudienceKind(StrEnum):
    """`audience_type` as the v1.3 list shows it."""

    CUSTOMER_FILE = "Customer File Audience"
    ENGAGEMENT = "Engagement Audience"
    LOOKALIKE = "Lookalike Audience"


class Audience(Base):
    __tablename__ = "audiences"

    audience_id: Mapped[Key]
    advertiser_id: Mapped[AdvertiserId] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(128))
    audience_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(default=0)  # matched viewers: the members stored below
    created_at: Mapped[datetime]
    audience_sub_type: Mapped[str] = mapped_column(
        String(20), default="NORMAL", server_default="NORMAL"
    )
    calculate_type: Mapped[str | None] = mapped_column(String(20))
    submitted: Mapped[int] = mapped_column(default=0, server_default="0")  # identifiers sent
    # How to rebuild the members: file paths, an engagement rule or a lookalike spec.
    definition: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source_audience_id: Mapped[str | None] = mapped_column(String(24), index=True)
    auto_refresh: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Bumped whenever the members change, so caches of memberships know when to reload.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    refreshed_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]


class AudienceMember(Base):
    """One matched viewer of an audience: what the delivery snapshot loads."""

    __tablename__ = "audience_members"

    audience_id: Mapped[str] = mapped_column(
        ForeignKey("audiences.audience_id", ondelete="CASCADE"), primary_key=True
    )
    viewer_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class AudienceFile(Base):
    """An uploaded file of hashed identifiers (dmp/custom_audience/file/upload/), kept as the
    sorted 32-byte SHA-256 digests it held, until audiences are created from it."""

    __tablename__ = "audience_files"

    file_path: Mapped[str] = mapped_column(String(64), primary_key=True)
    advertiser_id: Mapped[AdvertiserId] = mapped_column(index=True)
    calculate_type: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(255), default="")
    signature: Mapped[str] = mapped_column(String(32))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    hash_count: Mapped[int] = mapped_column(Integer)
    rejected_lines: Mapped[int] = mapped_column(Integer, default=0)
    digests: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
