"""How a simulated feed talks to the engine: in this process (decide + ingest directly, on a test
clock) or over HTTP against a running `sparkads serve --sandbox` (the real APIs, feed token,
through `sparkads.client.FeedClient`: the client a platform's server-side feed uses)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import httpx

from sparkads.client import Event, FeedClient, ViewerJson
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.counters import Counters, MemoryCounters
from sparkads.delivery.model import Viewer
from sparkads.delivery.store import SnapshotStore, signing_secret, viewer_secret
from sparkads.events.warmup import warm_counters
from sparkads.keys import KeySet
from sparkads.reporting.reason_hours import ReasonSaver
from sparkads.services.decisions import EngineConfig, decide_for_viewer
from sparkads.services.events import IncomingEvent, record_events
from sparkads.traffic.intake import TrafficRecorder

EVENT_BATCH = 1_000


@dataclass(frozen=True)
class Served:
    token: str
    item_id: str
    adgroup_id: str


@dataclass(frozen=True)
class SimEvent:
    token: str
    event_type: str
    occurred_at: datetime


class Transport(Protocol):
    def now(self) -> datetime: ...
    def advance_to(self, when: datetime) -> None: ...
    def refresh(self) -> None: ...
    def decide(self, viewer: Viewer, slots: int) -> list[Served]: ...
    def send(self, events: Sequence[SimEvent]) -> None: ...


class InProcess:
    """The engine, the traffic log and event intake called directly, with the same code the API
    runs: the synthetic viewers reach the product only as this traffic."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: TestClock,
        store: SnapshotStore,
        counters: Counters,
        config: EngineConfig,
        rng: random.Random,
        traffic: TrafficRecorder | None = None,
    ) -> None:
        self.uow, self.clock, self.store = uow, clock, store
        self.counters, self.config, self.rng = counters, config, rng
        self.traffic = traffic or TrafficRecorder(uow, clock, seed=rng.randrange(2**32))
        # the engine's why-(not-)served counts saved as serve's folder saves them, an hour at a
        # time of the simulated clock, so delivery statuses read the simulated traffic
        self.reasons = ReasonSaver(counters, lambda: [g.adgroup_id for g in store.snapshot.groups])

    def now(self) -> datetime:
        return self.clock.now()

    def advance_to(self, when: datetime) -> None:
        if when > self.clock.now():
            self.clock.advance(when - self.clock.now())

    def refresh(self) -> None:
        """The reasons counted since the last refresh saved, then the snapshot rebuilt."""
        with self.uow() as unit:
            self.reasons.save(unit.session, self.clock.now(), force=True)
            unit.commit()
        self.reasons.committed()
        self.store.rebuild()

    def decide(self, viewer: Viewer, slots: int) -> list[Served]:
        """As the feed decisions route decides: from the live snapshot, logged as the traffic of
        the feed "simulator" (its events are sent without a feed, so its tokens are not checked
        against one)."""
        decided = decide_for_viewer(
            self.store,
            self.counters,
            self.config,
            self.rng,
            self.traffic,
            self.clock,
            viewer,
            slots,
            "PLACEMENT_TIKTOK",
            "simulator",
        )
        return [Served(d.token, d.ad.item_id, d.group.adgroup_id) for d in decided.chosen]

    def send(self, events: Sequence[SimEvent]) -> None:
        self.traffic.flush()
        for start in range(0, len(events), EVENT_BATCH):
            chunk = events[start : start + EVENT_BATCH]
            record_events(
                self.uow,
                self.counters,
                self.store.peek,
                self.config.verification_keys,
                self.clock.now(),
                [IncomingEvent(e.token, e.event_type, e.occurred_at) for e in chunk],
            )


class OverHttp:
    """A running server in sandbox mode: decisions and events through `FeedClient` (retries,
    typed answers), the sandbox clock through its API with an operator token (only an operator
    moves the sandbox clock)."""

    def __init__(self, base_url: str, feed_token: str, operator_token: str) -> None:
        self.feed = FeedClient(base_url, feed_token, timeout=30)
        self.client = httpx.Client(
            base_url=base_url, timeout=30, headers={"Authorization": f"Bearer {feed_token}"}
        )
        self.operator = {"Authorization": f"Bearer {operator_token}"}

    def now(self) -> datetime:
        return datetime.fromisoformat(self.client.get("/api/v1/sandbox/clock").json()["now"])

    def advance_to(self, when: datetime) -> None:
        seconds = (when - self.now()).total_seconds()
        if seconds > 0:
            self.client.post(
                "/api/v1/sandbox/clock/advance", json={"seconds": seconds}, headers=self.operator
            ).raise_for_status()

    def refresh(self) -> None:
        """The server rebuilds its snapshot by itself after changes."""

    def decide(self, viewer: Viewer, slots: int) -> list[Served]:
        answer = self.feed.decide(viewer_json(viewer), slots)
        return [Served(d.token, d.item_id, d.adgroup_id) for d in answer.decisions]

    def send(self, events: Sequence[SimEvent]) -> None:
        self.feed.send([Event(e.token, e.event_type, e.occurred_at) for e in events])

    def close(self) -> None:
        self.feed.close()
        self.client.close()


def viewer_json(viewer: Viewer) -> ViewerJson:
    """A domain viewer as POST /api/v1/feed/decisions takes it."""
    return {
        "viewer_id": viewer.viewer_id,
        "country": viewer.country,
        "region": viewer.region,
        "age": viewer.age,
        "gender": viewer.gender,
        "language": viewer.language,
        "device": {
            "os": viewer.os,
            "network": viewer.network,
            "price": viewer.device_price,
            "os_version": ".".join(map(str, viewer.os_version)) or None,
        },
        "interests": list(viewer.interests),
        "behaviours": [
            {
                "action_scene": b.action_scene,
                "action": b.action,
                "category_id": b.category_id,
                "days_ago": b.days_ago,
            }
            for b in viewer.behaviours
        ],
    }


def open_in_process(
    database_url: str,
    clock: TestClock,
    seed: int,
    base_url: str = "http://127.0.0.1:8000",
    sealing: KeySet | None = None,
) -> InProcess:
    """The same runtime `sparkads serve` builds, for a simulation run inside this process
    (`sealing`: the server's keys, to open the viewer-key secret as `serve` keeps it)."""
    uow = UnitOfWorkFactory(make_engine(database_url))
    counters = MemoryCounters()
    with uow() as unit:
        secret = signing_secret(unit.session, clock)
        viewer_secret(unit.session, clock, sealing)
        warm_counters(unit.session, counters, clock)
        unit.commit()
    store = SnapshotStore(uow, clock, base_url, counters)
    return InProcess(uow, clock, store, counters, EngineConfig(secret=secret), random.Random(seed))
