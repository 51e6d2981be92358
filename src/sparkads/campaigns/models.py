from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.campaigns.enums import (
    AdFormat,
    BidType,
    BillingEvent,
    BudgetMode,
    DarkPostStatus,
    Objective,
    OperationStatus,
    OptimizationGoal,
    Pacing,
    PlacementType,
    PromotionType,
    ReviewStatus,
    ScheduleType,
)
from sparkads.db.base import Base, enum_column
from sparkads.db.columns import AdvertiserId, Id, Key


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_advertiser", "advertiser_id", "create_time"),)

    campaign_id: Mapped[Key]
    advertiser_id: Mapped[AdvertiserId]
    campaign_name: Mapped[str] = mapped_column(String(512))
    objective_type: Mapped[Objective] = mapped_column(enum_column(Objective, 32))
    budget_mode: Mapped[BudgetMode] = mapped_column(enum_column(BudgetMode, 32))
    budget: Mapped[int | None] = mapped_column(BigInteger)  # micros
    operation_status: Mapped[OperationStatus] = mapped_column(enum_column(OperationStatus, 8))
    special_industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    app_promotion_type: Mapped[str | None] = mapped_column(String(32))
    po_number: Mapped[str | None] = mapped_column(String(64))
    create_time: Mapped[datetime]
    modify_time: Mapped[datetime]


class AdGroup(Base):
    __tablename__ = "adgroups"
    __table_args__ = (Index("ix_adgroups_advertiser", "advertiser_id", "create_time"),)

    adgroup_id: Mapped[Key]
    advertiser_id: Mapped[AdvertiserId]
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.campaign_id"), index=True)
    adgroup_name: Mapped[str] = mapped_column(String(512))
    operation_status: Mapped[OperationStatus] = mapped_column(enum_column(OperationStatus, 8))
    placement_type: Mapped[PlacementType] = mapped_column(enum_column(PlacementType, 32))
    placements: Mapped[list[str]] = mapped_column(JSON, default=list)
    promotion_type: Mapped[PromotionType | None] = mapped_column(enum_column(PromotionType, 32))
    optimization_goal: Mapped[OptimizationGoal] = mapped_column(enum_column(OptimizationGoal, 40))
    billing_event: Mapped[BillingEvent] = mapped_column(enum_column(BillingEvent, 8))
    bid_type: Mapped[BidType] = mapped_column(enum_column(BidType, 20))
    bid_price: Mapped[int | None] = mapped_column(BigInteger)  # micros
    conversion_bid_price: Mapped[int | None] = mapped_column(BigInteger)  # micros
    pacing: Mapped[Pacing] = mapped_column(enum_column(Pacing, 24))
    budget_mode: Mapped[BudgetMode] = mapped_column(enum_column(BudgetMode, 32))
    budget: Mapped[int | None] = mapped_column(BigInteger)  # micros
    schedule_type: Mapped[ScheduleType] = mapped_column(enum_column(ScheduleType, 24))
    schedule_start_time: Mapped[datetime]
    schedule_end_time: Mapped[datetime | None]
    dayparting: Mapped[str | None] = mapped_column(String(336))
    frequency: Mapped[int | None]
    frequency_schedule: Mapped[int | None]
    targeting: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    comment_disabled: Mapped[bool] = mapped_column(default=False)
    create_time: Mapped[datetime]
    modify_time: Mapped[datetime]


class CreativePortfolio(Base):
    """creative/portfolio/create: a dynamic CTA portfolio (the CTA texts an ad may show). Kept with
    the campaigns (the assets domain creates and lists them): an ad refers to one
    (`Ad.call_to_action_id`) and the snapshot compiler reads its texts for the feed."""

    __tablename__ = "creative_portfolios"

    portfolio_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.advertiser_id"), index=True)
    portfolio_type: Mapped[str] = mapped_column(String(32))
    content: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime]

    @property
    def calls_to_action(self) -> tuple[str, ...]:
        """The portfolio's call_to_action values, in the order they were given."""
        return tuple(str(item["asset_content"]) for item in self.content)


class Ad(Base):
    __tablename__ = "ads"
    __table_args__ = (
        Index("ix_ads_advertiser", "advertiser_id", "create_time"),
        Index("ix_ads_item", "tiktok_item_id"),
        Index("ix_ads_review_status", "review_status", "modify_time"),
    )

    ad_id: Mapped[Key]
    advertiser_id: Mapped[AdvertiserId]
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.campaign_id"))
    adgroup_id: Mapped[str] = mapped_column(ForeignKey("adgroups.adgroup_id"), index=True)
    ad_name: Mapped[str] = mapped_column(String(512))
    operation_status: Mapped[OperationStatus] = mapped_column(enum_column(OperationStatus, 8))
    identity_type: Mapped[str] = mapped_column(String(16))
    identity_id: Mapped[str] = mapped_column(ForeignKey("identities.identity_id"))
    identity_authorized_bc_id: Mapped[str | None] = mapped_column(String(24))
    tiktok_item_id: Mapped[str] = mapped_column(ForeignKey("posts.item_id"))
    ad_format: Mapped[AdFormat] = mapped_column(enum_column(AdFormat, 16))
    call_to_action: Mapped[str | None] = mapped_column(String(40))
    # a dynamic CTA portfolio (CreativePortfolio, type CTA) of the ad account: wins over
    # call_to_action (TikTok's call_to_action_id)
    call_to_action_id: Mapped[str | None] = mapped_column(String(24))
    landing_page_url: Mapped[str | None] = mapped_column(String(2048))
    dark_post_status: Mapped[DarkPostStatus] = mapped_column(
        enum_column(DarkPostStatus, 3), default=DarkPostStatus.OFF
    )
    ad_text: Mapped[str | None] = mapped_column(String(100))
    warnings: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # Ad review (campaigns/review.py): IN_REVIEW, APPROVED or REJECTED; round 2+ is a re-review
    # after an edit (AD_STATUS_REAUDIT); reasons are catalogue codes with their parameters.
    review_status: Mapped[ReviewStatus] = mapped_column(
        enum_column(ReviewStatus, 12), default=ReviewStatus.APPROVED
    )
    review_round: Mapped[int] = mapped_column(default=1)
    review_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reviewed_at: Mapped[datetime | None] = mapped_column(default=None)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")
    create_time: Mapped[datetime]
    modify_time: Mapped[datetime]


class PolicyRule(Base):
    """A content policy rule an operator edits (`sparkads policy`), checked on every ad before
    a reviewer sees it (campaigns/policy.py)."""

    __tablename__ = "policy_rules"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    rule_id: Mapped[Key]
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]


class IdempotencyKey(Base):
    """A create call's request_id: replays answer 40050 instead of creating twice."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("advertiser_id", "endpoint", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    advertiser_id: Mapped[Id]
    endpoint: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[Id]
    created_at: Mapped[datetime]


class AdVideo(Base):
    """A video uploaded for the push flow (R6); becomes an ads-only post when an ad uses it."""

    __tablename__ = "ad_videos"

    video_id: Mapped[Key]
    advertiser_id: Mapped[AdvertiserId] = mapped_column(index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    duration: Mapped[float]
    width: Mapped[int]
    height: Mapped[int]
    signature: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class CampaignDraft(Base):
    """A campaign being built in the web wizard, kept between its steps (POST-redirect-GET): the
    form state of the steps done so far, the step shown, and the problem to show on it, if any.
    Bound to the web session and ad account that started it; gone once launched or a day old."""

    __tablename__ = "campaign_drafts"

    owner_token_id: Mapped[Key]
    draft_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    advertiser_id: Mapped[Id]
    state: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    problem: Mapped[dict[str, object] | None] = mapped_column(JSON, default=None)
    updated_at: Mapped[datetime]
