from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base, enum_column
from sparkads.db.columns import AdvertiserId, Count, Id, Key


class TokenScope(StrEnum):
    ADVERTISER = "advertiser"
    BUSINESS_CENTER = "business_center"
    CREATOR = "creator"
    OPERATOR = "operator"
    FEED = "feed"  # an app that shows posts: asks for decisions, reports events


class BusinessCenter(Base):
    __tablename__ = "business_centers"

    bc_id: Mapped[Key]
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Advertiser(Base):
    __tablename__ = "advertisers"

    advertiser_id: Mapped[Key]
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    bc_id: Mapped[str | None] = mapped_column(ForeignKey("business_centers.bc_id"), index=True)
    created_at: Mapped[datetime]


class Creator(Base):
    __tablename__ = "creators"

    creator_id: Mapped[Key]
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="")
    sector: Mapped[str] = mapped_column(String(40), default="")
    followers: Mapped[Count]
    paid_followers: Mapped[Count]
    bio: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]


class Role(StrEnum):
    """TikTok Business Center roles: admin (everything, people and tokens included), operator
    (campaigns, ads, codes), analyst (reads only). On the platform's own operator tokens: reviewer
    (approves and rejects ads, decides appeals; no takedowns, no sandbox clock)."""

    ADMIN = "admin"
    OPERATOR = "operator"
    ANALYST = "analyst"
    REVIEWER = "reviewer"


class AccessToken(Base):
    __tablename__ = "access_tokens"
    __table_args__ = (Index("ix_access_tokens_subject", "scope", "subject_id"),)

    token_id: Mapped[Key]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, 20))
    subject_id: Mapped[Id]
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    role: Mapped[Role] = mapped_column(enum_column(Role, 20), default=Role.ADMIN)
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    # a web session's token (made at sign-in, revoked at sign-out), not one a person named
    web_session: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[str | None] = mapped_column(String(24), default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)  # web sessions' idle time
    # a web session opened with a pasted API token: that token (revoking it ends the session)
    opened_with: Mapped[str | None] = mapped_column(String(24), default=None, index=True)
    # a token a developer app obtained through oauth2/access_token/, and the ad accounts the
    # person approved for it (space-separated); empty for tokens made any other way
    app_id: Mapped[str | None] = mapped_column(String(24), default=None, index=True)
    advertiser_ids: Mapped[str] = mapped_column(String(2000), default="")


class User(Base):
    """A person who signs in with an email and a password (Argon2id)."""

    __tablename__ = "users"

    user_id: Mapped[Key]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    password_changed_at: Mapped[datetime]


class Membership(Base):
    """What a person may act as: a Business Center with a role (and, if `advertiser_ids` is not
    empty, only those of its ad accounts), or a creator account."""

    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_user", "user_id"),)

    membership_id: Mapped[Key]
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, 20))  # BC or creator
    subject_id: Mapped[Id]
    role: Mapped[Role] = mapped_column(enum_column(Role, 20))
    advertiser_ids: Mapped[str] = mapped_column(String(2000), default="")  # space-separated
    created_at: Mapped[datetime]


class PasswordReset(Base):
    __tablename__ = "password_resets"

    reset_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DemoAccount(Base):
    """An account anyone may sign in as, without a token, on a sandbox server (`sparkads demo`
    marks its world's accounts; `create --demo` marks one). Any other account needs its token."""

    __tablename__ = "demo_accounts"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # a TokenScope value
    subject_id: Mapped[Key]
    created_at: Mapped[datetime]


class DeveloperApp(Base):
    """A program that asks advertisers for access, TikTok's way: an operator registers it (app id,
    a secret shown once and stored as a digest, the redirect URIs it may send people back to)."""

    __tablename__ = "developer_apps"

    app_id: Mapped[Key]
    name: Mapped[str] = mapped_column(String(100))
    secret_hash: Mapped[str] = mapped_column(String(64))
    redirect_uris: Mapped[str] = mapped_column(String(2000))  # one per line
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None] = mapped_column(default=None)


class AuthCode(Base):
    """What a person approved on the authorization page, until the app exchanges it for a token:
    single use, short-lived, stored as a digest."""

    __tablename__ = "oauth_auth_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("developer_apps.app_id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.user_id"))
    bc_id: Mapped[Id]
    advertiser_ids: Mapped[str] = mapped_column(String(2000))  # space-separated
    role: Mapped[str] = mapped_column(String(20))
    redirect_uri: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None] = mapped_column(default=None)


class PartnerShare(Base):
    """An ad account a Business Center shares with a partner Business Center (bc/partner/add/):
    the partner's tokens act on it with this role (ADMIN or OPERATOR)."""

    __tablename__ = "bc_partner_shares"
    __table_args__ = (
        UniqueConstraint("bc_id", "partner_id", "asset_id"),
        Index("ix_bc_partner_shares_partner", "partner_id", "asset_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    bc_id: Mapped[str] = mapped_column(ForeignKey("business_centers.bc_id"))
    partner_id: Mapped[str] = mapped_column(ForeignKey("business_centers.bc_id"))
    asset_id: Mapped[AdvertiserId]
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
