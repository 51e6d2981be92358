"""Recommendations from simulated traffic: a fatiguing creative is told to rotate, a fresh one is
not; budget-limited ad groups are told by how much to raise; reports download as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from factories import SparkWorld, create_ad, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.simulation import population as synthetic
from sparkads.simulation.simulator import post_profiles, simulate
from sparkads.simulation.traffic import InProcess

ENGAGING = {
    "duration": 12.0,
    "organic": {"views": 10_000, "likes": 1_500, "comments": 200, "shares": 300},
}


def _run(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    viewers: int,
    budget: float = 500,
    rival: bool = False,
) -> SparkWorld:
    """Six simulated days of 8,000 requests; with a rival brand bidding the same, clicks cost
    close to the bid (second price)."""
    groups = {"budget": budget, "pacing": "PACING_MODE_FAST", "bid_price": 2}
    if rival:
        other = spark_world(
            client, uow, clock, post_fields=ENGAGING, adgroup_fields={**groups, "budget": 500}
        )
        assert create_ad(client, other)["code"] == 0
    # outbidding the rival, so it wins most auctions and runs into its own budget
    mine = {**groups, "bid_price": 3} if rival else groups
    world = spark_world(client, uow, clock, post_fields=ENGAGING, adgroup_fields=mine)
    assert create_ad(client, world)["code"] == 0
    context = client.app.state.context  # type: ignore[attr-defined]
    runtime = context.delivery
    transport = InProcess(
        context.uow, clock, runtime.store, runtime.counters, runtime.config, runtime.rng
    )
    with context.uow() as unit:
        profiles = post_profiles(unit.session)
    simulate(
        transport, synthetic.generate(viewers, 3), profiles, days=6, requests_per_day=8_000, seed=3
    )
    return world


def _recommendations(client: TestClient, world: SparkWorld) -> list[dict[str, Any]]:
    response = client.get(
        "/api/v1/recommendations",
        params={"advertiser_id": world.brand.id},
        headers=world.brand.bearer,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["recommendations"])


def test_fatiguing_creative_gets_the_fatigue_recommendation(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _run(client, uow, clock, viewers=3_000)  # the same viewers see it again and again
    [tired] = [r for r in _recommendations(client, world) if r["kind"] == "creative_fatigue"]
    assert tired["evidence"]["recent_ctr"] < 0.7 * tired["evidence"]["first_days_ctr"]
    assert tired["action"]["type"] == "replace_post"


def test_fresh_creative_gets_no_fatigue_recommendation(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _run(client, uow, clock, viewers=60_000)
    kinds = {r["kind"] for r in _recommendations(client, world)}
    assert "creative_fatigue" not in kinds


def test_budget_limited_ad_group_is_told_to_raise_its_budget(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    world = _run(client, uow, clock, viewers=60_000, budget=20, rival=True)
    [limited] = [r for r in _recommendations(client, world) if r["kind"] == "budget_limited"]
    assert limited["action"] == {
        "type": "set_budget",
        "adgroup_id": world.adgroup_id,
        "budget": 26.0,
    }
    assert len(limited["evidence"]["days_at_budget"]) >= 2


def test_report_downloads_as_csv(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    world = _run(client, uow, clock, viewers=5_000)
    response = client.get(
        "/api/v1/reports",
        headers=world.brand.bearer,
        params={
            "advertiser_id": world.brand.id,
            "start_date": "2026-11-02",
            "end_date": "2026-11-08",
            "level": "campaign",
            "by": "day",
            "format": "csv",
        },
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["campaign_id"] for r in rows} == {world.campaign_id}
    assert len(rows) >= 5
    assert sum(int(r["impressions"]) for r in rows) > 0
    creator_view = client.get("/api/v1/creator/report", headers=world.author.bearer).json()
    [post] = creator_view["posts"]
    assert post["paid"]["reach"] > 0
    assert post["sponsored_by"] == ["Brand FR"]
