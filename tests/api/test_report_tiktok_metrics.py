"""report/integrated/get with TikTok's full metric list, as Airbyte's source asks for it: play
progress (quartiles), results, click- and view-through conversions, always-zero metrics,
attribute ids, `platform` / `province_id` breakdowns, status filters. Figures are checked
against the raw events."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import (
    PARIS_VIEWER,
    SparkWorld,
    ask,
    create_ad,
    feed,
    open_api_get,
    open_api_post,
    send_events,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event
from sparkads.reporting.kpis import ZERO

DAY = "2026-11-02"
PLAYS = (
    ("impression", "view_2s", "play_25", "play_50", "view_6s", "click", "conversion"),
    ("impression", "play_25"),
    ("impression", "view_2s", "play_25", "play_50", "play_75", "play_100", "conversion"),
    ("impression", "view_2s", "play_25", "play_50", "play_75", "complete_view", "play_100"),
)
# What Airbyte's source 4.x sends in every BASIC report (its manifest's list)
AIRBYTE_METRICS = [
    "spend", "cpc", "cpm", "impressions", "clicks", "ctr", "reach", "cost_per_1000_reached",
    "frequency", "video_play_actions", "video_watched_2s", "video_watched_6s",
    "average_video_play", "average_video_play_per_user", "video_views_p25", "video_views_p50",
    "video_views_p75", "video_views_p100", "profile_visits", "likes", "comments", "shares",
    "follows", "clicks_on_music_disc", "real_time_app_install", "real_time_app_install_cost",
    "app_install", "campaign_name", "campaign_id", "adgroup_name", "placement_type", "tt_app_id",
    "tt_app_name", "mobile_app_id", "promotion_type", "dpa_target_audience_type", "conversion",
    "cost_per_conversion", "conversion_rate", "real_time_conversion",
    "real_time_cost_per_conversion", "real_time_conversion_rate", "result", "cost_per_result",
    "result_rate", "real_time_result", "real_time_cost_per_result", "real_time_result_rate",
    "secondary_goal_result", "cost_per_secondary_goal_result", "secondary_goal_result_rate",
    "adgroup_id", "ad_name", "ad_text", "total_purchase_value", "total_onsite_shopping_value",
    "onsite_shopping", "vta_purchase", "vta_conversion", "cta_purchase", "cta_conversion",
    "total_pageview", "complete_payment", "value_per_complete_payment",
    "total_complete_payment_rate", "profile_visits_rate", "registration", "registration_rate",
    "sales_lead", "sales_lead_rate", "cost_per_app_install", "cost_per_registration",
    "cost_per_sales_lead", "cost_per_total_sales_lead", "cost_per_total_app_event_add_to_cart",
    "total_app_event_add_to_cart", "cash_spend", "voucher_spend",
]  # fmt: skip


@pytest.fixture
def plays(client: TestClient, uow: UnitOfWork, clock: TestClock) -> SparkWorld:
    """A Spark ad (goal: conversions) shown 20 times to viewers on iOS and Android, in two regions."""
    app_feed = feed(uow, clock)
    world = spark_world(
        client,
        uow,
        clock,
        campaign_fields={"objective_type": "WEB_CONVERSIONS"},
        adgroup_fields={
            "pacing": "PACING_MODE_FAST",
            "optimization_goal": "CONVERT",
            "billing_event": "OCPM",
            "promotion_type": "WEBSITE",
            "bid_price": None,
            "conversion_bid_price": 5.0,
        },
    )
    assert create_ad(client, world)["code"] == 0
    for i in range(20):
        viewer = {
            **PARIS_VIEWER,
            "viewer_id": f"v{i % 7}",
            "region": "IDF" if i % 2 else "ARA",
            "device": {"os": "ANDROID" if i % 3 else "IOS"},
        }
        for decision in ask(client, app_feed, viewer):
            send_events(client, app_feed, *((decision["token"], kind) for kind in PLAYS[i % 4]))
        clock.advance(timedelta(minutes=11))
    return world


def _report(client: TestClient, world: SparkWorld, **params: Any) -> dict[str, Any]:
    answer = open_api_get(
        client, world.brand, "report/integrated/get/", advertiser_id=world.brand.id, **params
    )
    assert answer["code"] == 0, answer
    return dict(answer["data"])


def _events(uow: UnitOfWork) -> list[Event]:
    return list(uow.session.scalars(select(Event)))


def test_airbyte_metric_list_is_answered_with_real_figures(
    client: TestClient, uow: UnitOfWork, plays: SparkWorld
) -> None:
    data = _report(
        client,
        plays,
        report_type="BASIC",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day"],
        start_date=DAY,
        end_date=DAY,
        metrics=AIRBYTE_METRICS,
        enable_total_metrics=True,
    )
    (row,) = data["list"]
    metrics = row["metrics"]
    events = _events(uow)
    kinds = Counter(e.event_type for e in events)
    assert "play_100" not in kinds, "play_100 is recorded as complete_view"
    assert metrics["video_views_p25"] == str(kinds["play_25"]) != "0"
    assert metrics["video_views_p50"] == str(kinds["play_50"])
    assert metrics["video_views_p75"] == str(kinds["play_75"])
    # decisions 2 (play_100) and 3 (complete_view + play_100): one complete view each
    assert metrics["video_views_p100"] == str(kinds["complete_view"]) == "10"
    # CONVERT goal: a result is a conversion
    assert metrics["result"] == metrics["real_time_result"] == str(kinds["conversion"]) == "10"
    decisions_with_click = {e.decision_id for e in events if e.event_type == "click"}
    through_click = sum(
        1 for e in events if e.event_type == "conversion" and e.decision_id in decisions_with_click
    )
    assert (metrics["cta_conversion"], metrics["vta_conversion"]) == (
        str(through_click),
        str(kinds["conversion"] - through_click),
    )
    assert through_click == 5
    assert metrics["cash_spend"] == metrics["spend"] != "0.00"
    assert metrics["campaign_id"] == plays.campaign_id
    assert metrics["adgroup_id"] == plays.adgroup_id
    assert metrics["tt_app_id"] is None
    for name in ZERO:
        if name in metrics:
            assert metrics[name] in ("0", "0.00"), name
            assert data["total_metrics"][name] == metrics[name]
    assert metrics["app_install"] == "0"
    assert metrics["real_time_app_install_cost"] == "0.00"


def test_platform_and_province_breakdowns_come_from_the_viewers(
    client: TestClient, uow: UnitOfWork, plays: SparkWorld
) -> None:
    impressions = [e for e in _events(uow) if e.event_type == "impression"]
    by_platform = _report(
        client,
        plays,
        report_type="AUDIENCE",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day", "platform"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions", "spend"],
    )["list"]
    assert {r["dimensions"]["platform"]: r["metrics"]["impressions"] for r in by_platform} == {
        platform: str(count) for platform, count in Counter(e.platform for e in impressions).items()
    }
    assert {r["dimensions"]["platform"] for r in by_platform} == {"IOS", "ANDROID"}
    by_province = _report(
        client,
        plays,
        report_type="AUDIENCE",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day", "province_id"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions"],
    )["list"]
    provinces = {r["dimensions"]["province_id"] for r in by_province}
    assert provinces == {"3017382-IDF", "3017382-ARA"}
    regions = open_api_get(
        client, plays.brand, "tool/region/", advertiser_id=plays.brand.id, level_range="TO_PROVINCE"
    )
    listed = {r["location_id"] for r in regions["data"]["region_info"]}
    assert provinces <= listed, "province ids are the targeting catalogue's location ids"


def test_basic_report_by_country_equals_the_plain_report(
    client: TestClient, plays: SparkWorld
) -> None:
    common: dict[str, Any] = {
        "report_type": "BASIC",
        "data_level": "AUCTION_ADGROUP",
        "start_date": DAY,
        "end_date": DAY,
        "metrics": ["spend", "impressions", "video_views_p25", "result"],
    }
    plain = _report(client, plays, dimensions=["adgroup_id", "stat_time_day"], **common)
    by_country = _report(
        client, plays, dimensions=["adgroup_id", "stat_time_day", "country_code"], **common
    )
    assert [r["dimensions"]["country_code"] for r in by_country["list"]] == ["FR"]
    assert by_country["list"][0]["metrics"] == plain["list"][0]["metrics"]


def test_status_filters_as_airbyte_sends_them(
    client: TestClient, uow: UnitOfWork, plays: SparkWorld
) -> None:
    before = _report(client, plays, report_type="BASIC", dimensions=["ad_id"], query_lifetime=True)[
        "list"
    ]
    assert (
        open_api_post(
            client,
            plays.brand,
            "campaign/status/update/",
            advertiser_id=plays.brand.id,
            campaign_ids=[plays.campaign_id],
            operation_status="DELETE",
        )["code"]
        == 0
    )

    def lifetime(status: str) -> list[dict[str, Any]]:
        # written as Airbyte's Jinja `|string` writes it: a Python literal, quotes escaped
        filtering = str(
            [{"field_name": "ad_status", "filter_type": "IN", "filter_value": f'[\\"{status}\\"]'}]
        )
        response = client.get(
            "/open_api/v1.3/report/integrated/get/",
            headers=plays.brand.access,
            params={
                "advertiser_id": plays.brand.id,
                "report_type": "BASIC",
                "dimensions": str(["ad_id"]),
                "query_lifetime": "true",
                "filtering": filtering,
                "filters": str([{"filter_value": ["STATUS_ALL"], "field_name": "ad_status"}]),
            },
        )
        answer = response.json()
        assert answer["code"] == 0, answer
        return list(answer["data"]["list"])

    assert lifetime("STATUS_ALL") == before != []
    assert lifetime("STATUS_DELETE") == before
    assert lifetime("STATUS_NOT_DELETE") == []
    unplain = _report(client, plays, report_type="BASIC", dimensions=["ad_id"], query_lifetime=True)
    assert unplain["list"] == before, "without a status filter deleted ads' figures count"
    bad = open_api_get(
        client,
        plays.brand,
        "report/integrated/get/",
        advertiser_id=plays.brand.id,
        report_type="BASIC",
        dimensions=["ad_id"],
        query_lifetime=True,
        filtering=[{"field_name": "ad_status", "filter_type": "IN", "filter_value": '["NOPE"]'}],
    )
    assert (bad["code"], bad["data"]["error"]["reason"]) == (40002, "invalid_parameter")
    assert "STATUS_NOT_DELETE" in bad["data"]["error"]["solution"] + bad["message"]
