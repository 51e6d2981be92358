from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base


class CollaborationKind(StrEnum):
    POST = "POST"  # sponsor a post the creator already published
    BRIEF = "BRIEF"  # the creator makes a post for the brand's brief


class CollaborationStatus(StrEnum):
    INVITED = "INVITED"
    ACCEPTED = "ACCEPTED"  # the post is authorized and in the advertiser's library
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


class CreatorProfile(Base):
    """A creator's marketplace opt-in: what they declare. Their audience and engagement are never
    typed in; they are computed from events and post counters (`creator_stats.py`)."""

    __tablename__ = "creator_profiles"

    creator_id: Mapped[str] = mapped_column(ForeignKey("creators.creator_id"), primary_key=True)
    sector: Mapped[str] = mapped_column(String(40), index=True)
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    asking_fee: Mapped[int] = mapped_column(BigInteger)  # micros of EUR, per sponsored post
    opted_in: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Collaboration(Base):
    """An advertiser's invitation to a creator, for an existing post or a brief, at an agreed fee;
    accepted, it holds the Spark authorization that put the post in the advertiser's library."""

    __tablename__ = "collaborations"
    __table_args__ = (
        Index("ix_collaborations_creator", "creator_id", "created_at"),
        Index("ix_collaborations_advertiser", "advertiser_id", "created_at"),
    )

    collaboration_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.advertiser_id"))
    creator_id: Mapped[str] = mapped_column(ForeignKey("creators.creator_id"))
    kind: Mapped[str] = mapped_column(String(8))
    item_id: Mapped[str | None] = mapped_column(ForeignKey("posts.item_id"))
    brief: Mapped[str] = mapped_column(String(2000), default="")
    message: Mapped[str] = mapped_column(String(500), default="")
    fee: Mapped[int] = mapped_column(BigInteger)  # agreed fee, micros of EUR
    duration_days: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default=CollaborationStatus.INVITED.value)
    authorization_id: Mapped[str | None] = mapped_column(ForeignKey("spark_codes.authorization_id"))
    # the accepted code, sealed for this brand (sealing.py): TCM's status call returns it
    sealed_code: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
