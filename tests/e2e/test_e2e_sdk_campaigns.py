"""The official TikTok Business API Python SDK (tiktok-business-api-sdk-official), pointed at a real
sparkads server, builds a Spark ad (campaign, ad group, ad on a creator's authorized post), reads it
back, and pauses it, as it would on business-api.tiktok.com.

Every body is built with the SDK's own models, including the defaults they always add
(`automated_keywords_enabled`, `vbo_window`, `deeplink_type`, ...), which sparkads accepts at
those default values."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import business_api_client
import pytest
from business_api_client.tiktok_business.tiktok_exceptions import TiktokSDKError

pytestmark = pytest.mark.e2e

FRANCE = "3017382"
LANDING_PAGE = "https://brand.example.com/spring?utm_source=tt"


# Any past instant: the server starts SCHEDULE_FROM_NOW ad groups at the time given.
SCHEDULE_START = "2026-01-01 00:00:00"


@dataclass(frozen=True)
class Sdk:
    client: business_api_client.ApiClient
    campaigns: business_api_client.CampaignCreationApi
    adgroups: business_api_client.AdgroupApi
    ads: business_api_client.AdApi

    def last_code(self) -> int:
        return int(json.loads(self.client.last_response.data)["code"])


@pytest.fixture
def sdk(server) -> Iterator[Sdk]:
    configuration = business_api_client.Configuration()
    configuration.host = server.base_url
    api_client = business_api_client.ApiClient(configuration)
    yield Sdk(
        client=api_client,
        campaigns=business_api_client.CampaignCreationApi(api_client),
        adgroups=business_api_client.AdgroupApi(api_client),
        ads=business_api_client.AdApi(api_client),
    )
    api_client.pool.close()
    api_client.pool.join()


@dataclass(frozen=True)
class SparkPost:
    """An advertiser holding a creator's applied 30-day code, and the AUTH_CODE identity it gave."""

    advertiser_id: str
    token: str
    identity_id: str
    item_id: str


@pytest.fixture
def spark_post(applied_code) -> SparkPost:
    advertiser = applied_code.advertiser
    info = advertiser.video_info(applied_code.auth_code)
    assert info["code"] == 0, info
    assert info["data"]["user_info"]["identity_type"] == "AUTH_CODE"
    return SparkPost(
        advertiser_id=advertiser.advertiser_id,
        token=advertiser.token,
        identity_id=info["data"]["user_info"]["identity_id"],
        item_id=applied_code.post["item_id"],
    )


@dataclass(frozen=True)
class SparkAd:
    name: str
    campaign_id: str
    adgroup_id: str
    ad_id: str


def _create_spark_ad(sdk: Sdk, spark: SparkPost, name: str) -> SparkAd:
    """Campaign, ad group and one Spark ad, each created through the SDK."""
    campaign = sdk.campaigns.campaign_create(
        spark.token,
        body=business_api_client.CampaignCreateBody(
            advertiser_id=spark.advertiser_id,
            campaign_name=f"{name} campaign",
            objective_type="TRAFFIC",
            budget_mode="BUDGET_MODE_DAY",
            budget=50,
        ),
    )
    campaign_id = campaign["data"]["campaign_id"]
    adgroup = sdk.adgroups.adgroup_create(
        spark.token,
        body=business_api_client.AdgroupCreateBody(
            advertiser_id=spark.advertiser_id,
            campaign_id=campaign_id,
            adgroup_name=f"{name} adgroup",
            promotion_type="WEBSITE",
            placement_type="PLACEMENT_TYPE_NORMAL",
            placements=["PLACEMENT_TIKTOK"],
            location_ids=[FRANCE],
            budget_mode="BUDGET_MODE_DAY",
            budget=20,
            schedule_type="SCHEDULE_FROM_NOW",
            schedule_start_time=SCHEDULE_START,
            optimization_goal="CLICK",
            billing_event="CPC",
            bid_type="BID_TYPE_CUSTOM",
            bid_price=0.5,
            pacing="PACING_MODE_SMOOTH",
        ),
    )
    adgroup_id = adgroup["data"]["adgroup_id"]
    ad = sdk.ads.ad_create(
        spark.token,
        body=business_api_client.AdCreateBody(
            advertiser_id=spark.advertiser_id,
            adgroup_id=adgroup_id,
            creatives=[
                business_api_client.AdcreateCreatives(
                    ad_name=f"{name} ad",
                    identity_type="AUTH_CODE",
                    identity_id=spark.identity_id,
                    tiktok_item_id=spark.item_id,
                    ad_format="SINGLE_VIDEO",
                    call_to_action="SHOP_NOW",
                    landing_page_url=LANDING_PAGE,
                )
            ],
        ),
    )
    [ad_id] = ad["data"]["ad_ids"]
    return SparkAd(name=name, campaign_id=campaign_id, adgroup_id=adgroup_id, ad_id=ad_id)


def _only(answer: dict[str, Any]) -> dict[str, Any]:
    """The single row of a */get/ answer (the filter on ids left exactly one)."""
    assert answer["data"]["page_info"]["total_number"] == 1, answer
    [row] = answer["data"]["list"]
    return dict(row)


def _get_campaign(sdk: Sdk, spark: SparkPost, campaign_id: str) -> dict[str, Any]:
    return _only(
        sdk.campaigns.campaign_get(
            spark.advertiser_id,
            spark.token,
            filtering=business_api_client.FilteringCampaignGet(campaign_ids=[campaign_id]),
        )
    )


def _get_adgroup(sdk: Sdk, spark: SparkPost, adgroup_id: str) -> dict[str, Any]:
    return _only(
        sdk.adgroups.adgroup_get(
            spark.advertiser_id,
            spark.token,
            filtering=business_api_client.FilteringAdgroupGet(adgroup_ids=[adgroup_id]),
        )
    )


def _get_ad(sdk: Sdk, spark: SparkPost, ad_id: str) -> dict[str, Any]:
    return _only(
        sdk.ads.ad_get(
            spark.advertiser_id,
            spark.token,
            filtering=business_api_client.FilteringAdGet(ad_ids=[ad_id]),
        )
    )


def test_sdk_get_returns_created_values_when_spark_ad_created_through_sdk(sdk, spark_post):
    _create_spark_ad(sdk, spark_post, "Decoy")  # the id filters must leave it out
    created = _create_spark_ad(sdk, spark_post, "Spring")

    campaign = _get_campaign(sdk, spark_post, created.campaign_id)
    adgroup = _get_adgroup(sdk, spark_post, created.adgroup_id)
    ad = _get_ad(sdk, spark_post, created.ad_id)

    assert sdk.last_code() == 0
    assert campaign["campaign_id"] == created.campaign_id
    assert campaign["campaign_name"] == "Spring campaign"
    assert campaign["objective_type"] == "TRAFFIC"
    assert campaign["budget_mode"] == "BUDGET_MODE_DAY"
    assert campaign["budget"] == 50.0
    assert campaign["operation_status"] == "ENABLE"

    assert adgroup["adgroup_id"] == created.adgroup_id
    assert adgroup["campaign_id"] == created.campaign_id
    assert adgroup["adgroup_name"] == "Spring adgroup"
    assert adgroup["promotion_type"] == "WEBSITE"
    assert adgroup["placements"] == ["PLACEMENT_TIKTOK"]
    assert adgroup["location_ids"] == [FRANCE]
    assert adgroup["budget_mode"] == "BUDGET_MODE_DAY"
    assert adgroup["budget"] == 20.0
    assert adgroup["schedule_type"] == "SCHEDULE_FROM_NOW"
    assert adgroup["optimization_goal"] == "CLICK"
    assert adgroup["billing_event"] == "CPC"
    assert adgroup["bid_type"] == "BID_TYPE_CUSTOM"
    assert adgroup["bid_price"] == 0.5
    assert adgroup["operation_status"] == "ENABLE"

    assert ad["ad_id"] == created.ad_id
    assert ad["adgroup_id"] == created.adgroup_id
    assert ad["campaign_id"] == created.campaign_id
    assert ad["ad_name"] == "Spring ad"
    assert ad["identity_type"] == "AUTH_CODE"
    assert ad["identity_id"] == spark_post.identity_id
    assert ad["tiktok_item_id"] == spark_post.item_id
    assert ad["ad_format"] == "SINGLE_VIDEO"
    assert ad["call_to_action"] == "SHOP_NOW"
    assert ad["landing_page_url"] == LANDING_PAGE
    assert ad["operation_status"] == "ENABLE"


def test_sdk_get_shows_disable_when_status_update_disables_campaign_adgroup_and_ad(sdk, spark_post):
    created = _create_spark_ad(sdk, spark_post, "Pause")
    advertiser_id, token = spark_post.advertiser_id, spark_post.token

    campaigns = sdk.campaigns.campaign_status_update(
        token,
        body=business_api_client.CampaignStatusUpdateBody(
            advertiser_id=advertiser_id,
            campaign_ids=[created.campaign_id],
            operation_status="DISABLE",
        ),
    )
    adgroups = sdk.adgroups.adgroup_status_update(
        token,
        body=business_api_client.AdgroupStatusUpdateBody(
            advertiser_id=advertiser_id,
            adgroup_ids=[created.adgroup_id],
            operation_status="DISABLE",
        ),
    )
    ads = sdk.ads.ad_status_update(
        token,
        body=business_api_client.AdStatusUpdateBody(
            advertiser_id=advertiser_id, ad_ids=[created.ad_id], operation_status="DISABLE"
        ),
    )

    assert campaigns["data"]["campaign_ids"] == [created.campaign_id]
    assert adgroups["data"]["adgroup_ids"] == [created.adgroup_id]
    assert ads["data"]["ad_ids"] == [created.ad_id]
    assert _get_campaign(sdk, spark_post, created.campaign_id)["operation_status"] == "DISABLE"
    assert _get_adgroup(sdk, spark_post, created.adgroup_id)["operation_status"] == "DISABLE"
    ad = _get_ad(sdk, spark_post, created.ad_id)
    assert ad["operation_status"] == "DISABLE"
    assert ad["secondary_status"] in {
        "AD_STATUS_DISABLE",
        "AD_STATUS_ADGROUP_DISABLE",
        "AD_STATUS_CAMPAIGN_DISABLE",
    }


def test_sdk_campaign_create_raises_budget_below_minimum_when_budget_is_49(sdk, make_advertiser):
    advertiser = make_advertiser()
    body = business_api_client.CampaignCreateBody(
        advertiser_id=advertiser.advertiser_id,
        campaign_name="Too small",
        objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY",
        budget=49,
    )

    with pytest.raises(TiktokSDKError, match=r"Error Code: 40002\b.*budget_below_minimum"):
        sdk.campaigns.campaign_create(advertiser.token, body=body)
    assert sdk.last_code() == 40002
