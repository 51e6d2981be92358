"""The intake remembers viewers between requests: an unchanged returning viewer is only counted
(its profile written again at most once an hour), a changed one is written at the next flush,
forgotten viewers leave nothing unwritten, and a sampled request keeps the viewer as it sent it."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from factories.delivery import group
from factories.traffic import recorder_on
from sparkads.audiences.keys import keys_of_new_viewers, viewer_key
from sparkads.clock import TestClock, as_utc
from sparkads.config import Settings
from sparkads.db.dialect import instant_as_stored
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import COLUMNS_FROM, Eligible, EngineConfig, decide
from sparkads.delivery.model import Snapshot, Viewer
from sparkads.delivery.targeting import TargetingIndex, bits
from sparkads.traffic import intake
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings, first_bits
from sparkads.traffic.models import TrafficRequest, ViewerProfile

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NO_ADS = Snapshot(groups=(), index=None, version=0, built_at=0.0)
PARIS = Viewer("v1", "FR", "IDF", 27, "FEMALE", "fr", "IOS", (17, 2), "WIFI", 500, ("101",))


@pytest.fixture
def recorder(database_url: str) -> Iterator[TrafficRecorder]:
    with recorder_on(database_url, TestClock(START), 0.0) as made:
        yield made


def _profiles(recorder: TrafficRecorder) -> dict[str, ViewerProfile]:
    with recorder.uow() as unit:
        return {p.viewer_key: p for p in unit.session.scalars(select(ViewerProfile))}


def _ask(recorder: TrafficRecorder, viewer: Viewer, at: datetime, sampled: bool = False) -> None:
    recorder.record(viewer, [], NO_ADS, at=at, sampled=sampled)


def test_an_unchanged_returning_viewer_is_written_again_at_most_once_an_hour(
    recorder: TrafficRecorder,
) -> None:
    for second in range(3):  # a new viewer: written at the next flush, every request counted
        _ask(recorder, replace(PARIS), START + timedelta(seconds=second))
    recorder.flush()
    [row] = _profiles(recorder).values()
    assert (row.requests, as_utc(row.last_seen)) == (3, START + timedelta(seconds=2))
    for minute in range(1, 50):  # asking again as before, within the hour: counted, not written
        _ask(recorder, replace(PARIS), START + timedelta(minutes=minute))
    assert recorder.pending() == (0, 0)
    recorder.flush()
    assert _profiles(recorder)[viewer_key("v1")].requests == 3
    _ask(recorder, replace(PARIS), START + timedelta(hours=1, seconds=2))  # an hour on: due
    assert recorder.pending() == (0, 1)
    recorder.flush()
    row = _profiles(recorder)[viewer_key("v1")]
    assert (row.requests, as_utc(row.last_seen)) == (53, START + timedelta(hours=1, seconds=2))
    assert as_utc(row.first_seen) == START


def test_a_viewer_whose_attributes_changed_is_written_at_the_next_flush(
    recorder: TrafficRecorder,
) -> None:
    _ask(recorder, PARIS, START)
    recorder.flush()
    _ask(
        recorder,
        replace(PARIS, country="DE", region=None, language="de"),
        START + timedelta(seconds=1),
    )
    recorder.flush()
    row = _profiles(recorder)[viewer_key("v1")]
    assert (row.country, row.region, row.language, row.requests) == ("DE", None, "de", 2)


def test_stopping_and_forgetting_leave_no_request_unwritten(recorder: TrafficRecorder) -> None:
    others = [replace(PARIS, viewer_id=f"w{i}") for i in range(5)]
    for viewer in [PARIS, *others]:
        _ask(recorder, viewer, START)
    recorder.flush()
    for viewer in [PARIS, PARIS, *others]:
        _ask(recorder, viewer, START + timedelta(minutes=5))
    recorder.forget(START + timedelta(minutes=1))  # nobody idle since: nobody forgotten
    assert len(recorder._viewers) == 6
    recorder.forget(START + timedelta(minutes=10))  # all idle: forgotten, counts written
    assert not recorder._viewers
    recorder.flush()
    profiles = _profiles(recorder)
    assert profiles[viewer_key("v1")].requests == 3
    assert {profiles[viewer_key(f"w{i}")].requests for i in range(5)} == {2}
    _ask(recorder, PARIS, START + timedelta(minutes=20))  # learnt again, as a new viewer
    recorder.stop()  # what is pending is written on the way out
    row = _profiles(recorder)[viewer_key("v1")]
    assert (row.requests, as_utc(row.first_seen)) == (4, START)


def test_a_sampled_request_keeps_the_viewer_as_that_request_sent_it(
    recorder: TrafficRecorder,
) -> None:
    _ask(recorder, PARIS, START, sampled=True)
    _ask(recorder, replace(PARIS, age=40, interests=("999999",)), START + timedelta(1), True)
    clipped = recorder.record(PARIS, [], NO_ADS, at=START + timedelta(2), sampled=False)
    assert clipped == ()
    recorder.flush()
    with recorder.uow() as unit:
        rows = unit.session.scalars(select(TrafficRequest).order_by(TrafficRequest.id)).all()
        assert unit.session.scalar(select(func.count()).select_from(ViewerProfile)) == 1
    assert [(r.age, r.interests) for r in rows] == [(27, "101"), (40, "")]  # clipped, not raw
    assert {r.viewer_key for r in rows} == {viewer_key("v1")}
    assert [as_utc(r.occurred_at) for r in rows] == [START, START + timedelta(1)]
    assert _profiles(recorder)[viewer_key("v1")].age == 27  # as last sent


def test_an_unknown_interest_is_clipped_with_a_warning_on_every_request() -> None:
    recorder = TrafficRecorder(UnitOfWorkFactory(make_engine("sqlite://")), TestClock(START))
    odd = replace(PARIS, interests=("101", "999999"))
    for _ in range(2):  # the second time from memory
        [warning] = recorder.record(odd, [], NO_ADS, at=START, sampled=False)
        assert (warning.field, warning.value) == ("viewer.interests", "999999")


def test_the_first_eligible_ad_groups_are_the_lowest_set_bits() -> None:
    rng = random.Random(4)
    masks = [0, 1, 1 << 9_999, (1 << 300) - 1]
    masks += [sum(1 << p for p in rng.sample(range(n), k)) for n, k in [(10_000, 5), (10_000, 400),
              (100_000, 30), (300, 300), (257, 21)]]  # fmt: skip
    for mask in masks:
        for count in (1, 20, 25):
            assert first_bits(mask, count) == list(islice(bits(mask), count))


def test_beyond_the_most_viewers_remembered_the_least_recent_are_forgotten(
    recorder: TrafficRecorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "MAX_VIEWERS", 4)
    viewers = [replace(PARIS, viewer_id=f"w{i}") for i in range(6)]
    for i, viewer in enumerate(viewers):
        _ask(recorder, viewer, START + timedelta(seconds=i))
    recorder.flush()
    for i, viewer in enumerate(viewers):  # counted in memory, not written yet
        _ask(recorder, viewer, START + timedelta(minutes=1, seconds=i))
    recorder.forget(START)  # nobody idle, but 6 > 4: down to the 2 most recent
    assert set(recorder._viewers) == {"w4", "w5"}
    recorder.flush()
    profiles = _profiles(recorder)
    assert [profiles[viewer_key(f"w{i}")].requests for i in range(6)] == [2, 2, 2, 2, 1, 1]


def test_the_writer_thread_writes_and_forgets_idle_viewers(database_url: str) -> None:
    clock = TestClock(START)
    settings = TrafficSettings(sample_rate=1.0, flush_seconds=0.02, profile_flush_seconds=0.05)
    with recorder_on(database_url, clock, 1.0) as recorder:
        recorder.settings = settings
        _ask(recorder, PARIS, START, sampled=True)
        recorder.flush()
        _ask(recorder, PARIS, START + timedelta(minutes=1), sampled=True)  # counted in memory
        clock.advance(timedelta(hours=2))
        recorder.start()
        try:
            deadline = time.monotonic() + 30
            while recorder._viewers and time.monotonic() < deadline:
                time.sleep(0.02)
        finally:
            recorder.stop()
        assert not recorder._viewers
        assert _profiles(recorder)[viewer_key("v1")].requests == 2
        with recorder.uow() as unit:
            assert unit.session.scalar(select(func.count()).select_from(TrafficRequest)) == 2


def test_a_batch_of_any_size_is_written_whole_with_exact_times(recorder: TrafficRecorder) -> None:
    # 165 rows: statements of 64, 64, 32, 4 and 1 rows (db.bulk.insert_many)
    moments = [START + timedelta(seconds=i // 7, microseconds=i * 997 % 1_000_000)
               for i in range(165)]  # fmt: skip
    for i, moment in enumerate(moments):
        _ask(recorder, replace(PARIS, viewer_id=f"b{i}", age=20 + i % 40), moment, sampled=True)
    _ask(recorder, replace(PARIS, viewer_id="b0", age=20), START + timedelta(hours=1), True)
    recorder.flush()
    profiles = _profiles(recorder)
    assert len(profiles) == 165
    for i, moment in enumerate(moments):
        row = profiles[viewer_key(f"b{i}")]
        last = START + timedelta(hours=1) if i == 0 else moment
        assert (as_utc(row.first_seen), as_utc(row.last_seen)) == (moment, last)
        assert (row.age, row.requests) == (20 + i % 40, 2 if i == 0 else 1)
    with recorder.uow() as unit:
        logged = unit.session.scalars(select(TrafficRequest).order_by(TrafficRequest.id)).all()
    assert [as_utc(r.occurred_at) for r in logged] == [*moments, START + timedelta(hours=1)]
    assert [r.viewer_key for r in logged[:3]] == [viewer_key(f"b{i}") for i in range(3)]


def test_instants_are_written_as_sqlite_stores_them() -> None:
    engine = make_engine("sqlite://")
    with UnitOfWorkFactory(engine)() as unit:
        stored = instant_as_stored(unit.session)
    text = intake.texts_by_second()
    paris = ZoneInfo("Europe/Paris")
    moments = [START, START.replace(microsecond=5), START.astimezone(paris),
               datetime(2026, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC), datetime(2027, 1, 1)]  # fmt: skip
    for moment in moments * 2:  # the second time from the memo
        assert text(moment) == stored(moment)


def test_runs_of_instants_in_one_second_are_written_as_sqlite_stores_them() -> None:
    """The same second again is recognised by comparison: in order, out of order, across seconds,
    zones (the same instant in Paris has other fields), naive ones and the last second there is."""
    engine = make_engine("sqlite://")
    with UnitOfWorkFactory(engine)() as unit:
        stored = instant_as_stored(unit.session)
    text, rng = intake.texts_by_second(), random.Random(4)
    paris = ZoneInfo("Europe/Paris")
    moments = [START + timedelta(microseconds=rng.randrange(3_000_000)) for _ in range(300)]
    moments += sorted(moments) + [m.astimezone(paris) for m in moments[:50]]
    moments += [m.replace(tzinfo=None) for m in moments[:50]] + moments[:20]
    last = datetime.max.replace(tzinfo=UTC)
    moments += [last, last.replace(microsecond=3), datetime.max, START, last]
    assert [text(m) for m in moments] == [stored(m) for m in moments]


def test_new_viewers_keyed_in_one_loop_get_their_usual_keys() -> None:
    ids = ["v1", " V9 ", "é" * 300, "v1"]
    assert keys_of_new_viewers(ids) == [viewer_key(i) for i in ids]


def test_viewer_ids_of_one_key_in_one_batch_make_one_upserted_row(
    recorder: TrafficRecorder,
) -> None:
    """Ids that differ only in case or spaces are one viewer key: a batch's multi-row upsert
    holds that key once (PostgreSQL refuses a statement that updates a row twice)."""
    for n, viewer_id in enumerate(["v1", "V1", " v1 ", *[f"w{i}" for i in range(70)], "v1"]):
        _ask(recorder, replace(PARIS, viewer_id=viewer_id), START + timedelta(seconds=n))
    recorder.flush()
    profiles = _profiles(recorder)
    assert len(profiles) == 71
    assert viewer_key("v1") in profiles
    _ask(recorder, replace(PARIS, viewer_id="V1", age=41), START + timedelta(minutes=5))
    _ask(recorder, replace(PARIS, viewer_id="v1", age=42), START + timedelta(minutes=6))
    recorder.flush()  # an existing key, twice in the batch again: still one row
    assert len(_profiles(recorder)) == 71


@pytest.mark.parametrize("groups", [3, 60])  # one by one, and the auction on columns
def test_the_logged_eligible_ids_are_the_first_candidates_whichever_auction_ran(
    recorder: TrafficRecorder, groups: int
) -> None:
    """decide() hands the log the candidates' positions as whichever auction ran read them out
    (on columns from `COLUMNS_FROM` candidates, one by one below): the same first 20 ids either
    way, and the same as when the log works them out from the index itself."""
    entries = tuple(group(n) for n in range(groups))
    index = TargetingIndex.build([{"location_ids": ["3017382"]}] * groups, geography())
    snapshot = Snapshot(entries, index, version=1, built_at=0.0)
    config, now = EngineConfig(secret=b"s" * 32), START.timestamp()
    for n, sampled in enumerate(["decide", True]):
        viewer = replace(PARIS, viewer_id=f"e{n}")
        handed: Eligible | bool = [] if sampled == "decide" else True
        chosen = decide(viewer, 1, snapshot, MemoryCounters(), now, random.Random(1), config,
                        eligible=handed if isinstance(handed, list) else None)  # fmt: skip
        if isinstance(handed, list):  # an array from the auction on columns, a list otherwise
            assert isinstance(handed[2], list) == (groups < COLUMNS_FROM)
        recorder.record(viewer, chosen, snapshot, at=START, sampled=handed)
    recorder.flush()
    with recorder.uow() as unit:
        logged = unit.session.scalars(select(TrafficRequest.eligible_ids)).all()
    assert logged == [",".join(g.adgroup_id for g in entries[:20])] * 2


def test_with_the_log_off_nothing_is_kept_about_viewers(recorder: TrafficRecorder) -> None:
    settings = Settings.from_env({"SPARKADS_TRAFFIC_LOG": "off"})
    assert not settings.traffic_log
    assert Settings.from_env({}).traffic_log
    assert Settings.from_env(settings.as_env()).traffic_log is False  # workers read it back
    recorder.settings = TrafficSettings(sample_rate=1.0, enabled=settings.traffic_log)
    assert recorder.sample() is None
    odd = replace(PARIS, interests=("999999",))
    assert recorder.record(odd, [], NO_ADS, at=START, sampled=True) == ()  # nothing kept: no clip
    recorder.flush(everything=True)
    assert recorder.pending() == (0, 0)
    with recorder.uow() as unit:
        for table in (TrafficRequest, ViewerProfile):
            assert unit.session.scalar(select(func.count()).select_from(table)) == 0
