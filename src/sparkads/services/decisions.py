"""Feed decisions: the use case behind `POST /api/v1/feed/decisions`, shared by the FastAPI route
and the lean ASGI lane (`api/feed_lane.py`), and the web feed preview's. No unit of work: a
decision reads the in-memory snapshot and counters only; the traffic recorder buffers what it
keeps and writes it later."""

from __future__ import annotations

import random
from dataclasses import dataclass

from sparkads.campaigns.minors import MINIMUM_AGE, below_minimum_age
from sparkads.clock import Clock
from sparkads.delivery.counters import Counters
from sparkads.delivery.engine import Decision, EngineConfig, decide, reasons_report
from sparkads.delivery.model import Viewer
from sparkads.delivery.store import SnapshotStore
from sparkads.errors import SparkadsError
from sparkads.traffic.attributes import Clipped
from sparkads.traffic.intake import TrafficRecorder

__all__ = [
    "Decided",
    "Decision",
    "EngineConfig",
    "decide_for_viewer",
    "preview_decisions",
    "reasons_report",  # why an ad group was not served, counted by the counters (no database)
]


@dataclass(frozen=True)
class Decided:
    chosen: list[Decision]
    clipped: tuple[Clipped, ...]  # viewer attributes outside the catalogue (warnings in the answer)
    snapshot_version: int
    # why there is no sponsored post at all for this viewer (a warning in the answer), if so
    no_ads_because: SparkadsError | None = None


def decide_for_viewer(
    store: SnapshotStore,
    counters: Counters,
    config: EngineConfig,
    rng: random.Random,
    traffic: TrafficRecorder,
    clock: Clock,
    viewer: Viewer,
    slots: int,
    placement: str,
    feed_id: str,
) -> Decided:
    """Sponsored posts for one viewer from the live snapshot, recorded in the traffic log. A
    viewer under the minimum age gets none, and nothing about them is kept (`campaigns/minors`)."""
    snapshot = store.snapshot
    if below_minimum_age(viewer.age):  # decide() would give nothing: say why, keep nothing
        because = SparkadsError("viewer_below_minimum_age", age=viewer.age, minimum=MINIMUM_AGE)
        return Decided([], (), snapshot.version, because)
    moment = clock.now()
    sampled = traffic.sample()
    chosen = decide(
        viewer,
        slots,
        snapshot,
        counters,
        moment.timestamp(),
        rng,
        config,
        feed_id=feed_id,
        eligible=sampled,
    )
    clipped = traffic.record(
        viewer,
        chosen,
        snapshot,
        at=moment,
        slots=slots,
        placement=placement,
        feed_id=feed_id,
        sampled=False if sampled is None else sampled,
    )
    return Decided(chosen, clipped, snapshot.version)


def preview_decisions(
    store: SnapshotStore,
    counters: Counters,
    config: EngineConfig,
    rng: random.Random,
    clock: Clock,
    viewer: Viewer,
    slots: int,
    feed_id: str,
) -> list[Decision]:
    """The web feed preview's sponsored posts, decided as for a feed from the live snapshot (its
    tokens bound to `feed_id`), but not written to the traffic log: a preview is not traffic."""
    return decide(
        viewer, slots, store.snapshot, counters, clock.now().timestamp(), rng, config, feed_id
    )
