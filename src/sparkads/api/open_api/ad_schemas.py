"""Bodies of ad/ (create, update, review_info), with TikTok v1.3 names: a creative names an
identity and a post, or a new video (`api/open_api/wire.py` for the base and the fields refused)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sparkads.api.open_api.wire import TikTokModel, Toggle
from sparkads.campaigns.enums import AdFormat, DarkPostStatus
from sparkads.ids import IdStr

CREATIVE_ALIASES = {
    "avatar_icon_web_url": "avatar_icon_web_uri",
    "instantt_product_page_used": "instant_product_page_used",
}
CREATIVE_UNSUPPORTED = frozenset(
    {
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
    call_to_action_id: IdStr | None = None  # a dynamic CTA portfolio: wins over call_to_action
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
    call_to_action_id: IdStr | None = None  # a dynamic CTA portfolio: wins over call_to_action
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


class ReviewInfoParams(TikTokModel):
    """ad/review_info/: up to 100 ads of the advertiser; `lang` (en, fr) or Accept-Language."""

    UNSUPPORTED = frozenset()

    advertiser_id: IdStr
    ad_ids: Annotated[list[IdStr], Field(min_length=1, max_length=100)]
    lang: Literal["en", "fr"] | None = None
