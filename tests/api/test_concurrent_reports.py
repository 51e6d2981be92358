"""Reports read while feeds keep sending events, from several threads at once: every refresh of
the rollups (one per report request) either folds new events in or waits for the one doing it, no
request fails, and once the traffic stops the report counts exactly the events stored.

On PostgreSQL the refreshes and the event inserts run in parallel transactions and commit out of
id order; SQLite has one writer at a time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import PARIS_VIEWER, SparkWorld, ask, create_ad, feed, open_api_get, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.events.models import Event

DAY = "2026-11-02"
VIEWERS = 40


def _impressions(client: TestClient, world: SparkWorld) -> int:
    answer = open_api_get(
        client,
        world.brand,
        "report/integrated/get/",
        advertiser_id=world.brand.id,
        report_type="BASIC",
        data_level="AUCTION_ADVERTISER",
        dimensions=["advertiser_id"],
        start_date=DAY,
        end_date=DAY,
        metrics=["impressions"],
    )
    assert answer["code"] == 0, answer
    rows = answer["data"]["list"]
    return int(rows[0]["metrics"]["impressions"]) if rows else 0


def test_reports_read_during_traffic_end_up_counting_every_event(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    app_feed = feed(uow, clock)
    tokens = [
        ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": f"viewer-{i}"})[0]["token"]
        for i in range(VIEWERS)
    ]

    def impression(token: str) -> int:
        response = client.post(
            "/api/v1/events",
            headers=app_feed.bearer,
            json={"events": [{"token": token, "type": "impression"}]},
        )
        assert response.status_code == 200, response.text
        return int(response.json()["accepted"])

    with ThreadPoolExecutor(8) as pool:
        sent = [pool.submit(impression, token) for token in tokens]
        read = [pool.submit(_impressions, client, world) for _ in range(VIEWERS // 2)]
        assert sum(future.result() for future in sent) == VIEWERS
        assert all(0 <= future.result() <= VIEWERS for future in read)

    stored = uow.session.scalar(select(func.count()).select_from(Event))
    assert stored == VIEWERS
    assert _impressions(client, world) == VIEWERS
