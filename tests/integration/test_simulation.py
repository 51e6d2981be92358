"""The sandbox world: same seed, same world and outcome; forecasts move the right way; midnight
resets daily budgets."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factories import PARIS_VIEWER, Account, advance, ask, create_ad, feed, spark_world
from factories.server import hermetic_env
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.compile import geography
from sparkads.delivery.engine import budget_lines
from sparkads.errors import SparkadsError
from sparkads.events.models import Event, SpendEntry
from sparkads.reporting.models import ReasonHour
from sparkads.simulation import population as synthetic
from sparkads.simulation.simulator import post_profiles, simulate
from sparkads.simulation.traffic import open_in_process
from sparkads.simulation.world import build_world, launch_campaigns, settle_code_states
from sparkads.traffic.backtest import backtest
from sparkads.traffic.forecast import Draft, forecast
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings

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


def _log_traffic(client: TestClient, people: synthetic.Population, days: int = 3) -> None:
    """The synthetic viewers as feed requests spread over the last `days` days, through the
    traffic intake the feed endpoint runs (every request logged)."""
    context = client.app.state.context  # type: ignore[attr-defined]
    recorder = TrafficRecorder(context.uow, context.clock, TrafficSettings(sample_rate=1.0), 5)
    snapshot, now = context.delivery.store.snapshot, context.clock.now()
    step = timedelta(days=days) / people.size
    for i in range(people.size):
        at = now - timedelta(days=days) + step * i
        recorder.record(people.viewer(i), [], snapshot, at=at)
    recorder.flush()


def _forecast(
    client: TestClient, uow: UnitOfWork, *, budget: float, location: str = "3017382"
) -> Any:
    context = client.app.state.context  # type: ignore[attr-defined]
    draft = Draft(
        targeting={"location_ids": [location]},
        goal="CLICK",
        billing="CPC",
        bid_type="BID_TYPE_CUSTOM",
        bid=2_000_000,
        daily_budget=round(budget * 1_000_000),
        eur_rate=1.0,
        timezone=ZoneInfo("Europe/Paris"),
    )
    return forecast(
        uow.session, context.delivery.store.snapshot, draft, geography(), now=context.clock.now()
    )


def test_a_bigger_budget_forecasts_more(
    client: TestClient, uow: UnitOfWork, people: synthetic.Population
) -> None:
    _log_traffic(client, people)
    small, large = _forecast(client, uow, budget=0.2), _forecast(client, uow, budget=200)
    assert small.range("spend").high <= 200_000 + 2_000_000  # the budget, plus one event at most
    assert large.range("spend").low > small.range("spend").high
    assert large.range("clicks").low > small.range("clicks").high
    assert large.range("impressions").low > small.range("impressions").high
    french = int((people.country == people.countries.index("FR")).sum())
    assert small.audience.size == large.audience.size == french
    # three days of traffic from 09:00 UTC touch four days of the Paris calendar; the two
    # partial ones at the edges make one day's worth and are left out of the ranges
    assert (large.basis.requests, large.basis.days) == (people.size, 3)


def test_a_country_without_viewers_forecasts_zero(
    client: TestClient, uow: UnitOfWork, people: synthetic.Population
) -> None:
    _log_traffic(client, people)
    japan = _forecast(client, uow, budget=100, location="1861060")
    assert japan.audience.size == 0
    assert japan.basis.matching == 0
    assert japan.range("impressions").high == 0
    assert japan.range("spend").high == 0


def test_without_traffic_a_forecast_says_there_is_no_basis(
    client: TestClient, uow: UnitOfWork
) -> None:
    with pytest.raises(SparkadsError) as refused:
        _forecast(client, uow, budget=100)
    assert refused.value.code == "forecast_no_basis"
    assert "0 sampled feed requests" in refused.value.render("en")["message"]
    assert "requêtes du fil" in refused.value.render("fr")["message"]


def test_forecast_through_the_api(
    client: TestClient, uow: UnitOfWork, clock: TestClock, people: synthetic.Population
) -> None:
    world = spark_world(client, uow, clock)
    body = {
        "advertiser_id": world.brand.id,
        "budget": 50,
        "bid_price": 1.5,
        "targeting": {"location_ids": ["3017382"], "age_groups": ["AGE_18_24", "AGE_25_34"]},
    }
    empty = client.post("/api/v1/forecasts", headers=world.brand.bearer, json=body)
    assert empty.status_code == 409, empty.text
    assert empty.json()["error"]["code"] == "forecast_no_basis"
    _log_traffic(client, people)
    response = client.post("/api/v1/forecasts", headers=world.brand.bearer, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["currency"] == "EUR"
    assert 0 < answer["audience_size"] < answer["audience"]["known_viewers"] == people.size
    assert answer["basis"]["requests"] == people.size
    assert answer["basis"]["days"] == 3
    assert answer["daily"]["impressions"]["high"] > 0
    bad = client.post(
        "/api/v1/forecasts",
        headers=world.brand.bearer,
        json={**body, "targeting": {"location_ids": ["42"]}},
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


def test_backtest_compares_a_forecast_of_day_d_with_what_was_delivered_on_d(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'backtest.db'}"
    migrate.upgrade(url)
    clock = TestClock(datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    transport = open_in_process(url, clock, 3)
    with transport.uow() as unit:
        world = build_world(unit.session, clock, 3, creators=10)
        launch_campaigns(unit.session, clock, world, 3)
        settle_code_states(unit.session, clock, world)
        unit.commit()
    with transport.uow() as unit:
        profiles = post_profiles(unit.session)
    simulate(
        transport, synthetic.generate(5_000, 3), profiles, days=4, requests_per_day=3_000, seed=3
    )
    day = (clock.now() - timedelta(days=1)).date()
    with transport.uow() as unit:
        rows = backtest(
            unit.session, transport.store.snapshot, day,
            history=transport.counters.stats_snapshot(), days=3,
        )  # fmt: skip
    assert rows, "no ad group delivered on the backtest day"
    impressions = [r for r in rows if r.metric == "impressions"]
    assert {r.metric for r in rows} == {"impressions", "clicks", "spend"}
    assert all(r.actual > 0 for r in impressions)  # only groups that delivered on D
    assert any(r.high > 0 for r in impressions)  # the log of the days before D forecasts them
    assert all(0 <= r.low <= r.mean <= r.high for r in rows)
    # `sparkads backtest` (through services.forecasts) answers the same comparisons of day D
    command = ["backtest", "--day", day.isoformat(), "--days", "3", "--json", "--database-url", url]
    shown = subprocess.run(
        [sys.executable, "-m", "sparkads", *command], capture_output=True, text=True,
        env=hermetic_env(), timeout=300, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    answer = json.loads(shown.stdout)
    assert answer["day"] == day.isoformat()
    assert {(c["adgroup_id"], c["metric"]) for c in answer["comparisons"]} == {
        (r.adgroup_id, r.metric) for r in rows
    }
    delivered = {
        c["adgroup_id"]: c["actual"] for c in answer["comparisons"] if c["metric"] == "impressions"
    }
    assert delivered == {r.adgroup_id: r.actual for r in impressions}


def test_the_in_process_simulation_saves_the_engines_reasons_an_hour_at_a_time(
    tmp_path: Path,
) -> None:
    """What the delivery statuses read: the simulated hours' why-(not-)served counts, saved as a
    serve process's folder saves them, adding up to what the engine counted."""
    url = f"sqlite:///{tmp_path / 'reasons.db'}"
    migrate.upgrade(url)
    clock = TestClock(START)
    transport = open_in_process(url, clock, 5)
    with transport.uow() as uow:
        world = build_world(uow.session, clock, 5, creators=6)
        launch_campaigns(uow.session, clock, world, 5)
        uow.commit()
    with transport.uow() as uow:
        profiles = post_profiles(uow.session)
    simulate(transport, synthetic.generate(2_000, 5), profiles, days=0.25, requests_per_day=4_000,
             seed=5)  # fmt: skip
    transport.refresh()
    with transport.uow() as uow:
        rows = uow.session.execute(
            select(
                ReasonHour.reason,
                func.sum(ReasonHour.count),
                func.count(ReasonHour.hour.distinct()),
            ).group_by(ReasonHour.reason)
        ).all()
    saved = {reason: (int(total), hours) for reason, total, hours in rows}
    assert saved["requests"][0] == transport.counters.request_count() > 0
    served = sum(transport.counters.reasons(g.adgroup_id).get("served", 0)
                 for g in transport.store.snapshot.groups)  # fmt: skip
    assert saved["served"][0] == served > 0
    assert saved["requests"][1] >= 6  # an hour at a time of the 6 simulated hours
