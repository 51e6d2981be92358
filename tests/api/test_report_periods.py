"""Reports by hour and day are exact in the advertiser's timezone, whatever its offset: half-hour
and 45-minute zones, and the night summer time ends (the repeated hour)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import SparkWorld, ask, create_ad, feed, open_api_get, send_events, spark_world
from sparkads.accounts.models import Advertiser
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.reporting import rollups
from sparkads.reporting.models import AdDayRollup, AdHourRollup

# 00:10 UTC on the night summer time ends in Europe: 02:10 CEST, an hour before 02:00 CET repeats
START = datetime(2026, 10, 25, 0, 10, tzinfo=UTC)
DAY = "2026-10-25"


@pytest.fixture
def clock() -> TestClock:
    return TestClock(START)


def _world_in(
    client: TestClient, uow: UnitOfWork, clock: TestClock, timezone: str
) -> tuple[SparkWorld, Any]:
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    create_ad(client, world)
    uow.session.get_one(Advertiser, world.brand.id).timezone = timezone
    uow.commit()
    return world, feed(uow, clock)


def _impressions_every(
    client: TestClient, app_feed: Any, clock: TestClock, minutes: int, count: int
) -> None:
    for _ in range(count):
        token = ask(client, app_feed)[0]["token"]
        send_events(client, app_feed, (token, "impression"), (token, "view_2s"))
        clock.advance(timedelta(minutes=minutes))


def _rows(client: TestClient, world: SparkWorld, **params: Any) -> list[tuple[str, ...]]:
    answer = open_api_get(
        client,
        world.brand,
        "report/integrated/get/",
        advertiser_id=world.brand.id,
        data_level="AUCTION_ADVERTISER",
        start_date=DAY,
        end_date=DAY,
        page_size=100,
        **params,
    )
    assert answer["code"] == 0, answer
    return [
        (*row["dimensions"].values(), *row["metrics"].values()) for row in answer["data"]["list"]
    ]


@pytest.mark.parametrize(
    ("timezone", "hours"),
    [
        # events at 00:10, 00:30 and 00:50 UTC: one UTC hour, two local hours
        ("Asia/Kolkata", [("2026-10-25 05:00:00", "1"), ("2026-10-25 06:00:00", "2")]),
        ("Asia/Kathmandu", [("2026-10-25 05:00:00", "1"), ("2026-10-25 06:00:00", "2")]),
        ("Australia/Adelaide", [("2026-10-25 10:00:00", "1"), ("2026-10-25 11:00:00", "2")]),
    ],
)
def test_hourly_report_uses_local_hours_in_half_hour_zones(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    timezone: str,
    hours: list[tuple[str, str]],
) -> None:
    world, app_feed = _world_in(client, uow, clock, timezone)
    _impressions_every(client, app_feed, clock, minutes=20, count=3)
    by_hour = _rows(
        client, world, report_type="BASIC", dimensions=["stat_time_hour"], metrics=["impressions"]
    )
    assert by_hour == hours
    audience = _rows(
        client,
        world,
        report_type="AUDIENCE",
        dimensions=["stat_time_hour", "gender"],
        metrics=["impressions"],
    )
    assert [(hour, count) for hour, _, count in audience] == hours


def test_repeated_hour_when_summer_time_ends_is_one_row_adding_up_to_the_day(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, app_feed = _world_in(client, uow, clock, "Europe/Paris")
    # 02:10 and 02:50 CEST, then 02:30 CET (the same local hour again), then 03:10 CET
    _impressions_every(client, app_feed, clock, minutes=40, count=4)
    metrics = ["impressions", "reach", "video_watched_2s"]
    by_hour = _rows(
        client, world, report_type="BASIC", dimensions=["stat_time_hour"], metrics=metrics
    )
    assert by_hour == [
        ("2026-10-25 02:00:00", "3", "1", "3"),
        ("2026-10-25 03:00:00", "1", "1", "1"),
    ]
    [day] = _rows(client, world, report_type="BASIC", dimensions=["stat_time_day"])
    assert day == (f"{DAY} 00:00:00", "0.00", "4")


def test_rollups_rebuilt_in_a_45_minute_zone_give_the_same_numbers(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world, app_feed = _world_in(client, uow, clock, "Asia/Kathmandu")
    _impressions_every(client, app_feed, clock, minutes=25, count=6)
    hourly = {"report_type": "BASIC", "dimensions": ["stat_time_hour"], "metrics": ["impressions"]}
    before = _rows(client, world, **hourly)

    def stored() -> list[tuple[Any, ...]]:
        return sorted(
            (r.hour, r.impressions, r.views_2s, r.play_ms)
            for r in uow.session.scalars(select(AdHourRollup))
        ) + sorted(
            (r.day, r.impressions, r.play_ms) for r in uow.session.scalars(select(AdDayRollup))
        )

    incremental = stored()
    rollups.rebuild(uow.session, clock)
    uow.commit()
    assert stored() == incremental
    assert _rows(client, world, **hourly) == before
    # 05:55, 06:20, 06:45, 07:10, 07:35 and 08:00 in Kathmandu (UTC+05:45)
    assert before == [
        ("2026-10-25 05:00:00", "1"),
        ("2026-10-25 06:00:00", "2"),
        ("2026-10-25 07:00:00", "2"),
        ("2026-10-25 08:00:00", "1"),
    ]
