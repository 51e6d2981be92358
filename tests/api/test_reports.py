"""report/integrated/get: numbers equal what the raw events say (spend to the micro)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import (
    PARIS_VIEWER,
    SparkWorld,
    ask,
    create_ad,
    feed,
    open_api_get,
    send_events,
    spark_world,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event, SpendEntry
from sparkads.reporting import rollups
from sparkads.reporting.models import AdDayRollup, AdHourRollup
from sparkads.reporting.rollups import EVENT_COLUMN, play_ms

DAY = "2026-11-02"
REACTIONS = (
    ("impression", "view_2s", "view_6s", "click", "like"),
    ("impression", "view_2s"),
    ("impression", "view_2s", "view_6s", "complete_view", "share", "follow"),
)


@pytest.fixture
def traffic(client: TestClient, uow: UnitOfWork, clock: TestClock) -> SparkWorld:
    """A live Spark ad that received 30 decisions from 10 viewers over a few hours."""
    app_feed = feed(uow, clock)
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    create_ad(client, world)
    for i in range(30):
        viewer = {
            **PARIS_VIEWER,
            "viewer_id": f"v{i % 10}",
            "gender": "MALE" if i % 3 else "FEMALE",
        }
        for decision in ask(client, app_feed, viewer):
            send_events(client, app_feed, *((decision["token"], kind) for kind in REACTIONS[i % 3]))
        clock.advance(timedelta(minutes=17))
    return world


def _report(client: TestClient, world: SparkWorld, **params: Any) -> dict[str, Any]:
    answer = open_api_get(
        client, world.brand, "report/integrated/get/", advertiser_id=world.brand.id, **params
    )
    assert answer["code"] == 0, answer
    return dict(answer["data"])


def test_basic_report_equals_raw_events(
    client: TestClient, uow: UnitOfWork, traffic: SparkWorld
) -> None:
    data = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day"],
        start_date=DAY,
        end_date=DAY,
        metrics=[
            "spend",
            "impressions",
            "clicks",
            "ctr",
            "likes",
            "shares",
            "follows",
            "video_watched_6s",
            "video_views_p100",
            "reach",
            "frequency",
            "ad_name",
            "tiktok_item_id",
        ],
    )
    [row] = data["list"]
    kinds = Counter(
        dict(
            uow.session.execute(
                select(Event.event_type, func.count()).group_by(Event.event_type)
            ).all()
        )
    )
    spend = uow.session.scalar(select(func.sum(SpendEntry.amount))) or 0
    metrics = row["metrics"]
    assert row["dimensions"] == {
        "ad_id": row["dimensions"]["ad_id"],
        "stat_time_day": f"{DAY} 00:00:00",
    }
    assert int(metrics["impressions"]) == kinds["impression"] > 0
    assert int(metrics["clicks"]) == kinds["click"]
    assert int(metrics["likes"]) == kinds["like"]
    assert int(metrics["follows"]) == kinds["follow"]
    assert int(metrics["video_views_p100"]) == kinds["complete_view"]
    assert metrics["spend"] == f"{spend / 1_000_000:.2f}"
    assert metrics["reach"] == "10"
    assert metrics["tiktok_item_id"] == traffic.post["item_id"]
    assert float(metrics["ctr"]) == pytest.approx(
        100 * kinds["click"] / kinds["impression"], abs=0.01
    )


def test_rollups_rebuilt_from_scratch_give_the_same_numbers(
    uow: UnitOfWork, clock: TestClock, traffic: SparkWorld
) -> None:
    rollups.refresh(uow.session, clock)
    uow.commit()

    def snapshot() -> list[tuple[Any, ...]]:
        return sorted(
            (r.ad_id, r.day, r.impressions, r.clicks, r.spend, r.play_ms)
            for r in uow.session.scalars(select(AdDayRollup))
        ) + sorted(
            (r.ad_id, r.hour, r.impressions, r.spend)
            for r in uow.session.scalars(select(AdHourRollup))
        )

    incremental = snapshot()
    rollups.rebuild(uow.session, clock)
    uow.commit()
    assert snapshot() == incremental
    spend = uow.session.scalar(select(func.sum(SpendEntry.amount)))
    assert sum(r.spend for r in uow.session.scalars(select(AdDayRollup))) == spend


def test_hourly_report_adds_up_to_the_day(client: TestClient, traffic: SparkWorld) -> None:
    hours = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["stat_time_hour"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions", "spend"],
        page_size=100,
    )
    day = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["stat_time_day"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions", "spend"],
    )
    assert len(hours["list"]) > 1
    assert sum(int(r["metrics"]["impressions"]) for r in hours["list"]) == int(
        day["list"][0]["metrics"]["impressions"]
    )


def test_audience_report_breaks_down_by_gender(client: TestClient, traffic: SparkWorld) -> None:
    data = _report(
        client,
        traffic,
        report_type="AUDIENCE",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id", "gender"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions", "spend"],
        enable_total_metrics=True,
    )
    by_gender = {r["dimensions"]["gender"]: int(r["metrics"]["impressions"]) for r in data["list"]}
    assert set(by_gender) == {"MALE", "FEMALE"}
    assert by_gender["MALE"] > by_gender["FEMALE"]
    assert int(data["total_metrics"]["impressions"]) == sum(by_gender.values())


def test_report_filters_orders_and_validates(client: TestClient, traffic: SparkWorld) -> None:
    empty = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_AD",
        dimensions=["ad_id"],
        start_date=DAY,
        end_date=DAY,
        filtering=[
            {"field_name": "ad_ids", "filter_type": "IN", "filter_value": '["7000000000000000001"]'}
        ],
    )
    assert empty["list"] == []
    answer = open_api_get(
        client,
        traffic.brand,
        "report/integrated/get/",
        advertiser_id=traffic.brand.id,
        report_type="BASIC",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day"],
        start_date="2026-10-01",
        end_date="2026-11-30",
    )
    assert answer["code"] == 40002
    assert "30 day" in answer["message"]
    unknown = open_api_get(
        client,
        traffic.brand,
        "report/integrated/get/",
        advertiser_id=traffic.brand.id,
        report_type="BASIC",
        dimensions=["ad_id"],
        query_lifetime=True,
        metrics=["roas"],
    )
    assert unknown["data"]["error"]["reason"] == "field_not_supported"


def test_lifetime_report_needs_no_dates(client: TestClient, traffic: SparkWorld) -> None:
    data = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id"],
        query_lifetime=True,
        metrics=["impressions", "campaign_name", "cpm", "average_video_play"],
    )
    [row] = data["list"]
    assert row["dimensions"]["campaign_id"] == traffic.campaign_id
    assert row["metrics"]["campaign_name"] == "Spring launch"
    assert float(row["metrics"]["average_video_play"]) > 0


def test_half_hour_timezones_put_events_on_their_local_day(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    from sparkads.accounts.models import Advertiser

    app_feed = feed(uow, clock)
    world = spark_world(client, uow, clock)
    create_ad(client, world)
    uow.session.get_one(Advertiser, world.brand.id).timezone = "Australia/Adelaide"
    uow.commit()
    # 2026-11-02 13:40 UTC is 00:10 on 2026-11-03 in Adelaide (UTC+10:30)
    clock.advance(timedelta(hours=4, minutes=40))
    token = ask(client, app_feed)[0]["token"]
    send_events(client, app_feed, (token, "impression"))
    by_day = _report(
        client,
        world,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["stat_time_day"],
        start_date="2026-11-02",
        end_date="2026-11-03",
        metrics=["impressions", "reach"],
    )
    assert [
        (r["dimensions"]["stat_time_day"], r["metrics"]["impressions"], r["metrics"]["reach"])
        for r in by_day["list"]
    ] == [("2026-11-03 00:00:00", "1", "1")]


def test_audience_report_by_hour_and_gender_adds_up_to_the_basic_hours(
    client: TestClient, traffic: SparkWorld
) -> None:
    common = {"start_date": DAY, "end_date": DAY, "page_size": 100, "metrics": ["impressions"]}
    audience = _report(
        client,
        traffic,
        report_type="AUDIENCE",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id", "stat_time_hour", "gender"],
        **common,
    )
    basic = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_CAMPAIGN",
        dimensions=["campaign_id", "stat_time_hour"],
        **common,
    )
    per_hour: Counter[str] = Counter()
    for row in audience["list"]:
        assert list(row["dimensions"]) == ["campaign_id", "stat_time_hour", "gender"]
        per_hour[row["dimensions"]["stat_time_hour"]] += int(row["metrics"]["impressions"])
    assert {r["dimensions"]["gender"] for r in audience["list"]} == {"MALE", "FEMALE"}
    assert dict(per_hour) == {
        r["dimensions"]["stat_time_hour"]: int(r["metrics"]["impressions"]) for r in basic["list"]
    }
    assert len(per_hour) > 1


def _seconds(value: float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_audience_report_gives_average_play_time_per_view_and_per_viewer(
    client: TestClient, uow: UnitOfWork, traffic: SparkWorld
) -> None:
    metrics = ["impressions", "reach", "average_video_play", "average_video_play_per_user"]
    audience = _report(
        client,
        traffic,
        report_type="AUDIENCE",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day", "gender"],
        start_date=DAY,
        end_date=DAY,
        metrics=metrics,
        enable_total_metrics=True,
    )
    counts = dict(
        uow.session.execute(select(Event.event_type, func.count()).group_by(Event.event_type)).all()
    )
    cells = {column: counts.get(kind, 0) for kind, column in EVENT_COLUMN.items()}
    watched = play_ms(cells, traffic.post["duration"]) / 1000  # the documented estimate
    total = audience["total_metrics"]
    assert total["average_video_play"] == _seconds(watched / cells["impressions"])
    assert total["average_video_play_per_user"] == _seconds(watched / 10)  # 10 viewers
    for row in audience["list"]:
        assert float(row["metrics"]["average_video_play"]) > 0
        assert float(row["metrics"]["average_video_play_per_user"]) > 0
    [basic] = _report(
        client,
        traffic,
        report_type="BASIC",
        data_level="AUCTION_AD",
        dimensions=["ad_id", "stat_time_day"],
        start_date=DAY,
        end_date=DAY,
        metrics=metrics,
    )["list"]
    assert basic["metrics"] == total


def test_metric_sparkads_cannot_compute_is_refused_in_english_and_french(
    client: TestClient, traffic: SparkWorld
) -> None:
    for language, words in (("en", "is not computed"), ("fr", "n'est pas calculé")):
        answer = open_api_get(
            client,
            traffic.brand,
            "report/integrated/get/",
            headers={"Accept-Language": language},
            advertiser_id=traffic.brand.id,
            report_type="AUDIENCE",
            dimensions=["ad_id", "gender"],
            start_date=DAY,
            end_date=DAY,
            metrics=["impressions", "engaged_view_15s"],
        )
        assert answer["code"] == 40002
        assert answer["data"]["error"]["reason"] == "metric_not_computed"
        assert "engaged_view_15s" in answer["message"]
        assert words in answer["message"]


def test_order_field_that_is_not_a_kpi_is_refused(client: TestClient, traffic: SparkWorld) -> None:
    answer = open_api_get(
        client,
        traffic.brand,
        "report/integrated/get/",
        advertiser_id=traffic.brand.id,
        report_type="BASIC",
        dimensions=["ad_id"],
        query_lifetime=True,
        metrics=["impressions", "ad_name"],
        order_field="ad_name",
    )
    assert answer["code"] == 40002
    assert answer["data"]["error"]["reason"] == "invalid_parameter"
    assert "order_field" in answer["message"]


def test_native_report_breaks_down_by_audience_and_hour(
    client: TestClient, uow: UnitOfWork, traffic: SparkWorld
) -> None:
    params = {
        "advertiser_id": traffic.brand.id,
        "start_date": DAY,
        "end_date": DAY,
        "level": "ad",
        "by": "hour",
        "audience": "gender,age",
        "metrics": "impressions,average_video_play",
    }
    response = client.get("/api/v1/reports", headers=traffic.brand.bearer, params=params)
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert set(rows[0]) == {
        "ad_id",
        "gender",
        "age",
        "stat_time_hour",
        "impressions",
        "average_video_play",
    }
    assert {r["age"] for r in rows} == {"AGE_25_34"}
    impressions = uow.session.scalar(select(func.count()).where(Event.event_type == "impression"))
    assert sum(int(r["impressions"]) for r in rows) == impressions
    for bad, code in (("audience", "language"), ("metrics", "engaged_view_15s")):
        refused = client.get(
            "/api/v1/reports", headers=traffic.brand.bearer, params={**params, bad: code}
        )
        assert refused.status_code == 400
        expected = "invalid_parameter" if bad == "audience" else "metric_not_computed"
        assert refused.json()["error"]["code"] == expected
