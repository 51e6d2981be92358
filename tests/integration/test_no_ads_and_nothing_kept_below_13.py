"""A viewer under the minimum age (13) gets no sponsored post, and nothing about them is kept:
no profile, no log row, whether the request comes through the feed's service or straight to the
intake (`campaigns/minors.py`)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, select

from factories.traffic import recorder_on
from sparkads.clock import TestClock
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig
from sparkads.delivery.model import Snapshot, Viewer
from sparkads.services.decisions import decide_for_viewer
from sparkads.traffic.models import TrafficRequest, ViewerProfile

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CHILD = Viewer("kid1", "FR", "IDF", 9, "FEMALE", "fr", "IOS", (17, 2), "WIFI", 500, ("101",))
TEEN = Viewer("teen1", "FR", "IDF", 13, "FEMALE", "fr", "IOS", (17, 2), "WIFI", 500, ("101",))


class _Store:  # what the service reads of a SnapshotStore
    snapshot = Snapshot(groups=(), index=None, version=0, built_at=0.0)


def test_a_viewer_under_13_gets_no_post_a_reason_and_leaves_nothing(database_url: str) -> None:
    clock = TestClock(START)
    with recorder_on(database_url, clock, 1.0) as recorder:
        store, counters = _Store(), MemoryCounters()
        decided = decide_for_viewer(
            store,  # type: ignore[arg-type]  # only its snapshot is read
            counters, EngineConfig(secret=b"s" * 32), random.Random(1), recorder, clock,
            CHILD, 1, "PLACEMENT_TIKTOK", "feed1",
        )  # fmt: skip
        assert (decided.chosen, decided.clipped) == ([], ())
        assert decided.no_ads_because is not None
        assert decided.no_ads_because.code == "viewer_below_minimum_age"
        assert counters.request_count() == 0
        assert recorder.record(CHILD, [], _Store.snapshot, at=START, sampled=True) == ()
        recorder.record(TEEN, [], _Store.snapshot, at=START, sampled=True)
        recorder.flush(everything=True)
        with recorder.uow() as unit:
            profiles = unit.session.scalar(select(func.count()).select_from(ViewerProfile))
            logged = unit.session.scalar(select(func.count()).select_from(TrafficRequest))
    assert (profiles, logged) == (1, 1)  # the 13-year-old only
