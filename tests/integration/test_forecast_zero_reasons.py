"""A forecast of zero says why, so the wizard can say what to change: the targeting (no logged
viewer matches), the bid (the draft wins no auction) or the budget (it wins, but cannot pay)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from factories import create_ad, spark_world
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.compile import geography
from sparkads.services.forecasts import zero_because
from sparkads.simulation import population as synthetic
from sparkads.traffic.forecast import Draft, forecast
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings


@pytest.fixture(scope="module")
def people() -> synthetic.Population:
    return synthetic.generate(3_000, 7)


def _log_traffic(client: TestClient, people: synthetic.Population, days: int = 2) -> None:
    context = client.app.state.context  # type: ignore[attr-defined]
    recorder = TrafficRecorder(context.uow, context.clock, TrafficSettings(sample_rate=1.0), 5)
    snapshot, now = context.delivery.store.snapshot, context.clock.now()
    step = timedelta(days=days) / people.size
    for i in range(people.size):
        recorder.record(people.viewer(i), [], snapshot, at=now - timedelta(days=days) + step * i)
    recorder.flush()


def _forecast(client: TestClient, uow: UnitOfWork, **changes: Any) -> Any:
    context = client.app.state.context  # type: ignore[attr-defined]
    plan: dict[str, Any] = {
        "targeting": {"location_ids": ["3017382"]}, "goal": "CLICK", "billing": "CPM",
        "bid_type": "BID_TYPE_CUSTOM", "bid": 5_000_000, "daily_budget": 100_000_000,
        "eur_rate": 1.0, "timezone": ZoneInfo("Europe/Paris"),
    }  # fmt: skip
    plan.update(changes)
    return forecast(
        uow.session, context.delivery.store.snapshot, Draft(**plan), geography(),
        now=context.clock.now(),
    )  # fmt: skip


def test_a_forecast_that_delivers_needs_no_reason(
    client: TestClient, uow: UnitOfWork, people: synthetic.Population
) -> None:
    _log_traffic(client, people)
    result = _forecast(client, uow)
    assert result.range("impressions").high > 0
    assert zero_because(result) is None


def test_no_matching_viewer_points_at_the_targeting(
    client: TestClient, uow: UnitOfWork, people: synthetic.Population
) -> None:
    _log_traffic(client, people)
    result = _forecast(client, uow, targeting={"location_ids": ["1861060"]})  # Japan: nobody
    assert result.range("impressions").high == 0
    assert zero_because(result) == "targeting"


def test_a_bid_that_wins_no_auction_points_at_the_bid(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: synthetic.Population
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields={"bid_price": 5, "budget": 5000})
    assert create_ad(client, world)["code"] == 0  # a live competitor in France, bidding high
    client.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    _log_traffic(client, people)
    result = _forecast(client, uow, bid=1)  # a millionth of a euro per thousand impressions
    assert result.basis.matching > 0
    assert result.range("impressions").high == 0
    assert zero_because(result) == "bid"
