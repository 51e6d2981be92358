"""Bodies of campaign/ and adgroup/ (create, update), with TikTok v1.3 names
(`api/open_api/wire.py` for the base and the fields refused)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from sparkads.api.open_api.wire import Money, RequestId, TikTokModel, Toggle
from sparkads.campaigns.enums import (
    BidType,
    BillingEvent,
    BudgetMode,
    Objective,
    OptimizationGoal,
    Pacing,
    PlacementType,
    PromotionType,
    ScheduleType,
)
from sparkads.campaigns.targeting import Action, Targeting
from sparkads.ids import IdStr


class CampaignCreate(TikTokModel):
    ALIASES: ClassVar[dict[str, str]] = {
        "aepp_promotion_type": "app_promotion_type",
        "bid_atlign_type": "bid_align_type",
    }
    UNSUPPORTED = frozenset(
        {
            "bid_type",
            "optimization_goal",
            "deep_bid_type",
            "roas_bid",
            "virtual_objective_type",
            "sales_destination",
            "app_id",
            "is_search_campaign",
            "is_advanced_dedicated_campaign",
            "disable_skan_campaign",
            "campaign_app_profile_page_state",
            "rf_campaign_type",
            "campaign_product_source",
            "rta_id",
            "rta_bid_enabled",
            "rta_product_selection_enabled",
            "postback_window_mode",
            "catalog_enabled",
            "bid_align_type",
        }
    )
    DEFAULT_ONLY: ClassVar[dict[str, object]] = {
        "budget_optimize_on": False,
        "campaign_type": "REGULAR_CAMPAIGN",
    }

    advertiser_id: IdStr
    campaign_name: Annotated[str, Field(min_length=1, max_length=512)]
    objective_type: Objective
    budget_mode: BudgetMode
    budget: Money | None = None
    operation_status: Toggle = "ENABLE"
    request_id: RequestId | None = None
    special_industries: list[Literal["HOUSING", "EMPLOYMENT", "CREDIT"]] = Field(
        default_factory=list
    )
    app_promotion_type: Literal["APP_INSTALL", "APP_RETARGETING", "APP_PREREGISTRATION"] | None = (
        None
    )
    po_number: Annotated[str | None, Field(max_length=64)] = None


class CampaignUpdate(TikTokModel):
    UNSUPPORTED = CampaignCreate.UNSUPPORTED
    DEFAULT_ONLY = CampaignCreate.DEFAULT_ONLY

    advertiser_id: IdStr
    campaign_id: IdStr
    campaign_name: Annotated[str | None, Field(min_length=1, max_length=512)] = None
    budget_mode: BudgetMode | None = None
    budget: Money | None = None
    special_industries: list[Literal["HOUSING", "EMPLOYMENT", "CREDIT"]] | None = None
    po_number: Annotated[str | None, Field(max_length=64)] = None


ADGROUP_ALIASES = {
    "exclude_audience_ids": "excluded_audience_ids",
    "include_custom_actions": "included_custom_actions",
    "exclude_custom_actions": "excluded_custom_actions",
    "category_exclude_ids": "category_exclusion_ids",
    "vertical_sensitive_id": "vertical_sensitivity_id",
    "message_app_type": "messaging_app_type",
    "message_app_account_id": "messaging_app_account_id",
    "include_pangle_audience_package_ids": "included_pangle_audience_package_ids",
    "exclude_pangle_audience_package_ids": "excluded_pangle_audience_package_ids",
}
ADGROUP_UNSUPPORTED = frozenset(
    {
        "promotion_target_type",
        "promotion_website_type",
        "app_id",
        "pixel_id",
        "optimization_event",
        "app_config",
        "shopping_ads_type",
        "product_source",
        "identity_id",
        "identity_type",
        "identity_authorized_bc_id",
        "catalog_id",
        "catalog_authorized_bc_id",
        "store_id",
        "store_authorized_bc_id",
        "tiktok_subplacements",
        "search_result_enabled",
        "video_download_disabled",
        "share_disabled",
        "blocked_pangle_app_ids",
        "zipcode_ids",
        "household_income",
        "saved_audience_id",
        "smart_audience_enabled",
        "audience_type",
        "audience_rule",
        "interest_keyword_ids",
        "purchase_intention_keyword_ids",
        "smart_interest_behavior_enabled",
        "targeting_expansion",
        "device_model_ids",
        "carrier_ids",
        "isp_ids",
        "brand_safety_partner",
        "category_exclusion_ids",
        "vertical_sensitivity_id",
        "contextual_tag_ids",
        "deep_bid_type",
        "roas_bid",
        "deep_cpa_bid",
        "vbo_window",
        "secondary_optimization_event",
        "click_attribution_window",
        "view_attribution_window",
        "engaged_view_attribution_window",
        "attribution_event_count",
        "is_hfss",
        "is_lhf_compliance",
        "skip_learning_phase",
        "messaging_app_type",
        "messaging_app_account_id",
        "phone_region_code",
        "phone_region_calling_code",
        "phone_number",
        "deep_funnel_optimization_status",
        "deep_funnel_event_source",
        "deep_funnel_event_source_id",
        "deep_funnel_optimization_event",
        "included_custom_actions",
        "excluded_custom_actions",
        "included_pangle_audience_package_ids",
        "excluded_pangle_audience_package_ids",
        "shopping_ads_retargeting_type",
        "shopping_ads_retargeting_actions_days",
        "rf_purchased_type",
        "purchased_impression",
        "purchased_reach",
        "rf_estimated_cpr",
        "rf_estimated_frequency",
        "schedule_infos",
    }
)
ADGROUP_DEFAULT_ONLY = {
    "spending_power": "ALL",
    "ios14_targeting": "UNSET",
    "brand_safety_type": "NO_BRAND_SAFETY",
    "creative_material_mode": "CUSTOM",
    "bid_display_mode": "CPMV",
    "vbo_window": "SEVEN_DAYS",
    # defaults the official SDK's AdgroupCreateBody / AdgroupUpdateBody always send
    "automated_keywords_enabled": False,
    "exclude_age_under_eighteen": False,
}


class AdGroupFields(TikTokModel):
    """Fields shared by create and update (all optional here; create makes some required)."""

    ALIASES = ADGROUP_ALIASES
    UNSUPPORTED = ADGROUP_UNSUPPORTED
    DEFAULT_ONLY = ADGROUP_DEFAULT_ONLY

    adgroup_name: Annotated[str | None, Field(min_length=1, max_length=511)] = None
    placement_type: PlacementType | None = None
    placements: list[Literal["PLACEMENT_TIKTOK"]] | None = None
    # targeting (R3)
    location_ids: list[IdStr] | None = None
    languages: list[str] | None = None
    gender: str | None = None
    age_groups: list[str] | None = None
    interest_category_ids: list[IdStr] | None = None
    actions: list[Action] | None = None
    operating_systems: list[str] | None = None
    min_android_version: str | None = None
    min_ios_version: str | None = None
    network_types: list[str] | None = None
    device_price_ranges: list[int] | None = None
    audience_ids: list[IdStr] | None = None
    excluded_audience_ids: list[IdStr] | None = None
    # budget, schedule, delivery
    budget_mode: BudgetMode | None = None
    budget: Money | None = None
    schedule_type: ScheduleType | None = None
    schedule_start_time: str | None = None
    schedule_end_time: str | None = None
    dayparting: str | None = None
    frequency: Annotated[int | None, Field(ge=1, le=1000)] = None
    frequency_schedule: Annotated[int | None, Field(ge=1, le=30)] = None
    pacing: Pacing | None = None
    comment_disabled: bool | None = None
    # bidding (R14)
    bid_type: BidType | None = None
    bid_price: Money | None = None
    conversion_bid_price: Money | None = None

    TARGETING_FIELDS: ClassVar[tuple[str, ...]] = tuple(Targeting.model_fields)

    def targeting_changes(self) -> dict[str, object]:
        return {
            name: getattr(self, name)
            for name in self.TARGETING_FIELDS
            if name in self.model_fields_set
        }


class AdGroupCreate(AdGroupFields):
    advertiser_id: IdStr
    campaign_id: IdStr
    adgroup_name: Annotated[str, Field(min_length=1, max_length=511)]
    request_id: RequestId | None = None
    operation_status: Toggle = "ENABLE"
    promotion_type: PromotionType | None = None
    location_ids: list[IdStr]
    budget_mode: BudgetMode
    schedule_type: ScheduleType
    schedule_start_time: str | None = None
    optimization_goal: OptimizationGoal
    billing_event: BillingEvent
    bid_type: BidType = BidType.CUSTOM
    pacing: Pacing = Pacing.SMOOTH


class AdGroupUpdate(AdGroupFields):
    advertiser_id: IdStr
    adgroup_id: IdStr
