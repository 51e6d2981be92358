from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base
from sparkads.db.columns import AdvertiserId, Id, Key


class IdentityType(StrEnum):
    AUTH_CODE = "AUTH_CODE"
    TT_USER = "TT_USER"
    BC_AUTH_TT = "BC_AUTH_TT"


class AccessKind(StrEnum):
    BUSINESS_CENTER = "BUSINESS_CENTER"  # R11: a BC asks for a creator's whole account
    ADVERTISER_ACCOUNT = "ADVERTISER_ACCOUNT"  # R6: an advertiser links its own TikTok account


class AccessStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    ENDED = "ENDED"


class SparkCode(Base):
    """An ad authorization a creator enabled on one post, for 7, 30, 60 or 365 days (R9)."""

    __tablename__ = "spark_codes"

    authorization_id: Mapped[Key]
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    code_hint: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[str] = mapped_column(ForeignKey("posts.item_id"), index=True)
    creator_id: Mapped[str] = mapped_column(ForeignKey("creators.creator_id"), index=True)
    duration_days: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Identity(Base):
    """Who an ad speaks as: a creator account, reached through a code, an own-account link or a BC."""

    __tablename__ = "identities"
    __table_args__ = (Index("ix_identities_owner", "identity_type", "advertiser_id", "bc_id"),)

    identity_id: Mapped[Key]
    identity_type: Mapped[str] = mapped_column(String(16))
    creator_id: Mapped[str] = mapped_column(ForeignKey("creators.creator_id"), index=True)
    advertiser_id: Mapped[str | None] = mapped_column(ForeignKey("advertisers.advertiser_id"))
    bc_id: Mapped[str | None] = mapped_column(ForeignKey("business_centers.bc_id"))
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class LibraryItem(Base):
    """A post in an advertiser's creative library, through the Spark code that put it there (R10)."""

    __tablename__ = "library_items"
    __table_args__ = (UniqueConstraint("advertiser_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    advertiser_id: Mapped[AdvertiserId] = mapped_column(index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("posts.item_id"))
    authorization_id: Mapped[str] = mapped_column(ForeignKey("spark_codes.authorization_id"))
    original_authorization_id: Mapped[str | None] = mapped_column(
        ForeignKey("spark_codes.authorization_id")
    )
    identity_id: Mapped[str] = mapped_column(ForeignKey("identities.identity_id"))
    bound_at: Mapped[datetime]
    unbound_at: Mapped[datetime | None]


class AccessRequest(Base):
    """A request to use a creator's whole account; its id is the unguessable secret in the link."""

    __tablename__ = "access_requests"

    request_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    bc_id: Mapped[str | None] = mapped_column(ForeignKey("business_centers.bc_id"), index=True)
    advertiser_id: Mapped[str | None] = mapped_column(ForeignKey("advertisers.advertiser_id"))
    creator_id: Mapped[str | None] = mapped_column(ForeignKey("creators.creator_id"), index=True)
    message: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(12), default=AccessStatus.PENDING.value)
    identity_id: Mapped[str | None] = mapped_column(ForeignKey("identities.identity_id"))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(20))


class BcAssetAssignment(Base):
    """An asset of a Business Center shared with one of its members (bc/asset/assign/), with the
    member's roles on it: for an ad account ADMIN, OPERATOR or ANALYST; for a TikTok account
    POST, LIVE, DIRECT_MESSAGE. Members are the Business Center's access tokens."""

    __tablename__ = "bc_asset_assignments"
    __table_args__ = (UniqueConstraint("bc_id", "user_id", "asset_type", "asset_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    bc_id: Mapped[str] = mapped_column(ForeignKey("business_centers.bc_id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("access_tokens.token_id"))
    asset_type: Mapped[str] = mapped_column(String(16))
    asset_id: Mapped[Id]
    roles: Mapped[str] = mapped_column(String(100))  # comma-separated
    assigned_at: Mapped[datetime]


class CustomIdentity(Base):
    """A CUSTOMIZED_USER identity (identity/create/): a display name and an image an advertiser
    made up, not a creator's account. Spark ads speak as creators only, so ads cannot use it;
    identity/get/ lists it as TikTok does."""

    __tablename__ = "custom_identities"
    __table_args__ = (Index("ix_custom_identities_advertiser", "advertiser_id", "created_at"),)

    identity_id: Mapped[Key]
    advertiser_id: Mapped[AdvertiserId]
    display_name: Mapped[str] = mapped_column(String(100))
    image_uri: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
