"""The sandbox world: same seed, same world and outcome; forecasts move the right way; midnight
resets daily budgets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import PARIS_VIEWER, Account, advance, ask, create_ad, feed, spark_world
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.compile import geography
from sparkads.delivery.engine import budget_lines
from sparkads.events.models import Event, SpendEntry
from sparkads.simulation import population as synthetic
from sparkads.simulation.behaviour import PostProfile
from sparkads.simulation.forecast import Draft, forecast
from sparkads.simulation.simulator import post_profiles, simulate
from sparkads.simulation.traffic import open_in_process
from sparkads.simulation.world import build_world, launch_campaigns, settle_code_states

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _simulated_world(path: Path, seed: int) -> dict[str, Any]:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    clock = TestClock(START)
    transport = open_in_process(url, clock, seed)
    with transport.uow() as uow:
        world = build_world(uow.session, clock, seed, creators=10)
        launch_campaigns(uow.session, clock, world, seed)
        settle_code_states(uow.session, clock, world)
        uow.commit()
        handles = [c.handle for c in world.creators]
    with transport.uow() as uow:
        profiles = post_profiles(uow.session)
    summary = simulate(
        transport,
        synthetic.generate(5_000, seed),
        profiles,
        days=1,
        requests_per_day=2_000,
        seed=seed,
    )
    with transport.uow() as uow:
        spend = uow.session.scalar(select(func.sum(SpendEntry.amount))) or 0
        events = dict(
            uow.session.execute(  # type: ignore[arg-type]
                select(Event.event_type, func.count()).group_by(Event.event_type)
            ).all()
        )
    return {
        "handles": handles,
        "requests": summary.requests,
        "fills": summary.fills,
        "events": events,
        "spend": spend,
    }


def test_same_seed_gives_the_same_world_and_outcome(tmp_path: Path) -> None:
    first = _simulated_world(tmp_path / "a.db", seed=3)
    again = _simulated_world(tmp_path / "b.db", seed=3)
    other = _simulated_world(tmp_path / "c.db", seed=4)
    assert first == again
    assert first["fills"] > 0
    assert first["events"]["impression"] == first["fills"]
    assert other != first


@pytest.fixture(scope="module")
def people() -> synthetic.Population:
    return synthetic.generate(20_000, 7)


def _forecast(
    client: TestClient, people: synthetic.Population, *, budget: int, location: str = "3017382"
) -> Any:
    snapshot = client.app.state.context.delivery.store.snapshot  # type: ignore[attr-defined]
    draft = Draft(
        targeting={"location_ids": [location]},
        goal="CLICK",
        billing="CPC",
        bid_type="BID_TYPE_CUSTOM",
        bid=2_000_000,
        daily_budget=budget * 1_000_000,
        eur_rate=1.0,
        timezone=ZoneInfo("Europe/Paris"),
        post=PostProfile("", "", 0.06, 12.0, 50_000, "FR"),
    )
    return forecast(
        snapshot,
        people,
        {},
        draft,
        geography(),
        start=START,
        requests_per_day=20_000,
        runs=2,
        seed=5,
    )


def test_a_bigger_budget_forecasts_more(client: TestClient, people: synthetic.Population) -> None:
    small, large = _forecast(client, people, budget=1), _forecast(client, people, budget=200)
    assert small.range("spend").high <= 1_000_000 + 2_000_000  # capped by the budget
    assert large.range("spend").low > small.range("spend").high
    assert large.range("clicks").low > small.range("clicks").high
    assert large.range("impressions").low > small.range("impressions").high
    assert small.audience_size == large.audience_size > 0


def test_a_country_without_viewers_forecasts_zero(
    client: TestClient, people: synthetic.Population
) -> None:
    japan = _forecast(client, people, budget=100, location="1861060")
    assert japan.audience_size == 0
    assert japan.range("impressions").high == 0
    assert japan.range("spend").high == 0


def test_forecast_through_the_api(client: TestClient, uow: UnitOfWork, clock: TestClock) -> None:
    world = spark_world(client, uow, clock)
    response = client.post(
        "/api/v1/forecasts",
        headers=world.brand.bearer,
        json={
            "advertiser_id": world.brand.id,
            "budget": 50,
            "bid_price": 1.5,
            "targeting": {"location_ids": ["3017382"], "age_groups": ["AGE_18_24", "AGE_25_34"]},
            "runs": 1,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["currency"] == "EUR"
    assert 0 < body["audience_size"] < body["population_size"]
    assert body["daily"]["impressions"]["high"] > 0
    bad = client.post(
        "/api/v1/forecasts",
        headers=world.brand.bearer,
        json={
            "advertiser_id": world.brand.id,
            "budget": 50,
            "bid_price": 1,
            "targeting": {"location_ids": ["42"]},
        },
    )
    assert bad.json()["error"]["code"] == "unknown_targeting_ids"


def test_midnight_in_the_advertisers_timezone_resets_daily_spend(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    app_feed: Account = feed(uow, clock)
    world = spark_world(client, uow, clock, adgroup_fields={"pacing": "PACING_MODE_FAST"})
    assert create_ad(client, world)["code"] == 0
    runtime = client.app.state.context.delivery  # type: ignore[attr-defined]
    group = runtime.store.snapshot.group(world.adgroup_id)
    today = clock.now().astimezone(group.timezone)
    runtime.counters.try_bill(budget_lines(group, today.date()), 20_000_000)
    assert ask(client, app_feed) == []
    midnight = (today + timedelta(days=1)).replace(hour=0, minute=0, second=1)
    advance(client, seconds=(midnight - clock.now()).total_seconds())
    assert [d["item_id"] for d in ask(client, app_feed, {**PARIS_VIEWER, "viewer_id": "next"})] == [
        world.post["item_id"]
    ]
