"""Traffic for forecast and intake tests: a recorder on a test database, synthetic viewers logged
over days through it, and a draft forecast on the test app's live snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import geography
from sparkads.delivery.store import viewer_secret
from sparkads.simulation import population as synthetic
from sparkads.traffic import store
from sparkads.traffic.forecast import Draft, Forecast, forecast
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings


@contextmanager
def recorder_on(database_url: str, clock: TestClock, rate: float) -> Iterator[TrafficRecorder]:
    """A recorder writing to this database (its viewer-key secret made), sampling `rate`."""
    engine = make_engine(database_url)
    factory = UnitOfWorkFactory(engine)
    with factory() as unit:
        viewer_secret(unit.session, clock)
        unit.commit()
    try:
        yield TrafficRecorder(factory, clock, TrafficSettings(sample_rate=rate), seed=3)
    finally:
        store._logs.clear()  # what this test's database held
        engine.dispose()


def log_traffic(client: TestClient, people: synthetic.Population, days: int = 2) -> None:
    """Every viewer of `people` once, spread over the last `days`, every request logged."""
    context = client.app.state.context  # type: ignore[attr-defined]
    recorder = TrafficRecorder(context.uow, context.clock, TrafficSettings(sample_rate=1.0), 5)
    snapshot, now = context.delivery.store.snapshot, context.clock.now()
    step = timedelta(days=days) / people.size
    for i in range(people.size):
        recorder.record(people.viewer(i), [], snapshot, at=now - timedelta(days=days) + step * i)
    recorder.flush()


def forecast_draft(client: TestClient, session: Session, **changes: Any) -> Forecast:
    """A draft in France (CPM, 5 EUR, 100 EUR a day unless changed) forecast on the live snapshot."""
    context = client.app.state.context  # type: ignore[attr-defined]
    plan: dict[str, Any] = {
        "targeting": {"location_ids": ["3017382"]}, "goal": "CLICK", "billing": "CPM",
        "bid_type": "BID_TYPE_CUSTOM", "bid": 5_000_000, "daily_budget": 100_000_000,
        "eur_rate": 1.0, "timezone": ZoneInfo("Europe/Paris"),
    }  # fmt: skip
    plan.update(changes)
    return forecast(
        session, context.delivery.store.snapshot, Draft(**plan), geography(),
        now=context.clock.now(),
    )  # fmt: skip
