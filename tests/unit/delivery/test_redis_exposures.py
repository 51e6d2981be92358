"""Frequency caps in Redis (`delivery/redis_exposures.py`): the same counts as the in-process
store, at most 100 bytes per (viewer, ad group) pair on the server, one round trip to read a
viewer's exposures per decision, and a cap that holds across processes."""

from __future__ import annotations

import random
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis

from factories.redis_server import throwaway_redis
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.redis_counters import RedisCounters

DAY = 86_400.0
START = 1_790_000_000.0
WINDOWS = {"g1": DAY, "g2": 3 * DAY, "g3": 3_600.0}  # each ad group's cap window


def _counters(client: Redis) -> RedisCounters:
    return RedisCounters(client, prefix=f"test-{uuid.uuid4().hex}:")


steps = st.lists(
    st.tuples(
        st.sampled_from(["record", "decide"]),
        st.sampled_from(["v1", "v2"]),
        st.sampled_from(sorted(WINDOWS)),
        st.floats(min_value=0, max_value=9 * 3_600),  # time passing before the step
    ),
    max_size=40,
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_redis_counts_what_memory_counts(redis_client: Redis, made: list[Any]) -> None:
    """Random exposures and decisions (each decision checks every ad group's cap for its
    viewer): Redis and memory give the same counts, window edges and forgetting included."""
    memory, shared = MemoryCounters(), _counters(redis_client)
    now = START
    for action, viewer, group, passing in made:
        now += passing
        keep = max(WINDOWS[group], DAY)  # as the engine records them
        if action == "record":
            memory.record_exposure(viewer, group, now, keep)
            shared.record_exposure(viewer, group, now, keep)
            continue
        memory.count_request()
        shared.count_request()
        for checked, window in WINDOWS.items():
            since = now - window
            assert shared.exposures(viewer, checked, since) == memory.exposures(
                viewer, checked, since
            ), (viewer, checked, since)


def test_a_cap_holds_across_processes(redis_client: Redis) -> None:
    """Two processes serving the same viewers in turn never show a pair more than its cap."""
    prefix = f"test-{uuid.uuid4().hex}:"
    processes = [RedisCounters(redis_client, prefix), RedisCounters(redis_client, prefix)]
    rng = random.Random(5)
    shown: dict[tuple[str, str], int] = {}
    now = START
    for n in range(300):
        process = processes[n % 2]
        viewer, group = f"v{rng.randrange(5)}", f"g{rng.randrange(3)}"
        now += rng.uniform(0, 200)  # all within a day: the window never lets one go
        process.count_request()  # a decision
        if process.exposures(viewer, group, now - DAY) < 3:
            process.record_exposure(viewer, group, now, DAY)
            shown[(viewer, group)] = shown.get((viewer, group), 0) + 1
    assert max(shown.values()) == 3  # capped: reached, never exceeded


class CountingRedis(Redis):
    """Counts round trips: each command sent alone, each pipeline executed."""

    trips = 0

    def execute_command(self, *args: Any, **options: Any) -> Any:
        CountingRedis.trips += 1
        return super().execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        pipe = super().pipeline(transaction, shard_hint)
        execute = pipe.execute

        def counted(raise_on_error: bool = True) -> Any:
            CountingRedis.trips += 1
            return execute(raise_on_error)

        pipe.execute = counted  # type: ignore[method-assign]
        return pipe


def test_a_decision_reads_a_viewers_exposures_in_one_round_trip(redis_url: str) -> None:
    client = CountingRedis.from_url(redis_url)
    counters = _counters(client)
    for day in range(3):  # several generations
        for group in ("g1", "g2", "g3"):
            counters.record_exposure("v", group, START + day * 30_000.0, 3 * DAY)
    counters.count_request()
    counters.exposures("v", "g1", START)  # reads the generations' directory once
    for _ in range(3):
        CountingRedis.trips = 0
        counters.count_request()
        counts = [counters.exposures("v", group, START) for group in ("g1", "g2", "g3", "g4")]
        assert counts == [3, 3, 3, 0]
        assert CountingRedis.trips == 1
    client.close()


def test_at_most_100_bytes_per_pair_in_redis(tmp_path: Path) -> None:
    """A day of exposures (each viewer sees 1–8 of 2,000 ad groups, a third of the pairs again
    later that day, as bench.caps), measured by Redis's own `used_memory` on a server of its own."""
    rng = random.Random(1)
    seen: dict[tuple[str, str], list[float]] = {}
    for n in range(8_000):
        for _ in range(rng.randint(1, 8)):
            stamps = seen.setdefault((f"viewer-{n}", f"{rng.randrange(2_000):019d}"), [])
            stamps += [START + rng.uniform(0, DAY) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
    with throwaway_redis(tmp_path) as url:
        client = Redis.from_url(url)
        before = int(client.info("memory")["used_memory"])
        counters = _counters(client)
        counters.load_exposures(((v, g, sorted(s)) for (v, g), s in seen.items()), DAY)
        used = int(client.info("memory")["used_memory"]) - before
        counters.count_request()
        viewer, group = next(iter(seen))
        assert counters.exposures(viewer, group, START) == len(seen[(viewer, group)])
        client.close()
    print(f"{used / len(seen):.1f} bytes per pair in Redis ({len(seen):,} pairs)")
    assert used / len(seen) <= 100, f"{used / len(seen):.1f} bytes per pair"
