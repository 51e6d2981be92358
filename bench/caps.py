"""Frequency-cap state (issue 14): memory per (viewer, ad group) pair, CPU per exposure recorded
and per cap check, and the cost of forgetting a day, for `delivery.exposures.ExposureStore`
against the structure it replaced (a dict of deques of times per pair, swept every 100,000
exposures), on the same exposures in the same run.

`python -m bench.caps [--viewers N] [--redis-viewers N]`, or `python -m bench --only caps`.

`--redis-viewers N` (default 20,000; 0: skip) also records a day of N viewers' exposures in a
throwaway `redis-server` through `RedisCounters` (one round trip per exposure, as `serve` does)
and, in the same run, into the layout it replaced (a sorted set per pair, trimmed and expired by
a Lua script, as before): bytes per pair by Redis's `used_memory`, and a decision's cap checks
(one viewer, every ad group it saw) by CPU and wall time.
"""

from __future__ import annotations

import argparse
import os
import random
import time
import tracemalloc
from collections import deque
from collections.abc import Callable

from bench.common import FULL, Row, Scale, Section, progress
from sparkads.delivery.exposures import ExposureStore
from sparkads.delivery.redis_counters import RedisCounters

DAY = 86_400.0
START = 1_790_000_000.0
Made = list[tuple[str, str, float]]


class DequeStore:
    """The previous in-process structure (MemoryCounters before issue 14's caps): a deque of
    times per pair, trimmed on write, stale pairs swept every 100,000 exposures."""

    SWEEP_EVERY = 100_000

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], deque[float]] = {}
        self.longest = 0.0
        self.since_sweep = 0

    def record(self, viewer_id: str, adgroup_id: str, at: float, keep: float) -> None:
        seen = self.seen.setdefault((viewer_id, adgroup_id), deque())
        seen.append(at)
        while seen and seen[0] < at - keep:
            seen.popleft()
        self.longest = max(self.longest, keep)
        self.since_sweep += 1
        if self.since_sweep >= self.SWEEP_EVERY:
            self.sweep(at)

    def sweep(self, now: float) -> None:
        horizon = now - self.longest
        for key in [k for k, s in self.seen.items() if not s or s[-1] < horizon]:
            del self.seen[key]
        self.since_sweep = 0

    def count(self, viewer_id: str, adgroup_id: str, since: float) -> int:
        seen = self.seen.get((viewer_id, adgroup_id))
        return sum(1 for at in seen if at >= since) if seen else 0


def traffic(viewers: int, seed: int = 1) -> Made:
    """A day of exposures: each viewer sees 1–8 of 2,000 ad groups, a third of the pairs again
    later the same day (as `tests/unit/delivery/test_exposures.py`)."""
    rng = random.Random(seed)
    made: Made = []
    for n in range(viewers):
        viewer = f"viewer-{n}"
        for _ in range(rng.randint(1, 8)):
            group = f"{rng.randrange(2_000):019d}"
            for _ in range(rng.choice((1, 1, 1, 2, 3))):
                made.append((viewer, group, START + rng.uniform(0, DAY)))
    made.sort(key=lambda record: record[2])
    return made


def _measure(make: Callable[[], ExposureStore | DequeStore], made: Made) -> dict[str, float]:
    pairs = len({(v, g) for v, g, _ in made})
    store = make()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for viewer, group, at in made:
        store.record(viewer, group, at, DAY)
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    fresh = make()  # CPU without tracemalloc
    began = time.process_time()
    for viewer, group, at in made:
        fresh.record(viewer, group, at, DAY)
    record_us = (time.process_time() - began) / len(made) * 1e6
    checks = made[:: max(1, len(made) // 50_000)]
    began = time.process_time()
    for viewer, group, at in checks:
        fresh.count(viewer, group, at - DAY)
    count_us = (time.process_time() - began) / len(checks) * 1e6
    # forgetting the day: the next exposure a day and a half later
    began = time.thread_time()
    if isinstance(fresh, DequeStore):
        fresh.record("late", "g", START + 2.5 * DAY, DAY)
        fresh.sweep(START + 2.5 * DAY)  # what the periodic sweep does, under the lock
    else:
        fresh.record("late", "g", START + 2.5 * DAY, DAY)
    forget_ms = (time.thread_time() - began) * 1e3
    return {
        "pairs": pairs,
        "exposures": len(made),
        "bytes_per_pair": used / pairs,
        "record_us": record_us,
        "count_us": count_us,
        "forget_ms": forget_ms,
    }


# the layout before: a sorted set per (viewer, ad group), KEYS[1]; ARGV: at, member, keep
_SORTED_SET = """
local at, keep = tonumber(ARGV[1]), tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], at, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (at - keep))
local ttl = math.ceil(keep)
if redis.call('TTL', KEYS[1]) < ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return 1
"""


def redis_bytes(made: Made) -> dict[str, dict[str, float]]:
    """Bytes per pair in Redis and a decision's cap checks, generations against sorted sets."""
    import tempfile
    from pathlib import Path

    from redis import Redis

    from bench.decisions_redis import _start_redis

    pairs = len({(v, g) for v, g, _ in made})
    by_viewer: dict[str, list[str]] = {}
    for viewer, group, _ in made:
        by_viewer.setdefault(viewer, []).append(group)
    checks = list(by_viewer.items())[:2_000]
    found: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="sparkads-caps-") as tmp:
        server, url = _start_redis(Path(tmp))
        try:
            client = Redis.from_url(url)
            for name in ("sorted sets", "generations"):
                client.flushall()
                before = int(client.info("memory")["used_memory"])
                began = time.process_time()
                since = made[-1][2] - DAY
                counters = RedisCounters(client, "caps:")
                if name == "generations":
                    for viewer, group, at in made:
                        counters.record_exposure(viewer, group, at, DAY)
                else:
                    script = client.register_script(_SORTED_SET)
                    for n, (viewer, group, at) in enumerate(made):
                        script(keys=[f"seen:{viewer}:{group}"], args=[at, f"m{n}", DAY])
                record_us = (time.process_time() - began) / len(made) * 1e6
                used = int(client.info("memory")["used_memory"]) - before
                began, wall = time.process_time(), time.perf_counter()
                for viewer, groups in checks:
                    counters.count_request()  # a decision
                    for group in sorted(set(groups)):
                        if name == "generations":
                            counters.exposures(viewer, group, since)
                        else:
                            client.zcount(f"seen:{viewer}:{group}", since, "+inf")
                found[name] = {
                    "pairs": pairs,
                    "bytes_per_pair": used / pairs,
                    "record_client_cpu_us": record_us,
                    "decision_checks_cpu_us": (time.process_time() - began) / len(checks) * 1e6,
                    "decision_checks_wall_us": (time.perf_counter() - wall) / len(checks) * 1e6,
                }
            client.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    return found


def run(scale: Scale, viewers: int | None = None) -> Section:
    viewers = viewers or (20_000 if scale.quick else 60_000)
    progress(f"caps: a day of exposures from {viewers:,} viewers")
    made = traffic(viewers)
    new = _measure(ExposureStore, made)
    old = _measure(DequeStore, made)
    section = Section("caps", data={"generations": new, "deques": old})
    case = f"{new['pairs']:,.0f} pairs, {new['exposures']:,.0f} exposures"

    def row(metric: str, key: str, unit: str, target: str = "", holds: bool | None = None) -> Row:
        ratio = old[key] / new[key] if new[key] else None
        return Row(
            "caps", case, metric, new[key], unit, old[key], "dict of deques", ratio,
            "less" if key == "bytes_per_pair" else "faster", target, holds,
        )  # fmt: skip

    section.rows += [
        row("bytes per pair (tracemalloc)", "bytes_per_pair", "B", "≤ 100", new["bytes_per_pair"] <= 100),
        row("record an exposure, CPU", "record_us", "µs"),
        row("count a pair's exposures, CPU", "count_us", "µs"),
        row("forget the day (lock held), CPU", "forget_ms", "ms"),
    ]  # fmt: skip
    section.notes.append(
        "caps: forgetting is a sweep over every pair for the dict of deques, one dict deletion per "
        "6-hour generation for the generations"
    )
    return section


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.caps", description=__doc__)
    parser.add_argument("--viewers", type=int, default=60_000)
    parser.add_argument("--redis-viewers", type=int, default=20_000)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    if args.redis_viewers:
        for name, figures in redis_bytes(traffic(args.redis_viewers)).items():
            print(f"redis, {name}: " + ", ".join(f"{k} {v:,.1f}" for k, v in figures.items()))
        print(f"load average {load:.1f} → {os.getloadavg()[0]:.1f}")
    section = run(FULL, args.viewers)
    for r in section.rows:
        print(
            f"{r.metric:36} {r.value:10.2f} {r.unit:3} vs {r.baseline:10.2f} ({r.baseline_name})"
            f"  ratio {r.ratio or 0:.1f}× {r.ratio_name}"
        )
    print(f"{section.rows[0].case}; load average {load:.1f} → {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
