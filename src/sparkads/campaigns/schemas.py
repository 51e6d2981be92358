"""Inputs of the campaign, ad group and ad endpoints, with TikTok v1.3 names.

Every field the reference lists is either modelled here or named in an UNSUPPORTED set, so a
request using it is refused with `field_not_supported` instead of being silently ignored
(`check_fields`). Misspelt aliases that public SDKs send are renamed first (reference §6.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
from sparkads.campaigns.targeting import Action, Targeting
from sparkads.errors import SparkadsError
from sparkads.ids import IdStr

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=6)]
RequestId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_-]+$")]
Toggle = Literal["ENABLE", "DISABLE"]
_ABSENT: tuple[Any, ...] = (None, False, "", [], {})


class TikTokModel(BaseModel):
    """Extras are kept so `check_fields` can name them; aliases are renamed before validation."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    ALIASES: ClassVar[dict[str, str]] = {}
    UNSUPPORTED: ClassVar[frozenset[str]] = frozenset()
    # supported only at their default value: (field, default)
    DEFAULT_ONLY: ClassVar[dict[str, Any]] = {}

    @model_validator(mode="before")
    @classmethod
    def _rename_aliases(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {cls.ALIASES.get(key, key): value for key, value in data.items()}
        return data

    def check_fields(self) -> None:
        for field, value in (self.model_extra or {}).items():
            if field in self.DEFAULT_ONLY:
                if value in _ABSENT or value == self.DEFAULT_ONLY[field]:
                    continue
                raise SparkadsError("field_not_supported", field=f"{field}={value!r}")
            if field in self.UNSUPPORTED:
                if value in _ABSENT:
                    continue
                raise SparkadsError("field_not_supported", field=field)
            raise SparkadsError("unknown_field", field=field)


class CampaignCreate(TikTokModel):
    ALIASES = {"aepp_promotion_type": "app_promotion_type", "bid_atlign_type": "bid_align_type"}
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
    DEFAULT_ONLY = {"budget_optimize_on": False, "campaign_type": "REGULAR_CAMPAIGN"}

    advertiser_id: IdStr
    campaign_name: Annotated[str, Field(min_length=1, max_length=512)]
    objective_type: Objective
    budget_mode: BudgetMode
    budget: Money | None = None
    operation_status: Toggle = "ENABLE"
    request_id: RequestId | None = None
    special_industries: list[Literal["HOUSING", "EMPLOYMENT", "CREDIT"]] = []
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

    def targeting_changes(self) -> dict[str, Any]:
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


CREATIVE_ALIASES = {
    "avatar_icon_web_url": "avatar_icon_web_uri",
    "instantt_product_page_used": "instant_product_page_used",
}
CREATIVE_UNSUPPORTED = frozenset(
    {
        "call_to_action_id",
        "page_id",
        "tiktok_page_category",
        "item_duet_status",
        "item_stitch_status",
        "display_name",
        "avatar_icon_web_uri",
        "app_name",
        "deeplink",
        "deeplink_type",
        "deeplink_format_type",
        "fallback_type",
        "dynamic_destination",
        "instant_product_page_used",
        "tracking_pixel_id",
        "tracking_app_id",
        "tracking_offline_event_set_ids",
        "tracking_message_event_set_id",
        "impression_tracking_url",
        "click_tracking_url",
        "video_view_tracking_url",
        "viewability_postbid_partner",
        "viewability_vast_url",
        "brand_safety_postbid_partner",
        "brand_safety_vast_url",
        "disclaimer_type",
        "disclaimer_text",
        "disclaimer_clickable_texts",
        "music_id",
        "ad_texts",
        "image_ids",
        "utm_params",
        "playable_url",
        "vast_moat_enabled",
        "card_id",
        "carousel_image_index",
        "shopping_ads_deeplink_type",
        "product_specific_type",
        "product_set_id",
        "sku_ids",
        "vehicle_ids",
        "showcase_products",
        "shopping_ads_video_package_id",
    }
)
CREATIVE_DEFAULT_ONLY = {
    "promotional_music_disabled": True,
    "creative_authorized": False,
    "aigc_disclosure_type": "NOT_DECLARED",
    # defaults the official SDK's AdcreateCreatives / AdupdateCreatives always send
    "deeplink_type": "NORMAL",
    "shopping_ads_deeplink_type": "NONE",
}


class Creative(TikTokModel):
    ALIASES = CREATIVE_ALIASES
    UNSUPPORTED = CREATIVE_UNSUPPORTED
    DEFAULT_ONLY = CREATIVE_DEFAULT_ONLY

    ad_name: Annotated[str, Field(max_length=512)] = ""
    identity_type: Literal["AUTH_CODE", "TT_USER", "BC_AUTH_TT"]
    identity_id: IdStr
    identity_authorized_bc_id: IdStr | None = None
    ad_format: AdFormat = AdFormat.SINGLE_VIDEO
    tiktok_item_id: IdStr | None = None
    video_id: IdStr | None = None
    ad_text: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    call_to_action: str | None = None
    landing_page_url: Annotated[str | None, Field(max_length=2048)] = None
    dark_post_status: DarkPostStatus | None = None
    operation_status: Toggle = "ENABLE"


class CreativeUpdate(TikTokModel):
    ALIASES = CREATIVE_ALIASES
    UNSUPPORTED = CREATIVE_UNSUPPORTED
    DEFAULT_ONLY = CREATIVE_DEFAULT_ONLY

    ad_id: IdStr
    ad_name: Annotated[str | None, Field(max_length=512)] = None
    identity_type: Literal["AUTH_CODE", "TT_USER", "BC_AUTH_TT"] | None = None
    identity_id: IdStr | None = None
    identity_authorized_bc_id: IdStr | None = None
    ad_format: AdFormat | None = None
    tiktok_item_id: IdStr | None = None
    call_to_action: str | None = None
    landing_page_url: Annotated[str | None, Field(max_length=2048)] = None
    dark_post_status: DarkPostStatus | None = None
    ad_text: Annotated[str | None, Field(min_length=1, max_length=100)] = None
    video_id: IdStr | None = None


class AdCreate(TikTokModel):
    advertiser_id: IdStr
    adgroup_id: IdStr
    creatives: Annotated[list[Creative], Field(min_length=1)]


class AdUpdate(TikTokModel):
    advertiser_id: IdStr
    adgroup_id: IdStr
    creatives: Annotated[list[CreativeUpdate], Field(min_length=1)]
    patch_update: bool = False


class StatusUpdate(TikTokModel):
    UNSUPPORTED = frozenset({"postback_window_mode", "aco_ad_ids"})

    advertiser_id: IdStr
    operation_status: OperationStatus
    allow_partial_success: bool = False


class CampaignStatusUpdate(StatusUpdate):
    campaign_ids: Annotated[list[IdStr], Field(min_length=1)]


class AdGroupStatusUpdate(StatusUpdate):
    adgroup_ids: Annotated[list[IdStr], Field(min_length=1)]


class AdStatusUpdate(StatusUpdate):
    ad_ids: Annotated[list[IdStr], Field(min_length=1)]


class ReviewInfoParams(TikTokModel):
    """ad/review_info/: up to 100 ads of the advertiser; `lang` (en, fr) or Accept-Language."""

    UNSUPPORTED = frozenset()

    advertiser_id: IdStr
    ad_ids: Annotated[list[IdStr], Field(min_length=1, max_length=100)]
    lang: Literal["en", "fr"] | None = None


class GetParams(TikTokModel):
    UNSUPPORTED = frozenset()

    advertiser_id: IdStr
    fields: list[str] | None = None
    exclude_field_types_in_response: list[Literal["NULL_FIELD"]] | None = None
    filtering: dict[str, Any] = {}
    page: Annotated[int, Field(ge=1, le=100_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=1000)] = 10


__all__ = ["OperationStatus"]
