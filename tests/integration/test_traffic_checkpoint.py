"""Columnar checkpoints of the traffic log and profiles (`traffic.checkpoint`): a process starting
from one reads what the tables would have given (rows logged after it, profiles written since,
rows retention deleted), without reading the tables whole; a checkpoint that is missing, cut
short, of another format, made from another database or not matching the tables is ignored."""

from __future__ import annotations

import json
import logging
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from factories.traffic import forecast_draft, log_traffic, recorder_on
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.delivery.model import Snapshot
from sparkads.simulation import population as synthetic
from sparkads.traffic import checkpoint, held, store
from sparkads.traffic.columns import PER_VIEWER
from sparkads.traffic.intake import TrafficRecorder
from sparkads.traffic.models import TrafficRequest, ViewerProfile

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NO_ADS = Snapshot(groups=(), index=None, version=0, built_at=0.0)
SINCE, UNTIL = START - timedelta(days=7), START + timedelta(days=1)


@pytest.fixture
def recorder(database_url: str) -> Iterator[TrafficRecorder]:
    with recorder_on(database_url, TestClock(START), 1.0) as made:
        yield made
        store.use_checkpoints(made.uow, None)
        store._profiles.clear()


P = ParamSpec("P")
R = TypeVar("R")


def _counting(
    read: Callable[P, R], reads: list[str], name: str, whole: Callable[[tuple[object, ...]], bool]
) -> Callable[P, R]:
    def counted(*args: P.args, **kwargs: P.kwargs) -> R:
        if whole(args):
            reads.append(name)
        return read(*args, **kwargs)

    return counted


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What was read from the tables whole ("log", "profiles"): `read_log` skipping no row
    already held, `load_profiles`."""
    reads: list[str] = []
    log = _counting(held.read_log, reads, "log", lambda args: not args[3])
    profiles = _counting(held.load_profiles, reads, "profiles", lambda args: True)
    monkeypatch.setattr("sparkads.traffic.store.read_log", log)  # what store.py calls
    monkeypatch.setattr("sparkads.traffic.store.load_profiles", profiles)
    return reads


def _send(
    recorder: TrafficRecorder, first: int, count: int, at: datetime, age: int | None = None
) -> None:
    people = synthetic.generate(first + count, 11)
    for i in range(first, first + count):
        viewer = people.viewer(i) if age is None else replace(people.viewer(i), age=age)
        recorder.record(viewer, [], NO_ADS, at=at + timedelta(seconds=i), sampled=True)
    recorder.flush(everything=True)


Read = tuple[store.RequestLog, store.Profiles]


def _read(recorder: TrafficRecorder) -> Read:
    with recorder.uow() as unit:
        return store.request_log(unit.session, SINCE, UNTIL), store.profiles(unit.session)


def _cold(recorder: TrafficRecorder, directory: Path | None) -> Read:
    """What a process that just started reads, from the checkpoints in `directory` (or none)."""
    store._logs.clear()
    store._profiles.clear()
    store.use_checkpoints(recorder.uow, directory)
    return _read(recorder)


def _save(recorder: TrafficRecorder, directory: Path) -> None:
    _read(recorder)
    with recorder.uow() as unit:
        store.save_checkpoints(unit.session, directory, {})


def _equal(a: Read, b: Read) -> None:
    (log_a, people_a), (log_b, people_b) = a, b
    assert log_a.keys == log_b.keys
    assert log_a.won == log_b.won
    np.testing.assert_array_equal(log_a.at, log_b.at)
    np.testing.assert_array_equal(log_a.weight, log_b.weight)
    assert people_a.keys == people_b.keys
    assert people_a.row_of == people_b.row_of
    np.testing.assert_array_equal(people_a.last_seen, people_b.last_seen)
    for name in PER_VIEWER:
        np.testing.assert_array_equal(getattr(log_a.columns, name), getattr(log_b.columns, name))
        np.testing.assert_array_equal(
            getattr(people_a.columns, name), getattr(people_b.columns, name)
        )


def test_a_checkpoint_reads_back_as_the_tables(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str]
) -> None:
    _send(recorder, 0, 120, START - timedelta(days=1))
    _save(recorder, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.npz", "profiles.npz"]
    full_reads.clear()
    restored = _cold(recorder, tmp_path)
    assert full_reads == []  # neither the log nor the profiles were read whole
    assert (restored[0].size, restored[1].size) == (120, 120)
    _equal(restored, _cold(recorder, None))
    assert full_reads == ["log", "profiles"]


def test_rows_written_after_a_checkpoint_are_read_and_caught_up(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str]
) -> None:
    _send(recorder, 0, 100, START - timedelta(hours=3))
    _save(recorder, tmp_path)
    # new viewers, and returning ones described otherwise (their profiles are written again)
    _send(recorder, 100, 40, START)
    recorder._viewers.clear()
    _send(recorder, 0, 30, START + timedelta(minutes=1), age=77)
    full_reads.clear()
    restored = _cold(recorder, tmp_path)
    assert full_reads == []
    assert (restored[0].size, restored[1].size) == (170, 140)
    assert int((restored[1].columns.age == 77).sum()) == 30
    _equal(restored, _cold(recorder, None))


def test_rows_deleted_by_retention_do_not_come_back_from_a_checkpoint(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str]
) -> None:
    _send(recorder, 0, 60, START - timedelta(days=2))
    _send(recorder, 60, 60, START - timedelta(hours=1))
    _save(recorder, tmp_path)
    cutoff = START - timedelta(days=1)
    with recorder.uow() as unit:  # what the intake's pruning does
        unit.session.execute(delete(TrafficRequest).where(TrafficRequest.occurred_at < cutoff))
        unit.session.execute(delete(ViewerProfile).where(ViewerProfile.last_seen < cutoff))
        unit.commit()
    full_reads.clear()
    restored = _cold(recorder, tmp_path)
    assert full_reads == []
    assert (restored[0].size, restored[1].size) == (60, 60)
    assert restored[1].seen_since(cutoff).all()
    _equal(restored, _cold(recorder, None))


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a checkpoint")


def _meta(change: Callable[[dict[str, dict[str, str]]], None]) -> Callable[[Path], None]:
    def rewrite(path: Path) -> None:
        with np.load(path) as data:
            arrays = {name: data[name] for name in data.files}
        meta = json.loads(bytes(arrays.pop("meta")).decode())
        change(meta)
        blob = np.frombuffer(json.dumps(meta).encode(), np.uint8)
        np.savez(path, meta=blob, **arrays)

    return rewrite


def _one_column_short(path: Path) -> None:
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    np.savez(path, **{**arrays, "c_age": arrays["c_age"][:-1]})


SPOILED = {
    "truncated": _truncated,
    "not a zip": _garbage,
    "another format": _meta(lambda m: m.update(format={"version": str(checkpoint.FORMAT + 1)})),
    "another database": _meta(lambda m: m["identity"].update(database="sqlite:///other.db")),
    "another secret": _meta(lambda m: m["identity"].update(secret="0" * 32)),
    "another schema": _meta(lambda m: m["identity"].update(schema="0001")),
    "a column cut short": _one_column_short,
}


@pytest.mark.parametrize("spoil", sorted(SPOILED))
def test_a_checkpoint_that_cannot_be_trusted_is_ignored(
    recorder: TrafficRecorder,
    tmp_path: Path,
    full_reads: list[str],
    spoil: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _send(recorder, 0, 50, START - timedelta(days=1))
    expected = _cold(recorder, None)
    _save(recorder, tmp_path)
    for path in tmp_path.glob("*.npz"):
        SPOILED[spoil](path)
    full_reads.clear()
    with caplog.at_level(logging.INFO, logger="sparkads.traffic"):
        restored = _cold(recorder, tmp_path)
    assert full_reads == ["log", "profiles"]
    assert "traffic checkpoint" in caplog.text
    _equal(restored, expected)


def test_a_checkpoint_that_does_not_match_the_tables_is_ignored(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str]
) -> None:
    """Rows lost from the middle of the log (not retention's cut): the log is read afresh."""
    _send(recorder, 0, 50, START - timedelta(days=1))
    _save(recorder, tmp_path)
    people = _read(recorder)[1]  # a profile from the middle: losing the oldest would read as
    key = people.keys[int(np.argsort(people.last_seen)[25])]  # retention's cut (caught up)
    with recorder.uow() as unit:
        unit.session.execute(delete(TrafficRequest).where(TrafficRequest.id == 20))
        unit.session.execute(delete(ViewerProfile).where(ViewerProfile.viewer_key == key))
        unit.commit()
    expected = _cold(recorder, None)
    assert (expected[0].size, expected[1].size) == (49, 49)
    full_reads.clear()
    _equal(_cold(recorder, tmp_path), expected)
    assert full_reads == ["log", "profiles"]


def test_serve_saves_what_it_holds_and_the_next_start_begins_there(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str]
) -> None:
    _send(recorder, 0, 80, START - timedelta(hours=5))
    store._logs.clear()
    follower = store.warm(recorder.uow, recorder.clock, tmp_path, every=0.05)
    deadline = time.monotonic() + 30  # its first save, after its first read
    while not (tmp_path / "profiles.npz").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sorted(p.name for p in tmp_path.glob("*.npz")) == ["log.npz", "profiles.npz"]
    _send(recorder, 80, 20, START)
    follower.stop()  # saves once more
    assert not follower.is_alive()
    expected = _cold(recorder, None)
    full_reads.clear()
    restored = _cold(recorder, tmp_path)
    with recorder.uow() as unit:  # nothing newer than the last save was read
        assert store.request_log(unit.session, SINCE, UNTIL).size == 100
    assert full_reads == []
    _equal(restored, expected)


def test_a_forecast_started_from_a_checkpoint_equals_the_one_read_from_the_tables(
    client: TestClient, uow: UnitOfWork, tmp_path: Path, full_reads: list[str]
) -> None:
    log_traffic(client, synthetic.generate(2_000, 7))
    context = client.app.state.context  # type: ignore[attr-defined]
    store._logs.clear()
    store._profiles.clear()
    first = forecast_draft(client, uow.session)
    store.save_checkpoints(uow.session, tmp_path, {})
    store._logs.clear()
    store._profiles.clear()
    store.use_checkpoints(context.uow, tmp_path)
    try:
        full_reads.clear()
        again = forecast_draft(client, uow.session)
        assert full_reads == []
    finally:
        store.use_checkpoints(context.uow, None)
        store._logs.clear()
        store._profiles.clear()
    assert first.basis.requests == 2_000
    assert asdict(again.basis) == asdict(first.basis)
    assert again.audience == first.audience
    assert [asdict(r) for r in again.runs] == [asdict(r) for r in first.runs]
    assert zipfile.is_zipfile(tmp_path / "log.npz")


@pytest.fixture
def profile_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many profiles each read of the profiles table gave (`held.read_profiles`)."""
    reads: list[int] = []
    read = held.read_profiles

    def counted(session: Session, after: int | None, until: int | None = None) -> held.Read:
        found = read(session, after, until)
        reads.append(len(found.keys))
        return found

    monkeypatch.setattr("sparkads.traffic.held.read_profiles", counted)
    return reads


def _asks(recorder: TrafficRecorder, people: synthetic.Population, rows: range, at: datetime,
          step: timedelta) -> None:  # fmt: skip
    for n, i in enumerate(rows):
        recorder.record(people.viewer(i), [], NO_ADS, at=at + step * n, sampled=True)


def test_profiles_written_since_a_checkpoint_are_read_without_the_two_hours_before(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str], profile_reads: list[int]
) -> None:
    """No row was written late: only the rows last seen after the newest held (and in the 2
    minutes before it, `PROFILE_RECENT`) are read, not the 2 hours of `PROFILE_OVERLAP`."""
    people = synthetic.generate(130, 11)
    _asks(recorder, people, range(100), START - timedelta(hours=3), timedelta(minutes=1))
    recorder.flush(everything=True)
    _save(recorder, tmp_path)
    recorder._viewers.clear()  # another process: the returning viewers are written again
    _asks(recorder, people, range(100, 130), START, timedelta(seconds=1))  # new
    _asks(recorder, people, range(20), START, timedelta(seconds=1))  # returning
    recorder.flush(everything=True)
    full_reads.clear()
    profile_reads.clear()
    restored = _cold(recorder, tmp_path)
    # 30 new, 20 returning and the 2 last seen in the 2 minutes before the newest held (viewers
    # 98 and 99), where reading the 2 hours before it would give all 130
    assert profile_reads == [30 + 20 + 2]
    assert full_reads == []
    _equal(restored, _cold(recorder, None))


def test_profiles_written_late_after_a_checkpoint_are_read_from_the_two_hours_before(
    recorder: TrafficRecorder, tmp_path: Path, full_reads: list[str], profile_reads: list[int]
) -> None:
    """A returning viewer's last requests are written late (at most once an hour, or when it is
    forgotten), with the time it was last seen: long before the newest row held. The requests
    they add show the recent rows are not all, and the rest of the 2 hours is read."""
    people = synthetic.generate(100, 11)
    at = START - timedelta(hours=3)
    _asks(recorder, people, range(100), at, timedelta(minutes=1))
    recorder.flush(everything=True)
    _asks(recorder, people, range(40), at + timedelta(minutes=50), timedelta(seconds=1))
    recorder.flush()  # counted, not written: none of them is due
    _save(recorder, tmp_path)
    recorder.flush(everything=True)  # written now, last seen 50 minutes before the newest
    full_reads.clear()
    profile_reads.clear()
    restored = _cold(recorder, tmp_path)
    assert profile_reads == [2, 98]  # the 2 minutes before the newest, then the rest
    assert full_reads == []
    [caught_up] = store._profiles.values()
    assert int(caught_up.requests.sum()) == 140
    _equal(restored, _cold(recorder, None))


def test_every_write_of_a_profile_adds_a_request_as_catching_up_relies_on(
    recorder: TrafficRecorder,
) -> None:
    """`HeldProfiles.caught_up` trusts the recent rows alone when the table's requests add up:
    so no write of a profile (new, described otherwise, due again, written late, another
    process's) may leave its requests as they were."""
    people = synthetic.generate(3, 11)
    viewer, written = people.viewer(0), []

    def read() -> None:
        with recorder.uow() as unit:
            written.append(unit.session.scalars(select(ViewerProfile.requests)).one())

    steps = [
        (viewer, START, {}),  # new
        (replace(viewer, age=77), START + timedelta(minutes=1), {}),  # described otherwise
        (replace(viewer, age=77), START + timedelta(minutes=2), {"everything": True}),  # late
        (replace(viewer, age=77), START + timedelta(hours=2), {}),  # due again
    ]
    for asked, at, flush in steps:
        recorder.record(asked, [], NO_ADS, at=at, sampled=False)
        recorder.flush(**flush)
        read()
    recorder._viewers.clear()  # another process
    recorder.record(
        replace(viewer, age=77), [], NO_ADS, at=START + timedelta(hours=2), sampled=False
    )
    recorder.flush()
    read()
    assert written == [1, 2, 3, 4, 5]
