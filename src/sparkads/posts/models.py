from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base
from sparkads.db.columns import Count, Key


class ItemType(StrEnum):
    VIDEO = "VIDEO"
    CAROUSEL = "CAROUSEL"


class PostFormat(StrEnum):
    STANDARD = "STANDARD"
    STORY = "STORY"
    DUET = "DUET"
    STITCH = "STITCH"
    CAROUSEL_DUET = "CAROUSEL_DUET"


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"
    FRIENDS = "FRIENDS"
    PRIVATE = "PRIVATE"


class PostStatus(StrEnum):
    ACTIVE = "ACTIVE"
    DELETED = "DELETED"
    TAKEN_DOWN = "TAKEN_DOWN"


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_creator_published", "creator_id", "published_at"),)

    item_id: Mapped[Key]
    creator_id: Mapped[str] = mapped_column(ForeignKey("creators.creator_id"))
    item_type: Mapped[str] = mapped_column(String(12))
    format: Mapped[str] = mapped_column(String(16))
    caption: Mapped[str] = mapped_column(String(2200), default="")
    duration: Mapped[float | None] = mapped_column(Float)
    width: Mapped[int] = mapped_column(default=1080)
    height: Mapped[int] = mapped_column(default=1920)
    size_bytes: Mapped[Count]
    visibility: Mapped[str] = mapped_column(String(10))
    ads_only: Mapped[bool] = mapped_column(default=False)
    music_title: Mapped[str | None] = mapped_column(String(200))
    music_cleared: Mapped[bool] = mapped_column(default=False)
    anchors: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    images: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    original_item_id: Mapped[str | None] = mapped_column(ForeignKey("posts.item_id"))
    status: Mapped[str] = mapped_column(String(12), default=PostStatus.ACTIVE.value)
    status_reason: Mapped[str] = mapped_column(String(300), default="")
    organic_views: Mapped[Count]
    organic_likes: Mapped[Count]
    organic_comments: Mapped[Count]
    organic_shares: Mapped[Count]
    paid_views: Mapped[Count]
    paid_likes: Mapped[Count]
    paid_comments: Mapped[Count]
    paid_shares: Mapped[Count]
    paid_profile_visits: Mapped[Count]
    caption_locked_at: Mapped[datetime | None]
    # A takedown's appeal by the creator: "" (none), PENDING, REINSTATED or UPHELD.
    appeal_status: Mapped[str] = mapped_column(String(12), default="")
    appeal_text: Mapped[str] = mapped_column(String(1000), default="")
    appealed_at: Mapped[datetime | None] = mapped_column(default=None)
    published_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PostHistory(Base):
    """Append-only log of what happened to a post (visibility changes, caption lock, takedown...)."""

    __tablename__ = "post_history"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("posts.item_id"), index=True)
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
