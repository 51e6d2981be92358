"""A forecast of zero says why, so the wizard can say what to change: the targeting (no logged
viewer matches), the bid (the draft wins no auction) or the budget (it wins, but cannot pay)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from factories import create_ad, spark_world
from factories.traffic import forecast_draft, log_traffic
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.services.forecasts import zero_because
from sparkads.simulation import population as synthetic


@pytest.fixture(scope="module")
def people() -> synthetic.Population:
    return synthetic.generate(3_000, 7)


def test_a_forecast_that_delivers_needs_no_reason(
    client: TestClient, uow: UnitOfWork, people: synthetic.Population
) -> None:
    log_traffic(client, people)
    result = forecast_draft(client, uow.session)
    assert result.range("impressions").high > 0
    assert zero_because(result) is None


def test_no_matching_viewer_points_at_the_targeting(
    client: TestClient, uow: UnitOfWork, people: synthetic.Population
) -> None:
    log_traffic(client, people)
    result = forecast_draft(
        client, uow.session, targeting={"location_ids": ["1861060"]}
    )  # Japan: nobody
    assert result.range("impressions").high == 0
    assert zero_because(result) == "targeting"


def test_a_bid_that_wins_no_auction_points_at_the_bid(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: synthetic.Population
) -> None:
    world = spark_world(client, uow, clock, adgroup_fields={"bid_price": 5, "budget": 5000})
    assert create_ad(client, world)["code"] == 0  # a live competitor in France, bidding high
    client.app.state.context.delivery.store.refresh()  # type: ignore[attr-defined]
    log_traffic(client, people)
    result = forecast_draft(
        client, uow.session, bid=1
    )  # a millionth of a euro per thousand impressions
    assert result.basis.matching > 0
    assert result.range("impressions").high == 0
    assert zero_because(result) == "bid"
