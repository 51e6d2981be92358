"""The snapshot store's background thread: each rebuild is frozen out of the cyclic GC's way, and
the periodic full collection still reclaims garbage cycles frozen with it."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Callable, Iterator

import pytest

from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery import store as store_module
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.store import SnapshotStore


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


@pytest.fixture
def store(database_url: str, clock: TestClock) -> Iterator[SnapshotStore]:
    engine = make_engine(database_url)
    background = SnapshotStore(
        UnitOfWorkFactory(engine), clock, "http://testserver", MemoryCounters()
    )
    gc.disable()  # only the store collects, so what it reclaims is visible
    background.start()
    try:
        yield background
    finally:
        background.stop()
        gc.unfreeze()
        gc.enable()
        engine.dispose()


def _rebuilt(store: SnapshotStore) -> None:
    before = store.peek()
    store.invalidate()
    _wait(lambda: store.peek() is not before and gc.get_freeze_count() > 0)


def _wait(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the background rebuild did not happen"
        time.sleep(0.01)


def test_a_background_rebuild_freezes_the_heap(store: SnapshotStore) -> None:
    gc.unfreeze()
    _rebuilt(store)
    assert gc.get_freeze_count() > 0


def test_cycles_frozen_with_a_snapshot_are_collected_periodically(
    store: SnapshotStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "FULL_COLLECTION_EVERY", 2)
    cycle = Node()
    cycle.other = Node()
    cycle.other.other = cycle
    gone = weakref.ref(cycle)
    del cycle
    _rebuilt(store)
    _rebuilt(store)
    _rebuilt(store)  # one of these was the periodic full collection
    assert gone() is None
