"""Domain commands: what the campaign, ad group and ad services are asked to do, in domain terms.

The TikTok v1.3 wire bodies (`api/open_api/campaign_schemas.py`, `ad_schemas.py`) are mapped to these by the open API
(`api/open_api/commands.py`), the web app maps its forms to them, and the simulator builds them
directly. Money is in micros of the advertiser's currency, times are aware datetimes, choices are
enums; a field left at None is not given (for a change: left as it is)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sparkads.authorizations.models import IdentityType
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
    ScheduleType,
)


@dataclass(frozen=True, kw_only=True)
class NewCampaign:
    campaign_name: str
    objective_type: Objective
    budget_mode: BudgetMode
    budget: int | None = None
    operation_status: OperationStatus = OperationStatus.ENABLE
    request_id: str | None = None
    special_industries: tuple[str, ...] = ()
    app_promotion_type: str | None = None
    po_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class CampaignChange:
    campaign_id: str
    campaign_name: str | None = None
    budget_mode: BudgetMode | None = None
    budget: int | None = None
    special_industries: tuple[str, ...] | None = None
    po_number: str | None = None


@dataclass(frozen=True, kw_only=True)
class AdGroupPlan:
    """What a new ad group and a change of one both may say."""

    placement_type: PlacementType | None = None
    placements: tuple[str, ...] | None = None
    # the targeting fields given (campaigns.targeting.Targeting names); a change merges them in
    targeting: Mapping[str, object] = field(default_factory=dict)
    budget: int | None = None
    schedule_start_time: datetime | None = None
    schedule_end_time: datetime | None = None
    dayparting: str | None = None
    frequency: int | None = None
    frequency_schedule: int | None = None
    comment_disabled: bool | None = None
    bid_price: int | None = None
    conversion_bid_price: int | None = None


@dataclass(frozen=True, kw_only=True)
class NewAdGroup:
    campaign_id: str
    adgroup_name: str
    budget_mode: BudgetMode
    schedule_type: ScheduleType
    optimization_goal: OptimizationGoal
    billing_event: BillingEvent
    bid_type: BidType = BidType.CUSTOM
    pacing: Pacing = Pacing.SMOOTH
    promotion_type: PromotionType | None = None
    operation_status: OperationStatus = OperationStatus.ENABLE
    request_id: str | None = None
    plan: AdGroupPlan = field(default_factory=AdGroupPlan)


@dataclass(frozen=True, kw_only=True)
class AdGroupChange:
    adgroup_id: str
    adgroup_name: str | None = None
    budget_mode: BudgetMode | None = None
    schedule_type: ScheduleType | None = None
    bid_type: BidType | None = None
    pacing: Pacing | None = None
    plan: AdGroupPlan = field(default_factory=AdGroupPlan)


@dataclass(frozen=True, kw_only=True)
class NewCreative:
    """A Spark ad: an identity and its post (`tiktok_item_id`), or a new video to publish."""

    identity_type: IdentityType
    identity_id: str
    identity_authorized_bc_id: str | None = None
    ad_name: str = ""
    ad_format: AdFormat | None = None  # None: the post's own format
    tiktok_item_id: str | None = None
    video_id: str | None = None
    ad_text: str | None = None
    call_to_action: str | None = None
    call_to_action_id: str | None = None  # a dynamic CTA portfolio: wins over call_to_action
    landing_page_url: str | None = None
    dark_post_status: DarkPostStatus | None = None
    operation_status: OperationStatus = OperationStatus.ENABLE


@dataclass(frozen=True, kw_only=True)
class CreativeChange:
    ad_id: str
    ad_name: str | None = None
    identity_type: IdentityType | None = None
    identity_id: str | None = None
    identity_authorized_bc_id: str | None = None
    ad_format: AdFormat | None = None
    tiktok_item_id: str | None = None
    video_id: str | None = None  # refused: a published ad keeps its post
    call_to_action: str | None = None
    call_to_action_id: str | None = None
    landing_page_url: str | None = None
