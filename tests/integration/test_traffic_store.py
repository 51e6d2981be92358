"""Reading the traffic tables as columns: stored rows encode as the viewers they were made from,
and the log followed incrementally equals the log read afresh (late commits and lost rows too)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, select

from factories.traffic import recorder_on
from sparkads.clock import TestClock, as_utc
from sparkads.delivery.model import Behaviour, Snapshot
from sparkads.simulation import population as synthetic
from sparkads.traffic import store
from sparkads.traffic.attributes import attributes, sanitize, viewer_of
from sparkads.traffic.columns import PER_VIEWER, ViewerColumns, encode, encode_stored
from sparkads.traffic.intake import TrafficRecorder
from sparkads.traffic.models import TrafficRequest, ViewerProfile

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NO_ADS = Snapshot(groups=(), index=None, version=0, built_at=0.0)


def _same(a: ViewerColumns, b: ViewerColumns) -> None:
    for name in PER_VIEWER:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)


def _viewers(n: int, seed: int) -> list[Any]:
    people = synthetic.generate(n, seed)
    rng = random.Random(seed)
    out: list[Any] = []
    for i in range(people.size):
        viewer = people.viewer(i)
        if i % 7 == 0:  # what the population rarely has: behaviours, versions, no attributes
            viewer = replace(
                viewer,
                behaviours=(Behaviour("VIDEO_RELATED", "LIKED", "101", rng.randint(0, 400)),),
                os_version=(17, rng.randint(0, 9)),
            )
        if i % 11 == 0:
            viewer = replace(viewer, region=None, language=None, age=None, gender=None, os=None,
                             network=None, device_price=None, interests=(), os_version=())  # fmt: skip
        out.append(viewer)
    return out


def test_stored_rows_encode_as_the_viewers_they_were_made_from() -> None:
    viewers = [sanitize(v)[0] for v in _viewers(3_000, 5)]
    rows = [attributes(v) for v in viewers]
    assert sum(1 for r in rows if r[10]) > 100  # behaviours are exercised
    stored = encode_stored(rows)
    _same(stored, encode([viewer_of(_Row(r), "") for r in rows]))
    assert encode_stored([]).size == 0


class _Row:
    """A stored row by attribute name, as `viewer_of` reads one."""

    NAMES = ("country", "region", "language", "age", "gender", "os", "os_version", "network",
             "device_price", "interests", "behaviours")  # fmt: skip

    def __init__(self, values: tuple[object, ...]) -> None:
        self.__dict__.update(zip(self.NAMES, values, strict=True))


@pytest.fixture
def recorder(database_url: str) -> Iterator[TrafficRecorder]:
    with recorder_on(database_url, TestClock(START), 1.0) as made:
        yield made


def _send(recorder: TrafficRecorder, viewers: list[Any], at: datetime) -> None:
    snapshot = NO_ADS
    for i, viewer in enumerate(viewers):
        recorder.record(viewer, [], snapshot, at=at + timedelta(seconds=i), sampled=True)
    recorder.flush()


def _fresh(recorder: TrafficRecorder, since: datetime, until: datetime) -> store.RequestLog:
    store._logs.clear()
    with recorder.uow() as unit:
        return store.request_log(unit.session, since, until)


def _followed(recorder: TrafficRecorder, since: datetime, until: datetime) -> store.RequestLog:
    with recorder.uow() as unit:
        return store.request_log(unit.session, since, until)


def _equal(a: store.RequestLog, b: store.RequestLog) -> None:
    assert a.keys == b.keys
    assert a.won == b.won
    np.testing.assert_array_equal(a.at, b.at)
    np.testing.assert_array_equal(a.weight, b.weight)
    _same(a.columns, b.columns)


def test_the_log_followed_incrementally_equals_the_log_read_afresh(
    recorder: TrafficRecorder,
) -> None:
    viewers = _viewers(300, 9)
    since, until = START - timedelta(days=1), START + timedelta(days=1)
    _send(recorder, viewers[:100], START)
    first = _fresh(recorder, since, until)
    assert first.size == 100
    assert first.at[0] == pytest.approx(START.timestamp(), abs=1e-3)
    _send(recorder, viewers[100:200], START + timedelta(minutes=5))
    assert _followed(recorder, since, until).size == 200
    # committed late: logged before the newest row already read, within the overlap
    _send(recorder, viewers[200:230], START + timedelta(minutes=5, seconds=30))
    followed = _followed(recorder, since, until)
    assert followed.size == 230
    assert np.all(np.diff(followed.at) >= 0)
    _equal(followed, _fresh(recorder, since, until))
    # a narrower window is a slice of what is held
    narrow = _followed(recorder, START + timedelta(minutes=5), until)
    _equal(narrow, _fresh(recorder, START + timedelta(minutes=5), until))
    assert narrow.size == 130 - 1  # (since, until]: the row at exactly since is left out


def test_a_log_that_lost_rows_is_read_afresh(recorder: TrafficRecorder) -> None:
    since, until = START - timedelta(days=1), START + timedelta(days=1)
    _send(recorder, _viewers(50, 4), START)
    assert _followed(recorder, since, until).size == 50
    with recorder.uow() as unit:
        unit.session.execute(
            delete(TrafficRequest).where(TrafficRequest.occurred_at < START + timedelta(seconds=10))
        )
        unit.commit()
    assert _followed(recorder, since, until).size == 40


def test_profiles_written_in_bulk_read_back_as_written(recorder: TrafficRecorder) -> None:
    viewers = _viewers(20, 6)
    _send(recorder, viewers, START)
    _send(recorder, viewers[:5], START + timedelta(hours=2))
    with recorder.uow() as unit:
        rows = {p.viewer_key: p for p in unit.session.scalars(select(ViewerProfile))}
        people = store.profiles(unit.session)
    assert len(rows) == 20
    assert sorted(p.requests for p in rows.values()) == [1] * 15 + [2] * 5
    for row in rows.values():
        assert as_utc(row.first_seen) >= START
        assert as_utc(row.last_seen) in {START + timedelta(seconds=s) for s in range(20)} | {
            START + timedelta(hours=2, seconds=s) for s in range(5)
        }
    assert people.size == 20
    last = {k: people.last_seen[i] for i, k in enumerate(people.keys)}
    for key, row in rows.items():
        assert last[key] == pytest.approx(as_utc(row.last_seen).timestamp(), abs=1e-3)


def test_a_serve_process_reads_the_forecasts_window_at_start(recorder: TrafficRecorder) -> None:
    _send(recorder, _viewers(60, 2), START - timedelta(days=8))  # outside the window
    _send(recorder, _viewers(40, 3), START - timedelta(hours=1))
    store._logs.clear()
    store.warm(recorder.uow, recorder.clock).join(timeout=60)
    [held] = store._logs.values()
    assert held.ids.size == 40
    assert held.since == (START - timedelta(days=store.WARM_DAYS)).timestamp() * 1_000_000


def test_requests_logged_at_the_very_end_of_the_window_are_in_it(
    recorder: TrafficRecorder,
) -> None:
    """A sandbox clock stands still: every request is logged at the instant a forecast then
    reads up to. Instants compare exactly (to the microsecond), not as rounded floats."""
    at = START + timedelta(microseconds=987_654)
    snapshot = NO_ADS
    for viewer in _viewers(5, 1):
        recorder.record(viewer, [], snapshot, at=at, sampled=True)
    recorder.flush()
    store._logs.clear()
    assert _followed(recorder, at - timedelta(days=7), at).size == 5
    assert _followed(recorder, at - timedelta(days=7), at - timedelta(microseconds=1)).size == 0
    assert _followed(recorder, at, at + timedelta(days=1)).size == 0  # (since, until]
