"""Attribute metrics in BASIC reports: TikTok's levels, and the ad group settings a campaign's row
fills from its campaign and ad groups (docs/kpis.md, "Attribute metrics")."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from factories import (
    SparkWorld,
    adgroup_body,
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

DAY = "2026-11-02"
GROUP_SETTINGS = [
    "budget",
    "bid",
    "bid_strategy",
    "billing_event",
    "smart_target",
    "placement_type",
    "promotion_type",
]


def _live(client: TestClient, uow: UnitOfWork, clock: TestClock, **world_fields: Any) -> SparkWorld:
    """A Spark ad with one impression, so its rows show in reports."""
    world = spark_world(client, uow, clock, **world_fields)
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    send_events(client, app_feed, (ask(client, app_feed)[0]["token"], "impression"))
    return world


def _attributes(
    client: TestClient, world: SparkWorld, level: str, metrics: list[str]
) -> dict[str, Any]:
    answer = open_api_get(
        client,
        world.brand,
        "report/integrated/get/",
        advertiser_id=world.brand.id,
        report_type="BASIC",
        data_level=f"AUCTION_{level.upper()}",
        dimensions=[f"{level}_id"],
        start_date=DAY,
        end_date=DAY,
        metrics=metrics,
    )
    assert answer["code"] == 0, answer
    [row] = answer["data"]["list"]
    return dict(row["metrics"])


def _second_group(client: TestClient, world: SparkWorld, **fields: Any) -> str:
    created = open_api_post(
        client,
        world.brand,
        "adgroup/create/",
        **adgroup_body(world.brand, world.campaign_id, adgroup_name="Second", **fields),
    )
    assert created["code"] == 0, created
    return str(created["data"]["adgroup_id"])


def test_campaign_row_shows_its_budget_and_the_settings_its_ad_groups_share(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    metrics = ["campaign_name", "campaign_budget", *GROUP_SETTINGS, "adgroup_name", "ad_name"]
    assert _attributes(client, world, "campaign", metrics) == {
        "campaign_name": "Spring launch",
        "campaign_budget": "50.00",
        "budget": "50.00",  # the campaign's own budget
        "bid": "0.50",
        "bid_strategy": "BID_STRATEGY_BID_CAP",
        "billing_event": "CPC",
        "smart_target": "CLICK",
        "placement_type": "PLACEMENT_TYPE_NORMAL",
        "promotion_type": "WEBSITE",
        "adgroup_name": None,  # an ad group's, not a campaign's
        "ad_name": None,
    }


def test_campaign_row_leaves_a_setting_empty_when_its_live_ad_groups_differ(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    second = _second_group(client, world, bid_price=0.8)
    shown = _attributes(client, world, "campaign", ["bid", "billing_event", "budget"])
    assert shown == {"bid": None, "billing_event": "CPC", "budget": "50.00"}
    deleted = open_api_post(
        client,
        world.brand,
        "adgroup/status/update/",
        advertiser_id=world.brand.id,
        adgroup_ids=[second],
        operation_status="DELETE",
    )
    assert deleted["code"] == 0, deleted
    assert _attributes(client, world, "campaign", ["bid"]) == {"bid": "0.50"}


def test_campaign_without_a_budget_shows_the_sum_of_its_ad_group_budgets(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(
        client,
        uow,
        clock,
        campaign_fields={"budget_mode": "BUDGET_MODE_INFINITE", "budget": None},
    )
    _second_group(client, world, budget=30)
    shown = _attributes(client, world, "campaign", ["budget", "campaign_budget"])
    assert shown == {"budget": "50.00", "campaign_budget": None}
    _second_group(client, world, budget_mode="BUDGET_MODE_TOTAL", budget=700, **_dates())
    shown = _attributes(client, world, "campaign", ["budget"])
    assert shown == {"budget": None}  # a daily and a lifetime budget do not add up


def _dates() -> dict[str, str]:
    return {
        "schedule_type": "SCHEDULE_START_END",
        "schedule_start_time": "2026-11-02 09:00:00",
        "schedule_end_time": "2026-11-30 09:00:00",
    }


def test_ad_group_and_ad_rows_show_their_own_settings(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    group = _attributes(
        client, world, "adgroup", ["budget", "bid", "campaign_budget", "adgroup_name", "ad_url"]
    )
    assert group == {
        "budget": "20.00",
        "bid": "0.50",
        "campaign_budget": "50.00",
        "adgroup_name": "FR foodies",
        "ad_url": None,  # an ad's, not an ad group's
    }
    ad = _attributes(client, world, "ad", ["budget", "call_to_action", "ad_url", "tiktok_item_id"])
    assert ad == {
        "budget": "20.00",
        "call_to_action": "SHOP_NOW",
        "ad_url": "https://brand.example.com/spring?utm_source=tt",
        "tiktok_item_id": world.post["item_id"],
    }


def test_attribute_without_an_id_dimension_is_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _live(client, uow, clock)
    answer = open_api_get(
        client,
        world.brand,
        "report/integrated/get/",
        advertiser_id=world.brand.id,
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["stat_time_day"],
        start_date=DAY,
        end_date=DAY,
        metrics=["campaign_budget"],
    )
    assert answer["code"] == 40002
    assert "campaign_id" in answer["message"]
