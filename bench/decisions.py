"""Benchmark 1: decide() in process with 1k, 10k and 50k live ad groups, against a naive scan.

The snapshot is built directly (GroupEntry/AdEntry/Snapshot, `TargetingIndex.build` with the real
catalogue geography): no database. Every path runs on fresh `MemoryCounters`, the same seeded
`random.Random` and the same request stream and clock, so they must return the same decisions; the
benchmark checks they do before comparing their speed.

Baselines, in the same process, both running the real `decide()` on a snapshot whose `index` is
swapped for a scanning stand-in (same `candidates()` contract, a bitset of matching positions), so
every per-candidate check and the auction are the engine's own:
- naive: a scan that calls `targeting.matches()` for every ad group (the rule written directly,
  as the tests' oracle does);
- precompiled scan (for information): the same scan with each ad group's accepted values compiled
  once, so only the per-request viewer keys and set intersections remain: what a careful scan
  costs, to show what the bitset index itself buys.
And, for the candidate scoring, the same `decide()` on the same index checking and scoring its
candidates one at a time (`EngineConfig.columns_from` out of reach: the engine before NumPy
columns), on the same requests.

Each path's snapshot is prepared for its counters before it is timed (`engine.prepare`: columns,
counters' rows, eCPM per ad), as the snapshot store does before it swaps a snapshot in, and the
heap is frozen (`gc.freeze()`) as the store does after a background rebuild; both are reported
as rows of their own.
"""

from __future__ import annotations

import cProfile
import gc
import io
import pstats
import random
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bench.common import Row, Scale, Section, latency_summary, now_ns, progress
from bench.world import Catalogue, group_entry, group_specs, load_catalogue, traffic, viewers
from sparkads.delivery import targeting
from sparkads.delivery.compile import geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import COLUMNS_FROM, Decision, EngineConfig, decide, prepare
from sparkads.delivery.model import Snapshot, Viewer
from sparkads.delivery.targeting import DIMENSIONS, Geography, TargetingIndex

SEED = 20_261_124
NOW = 1_796_133_600.0  # Tuesday 2026-12-01 15:00 Paris: mid-afternoon traffic
STEP = 0.05  # simulated seconds between two requests
SECRET = b"bench-secret-0123456789abcdef012"
POSTS_PER_GROUP = 0.6  # posts are shared: 10k ad groups sponsor ~6k posts

_GC_PAUSES: list[tuple[int, float]] = []  # (generation, milliseconds) of each collection
_gc_started = [0]
_full_gc_ns = [0]  # running total of full (generation 2) collections


def _gc_watch(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _gc_started[0] = now_ns()
    else:
        pause = now_ns() - _gc_started[0]
        _GC_PAUSES.append((info["generation"], pause / 1e6))
        if info["generation"] == 2:
            _full_gc_ns[0] += pause


def _mask(positions: Iterable[int], size: int) -> int:
    """The bitset `TargetingIndex.candidates` returns, from matching positions."""
    flags = bytearray((size + 7) // 8)
    for position in positions:
        flags[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(flags, "little")


class NaiveScan:
    """Stands in for `TargetingIndex`: `targeting.matches()` on every ad group, every request."""

    def __init__(self, targetings: list[Mapping[str, Any]], geo: Geography) -> None:
        self.targetings, self.geo = targetings, geo

    def candidates(self, viewer: Viewer, audiences: frozenset[str] = frozenset()) -> int:
        geo = self.geo
        return _mask(
            (
                position
                for position, spec in enumerate(self.targetings)
                if targeting.matches(spec, viewer, geo, audiences)
            ),
            len(self.targetings),
        )


class PrecompiledScan:
    """A scan over each ad group's accepted values compiled once (`targeting.group_keys`)."""

    def __init__(self, targetings: list[Mapping[str, Any]], geo: Geography) -> None:
        self.accepted = [targeting.group_keys(spec, geo) for spec in targetings]
        self.geo = geo

    def candidates(self, viewer: Viewer, audiences: frozenset[str] = frozenset()) -> int:
        offered = {k: set(v) for k, v in targeting.viewer_keys(viewer, self.geo, audiences).items()}
        location = offered["location"]
        return _mask(
            (
                position
                for position, keys in enumerate(self.accepted)
                if keys["location"] & location
                and all(not keys[d] or keys[d] & offered[d] for d in DIMENSIONS)
            ),
            len(self.accepted),
        )


def _signature(decisions: list[Decision]) -> list[tuple[str, str, int]]:
    return [(d.group.adgroup_id, d.ad.ad_id, d.event_price) for d in decisions]


class PathRun:
    """One way of deciding, with its own fresh counters and seeded generator, stepped through the
    request stream a slice at a time so that the paths of one size take turns on the machine."""

    def __init__(
        self,
        label: str,
        snapshot: Snapshot,
        stream: list[Viewer],
        count: int,
        seconds: float,
        columns_from: int = COLUMNS_FROM,
    ) -> None:
        self.label, self.snapshot = label, snapshot
        self.stream, self.count, self.budget_ns = stream[:count], count, int(seconds * 1e9)
        self.counters, self.rng = MemoryCounters(), random.Random(SEED)
        self.config = EngineConfig(secret=SECRET, columns_from=columns_from)
        # as the snapshot store does before it swaps a snapshot in: not a request's cost
        prepare(snapshot, self.counters, self.config.reserve_ecpm)
        self.samples: list[int] = []
        self.total_ns = 0
        self.gc_pauses: list[tuple[int, float]] = []
        self.without_full_gc: list[int] = []  # the same samples less full-collection pauses
        self.cpu: list[int] = []  # CPU time of this thread: without the time other processes ran
        self.served: list[list[tuple[str, str, int]]] = []

    @property
    def done(self) -> bool:
        return len(self.samples) >= len(self.stream) or self.total_ns >= self.budget_ns

    def step(self, slice_ns: int) -> None:
        """Decide for the next requests until `slice_ns` of deciding (at least one request)."""
        spent, seen = 0, len(_GC_PAUSES)
        while not self.done and (spent == 0 or spent < slice_ns):
            n = len(self.samples)
            viewer, now = self.stream[n], NOW + n * STEP
            full_gc_before = _full_gc_ns[0]
            start, cpu_start = now_ns(), time.thread_time_ns()
            chosen = decide(viewer, 1, self.snapshot, self.counters, now, self.rng, self.config)
            elapsed = now_ns() - start
            self.cpu.append(time.thread_time_ns() - cpu_start)
            self.samples.append(elapsed)
            self.without_full_gc.append(elapsed - (_full_gc_ns[0] - full_gc_before))
            self.served.append(_signature(chosen))
            self.total_ns += elapsed
            spent += elapsed
        self.gc_pauses += _GC_PAUSES[seen:]


def run_paths(paths: list[PathRun], rounds: int = 20) -> None:
    """Take turns until every path has its count or has used its time."""
    gc.callbacks.append(_gc_watch)
    try:
        while not all(p.done for p in paths):
            for path in paths:
                path.step(path.budget_ns // rounds)
    finally:
        gc.callbacks.remove(_gc_watch)
    for path in paths:
        progress(f"  {path.label}: {len(path.samples)} decisions")


def build_world(
    size: int, cat: Catalogue, geo: Geography
) -> tuple[Snapshot, list[dict[str, Any]], float, float]:
    """The snapshot (index and columns built, as `compile_snapshot` does), the targetings, and
    the index and column build times in ms."""
    rng = random.Random(SEED + size)
    specs = group_specs(size, rng, cat, posts=max(10, int(size * POSTS_PER_GROUP)))
    groups = tuple(group_entry(s, NOW - 86_400.0, NOW + 30 * 86_400.0, NOW) for s in specs)
    targetings = [s.targeting for s in specs]
    start = now_ns()
    index = TargetingIndex.build(targetings, geo)
    build_ns = now_ns() - start
    snapshot = Snapshot(groups=groups, index=index, version=1, built_at=NOW)
    start = now_ns()
    prepare(snapshot)
    columns_ns = now_ns() - start
    return snapshot, targetings, build_ns / 1e6, columns_ns / 1e6


def bench_size(size: int, scale: Scale, cat: Catalogue, geo: Geography) -> dict[str, Any]:
    progress(f"decisions: building {size:,} ad groups")
    gc.collect()
    objects_before = len(gc.get_objects())
    start = now_ns()
    gc.collect()  # a full collection of this process before the snapshot exists
    bare_gc_ms = (now_ns() - start) / 1e6
    snapshot, targetings, build_ms, columns_ms = build_world(size, cat, geo)
    gc.collect()
    snapshot_objects = len(gc.get_objects()) - objects_before
    start = now_ns()
    gc.collect()  # what one full collection costs with this snapshot (and its targetings) alive
    full_gc_ms = (now_ns() - start) / 1e6
    try:
        return _run_size(size, scale, cat, geo, snapshot, targetings) | {
            "index_build_ms": build_ms,
            "columns_build_ms": columns_ms,
            "snapshot_gc_objects": snapshot_objects,
            "full_gc_ms_with_snapshot": full_gc_ms,
            "full_gc_ms_without_snapshot": bare_gc_ms,
        }
    finally:
        gc.unfreeze()


def _run_size(
    size: int,
    scale: Scale,
    cat: Catalogue,
    geo: Geography,
    snapshot: Snapshot,
    targetings: list[dict[str, Any]],
) -> dict[str, Any]:
    population = viewers(20_000, random.Random(SEED + 1), cat)
    stream = traffic(population, scale.decide_count, random.Random(SEED + 2))
    warm = traffic(population, 200, random.Random(SEED + 3))
    run_paths([PathRun("warm-up", snapshot, warm, len(warm), 1.0)])
    paths = [
        PathRun("indexed", snapshot, stream, scale.decide_count, scale.decide_seconds),
        PathRun(
            "naive scan",
            replace(snapshot, index=NaiveScan(targetings, geo)),
            stream,
            scale.naive_count,
            scale.naive_seconds,
        ),
        PathRun(
            "precompiled scan",
            replace(snapshot, index=PrecompiledScan(targetings, geo)),
            stream,
            scale.naive_count * 2,
            scale.naive_seconds / 2,
        ),
        PathRun(
            "one by one",
            snapshot,
            stream,
            scale.decide_count,
            scale.decide_seconds,
            columns_from=sys.maxsize,
        ),
    ]
    gc.freeze()  # everything long-lived, as the snapshot store does after each background rebuild
    start = now_ns()
    gc.collect()
    frozen_gc_ms = (now_ns() - start) / 1e6
    run_paths(paths)
    indexed, naive, compiled, one_by_one = (p.samples for p in paths)
    # Scans and index are compared on the same requests, without full-GC pauses: a pause of
    # hundreds of ms (see gc_full_collections_indexed) lands on whichever path is running and
    # would swamp a handful of scan samples. Latency percentiles keep the pauses.
    indexed_net, naive_net, compiled_net, one_by_one_net = (p.without_full_gc for p in paths)
    served, *others = (p.served for p in paths)
    agree = all(other[: len(served)] == served[: len(other)] for other in others)
    sample = stream[: min(len(stream), 500)]
    counts = [snapshot.index.candidates(v).bit_count() for v in sample]
    return {
        "ad_groups": size,
        "candidates_mean": sum(counts) / len(counts),
        "candidates_max": max(counts),
        "served_share": sum(1 for s in served if s) / len(served),
        "indexed": latency_summary(indexed),
        "indexed_excl_full_gc": latency_summary(indexed_net),
        "indexed_cpu": latency_summary(paths[0].cpu),
        # the scans are compared with the indexed path on the very same requests
        "indexed_same_requests": latency_summary(indexed_net[: len(naive)]),
        "naive": latency_summary(naive_net),
        "indexed_same_requests_compiled": latency_summary(indexed_net[: len(compiled)]),
        "precompiled_scan": latency_summary(compiled_net),
        "naive_with_gc": latency_summary(naive),
        "precompiled_scan_with_gc": latency_summary(compiled),
        "indexed_same_requests_one_by_one": latency_summary(indexed_net[: len(one_by_one)]),
        "one_by_one": latency_summary(one_by_one_net),
        "one_by_one_with_gc": latency_summary(one_by_one),
        "same_decisions": agree,
        "full_gc_ms_with_snapshot_frozen": frozen_gc_ms,
        "gc_full_collections_indexed": [
            round(ms, 1) for generation, ms in paths[0].gc_pauses if generation == 2
        ],
        "gc_total_ms_indexed": sum(ms for _, ms in paths[0].gc_pauses),
        "tracked_objects_during_run": len(gc.get_objects()),
    }


def run(scale: Scale) -> Section:
    cat, geo = load_catalogue(), geography()
    section = Section("decisions")
    for size in scale.sizes:
        result = bench_size(size, scale, cat, geo)
        section.data[str(size)] = result
        case = f"{size:,} ad groups"
        ix, naive = result["indexed_excl_full_gc"], result["naive"]
        one, same_one = result["one_by_one"], result["indexed_same_requests_one_by_one"]
        with_gc = result["indexed"]
        pauses = result["gc_full_collections_indexed"]
        speedup = result["naive"]["mean_us"] / result["indexed_same_requests"]["mean_us"]
        compiled_speedup = (
            result["precompiled_scan"]["mean_us"]
            / result["indexed_same_requests_compiled"]["mean_us"]
        )
        at_10k = size == 10_000
        section.rows += [
            Row(
                "decide()",
                case,
                "p99 latency (excl. full GC)",
                ix["p99_us"],
                "µs",
                baseline=one["p99_us"],
                baseline_name=f"one by one (n={one['n']})",
                ratio=one["p99_us"] / same_one["p99_us"],
                ratio_name="one-by-one/columns",
                target="≤ 1,000 µs" if at_10k else "",
                holds=(ix["p99_us"] <= 1_000) if at_10k else None,
            ),
            Row(
                "decide()",
                case,
                "p99 CPU time of the deciding thread (info: without preemption)",
                result["indexed_cpu"]["p99_us"],
                "µs",
            ),
            Row(
                "decide()",
                case,
                "p50 latency (excl. full GC)",
                ix["p50_us"],
                "µs",
                baseline=one["p50_us"],
                baseline_name="one by one",
                ratio=one["p50_us"] / same_one["p50_us"],
                ratio_name="one-by-one/columns",
            ),
            Row(
                "decide()",
                case,
                "mean latency (excl. full GC)",
                ix["mean_us"],
                "µs",
                baseline=one["mean_us"],
                baseline_name="one by one",
                ratio=one["mean_us"] / same_one["mean_us"],
                ratio_name="one-by-one/columns",
            ),
        ]
        if pauses:
            section.rows.append(
                Row(
                    "decide()",
                    case,
                    f"p99 / max latency incl. {len(pauses)} full GC",
                    with_gc["p99_us"],
                    "µs",
                    baseline=with_gc["max_us"],
                    baseline_name="max",
                )
            )
        section.rows += [
            Row(
                "decide()",
                case,
                "mean latency (same requests, excl. full GC)",
                result["indexed_same_requests"]["mean_us"],
                "µs",
                baseline=naive["mean_us"],
                baseline_name=f"naive scan (matches() per group, n={naive['n']})",
                ratio=speedup,
                ratio_name="naive/indexed",
                target="≥ 20× naive" if at_10k else "",
                holds=(speedup >= 20) if at_10k else None,
            ),
            Row(
                "decide()",
                case,
                "mean latency (same requests, excl. full GC)",
                result["indexed_same_requests_compiled"]["mean_us"],
                "µs",
                baseline=result["precompiled_scan"]["mean_us"],
                baseline_name=(f"precompiled scan (info, n={result['precompiled_scan']['n']})"),
                ratio=compiled_speedup,
                ratio_name="scan/indexed",
            ),
            Row(
                "decide()",
                case,
                "decisions/s (1 thread)",
                ix["per_second"],
                "/s",
                baseline=result["naive_with_gc"]["per_second"],
                baseline_name="naive scan",
                ratio=ix["per_second"] / result["naive_with_gc"]["per_second"],
                ratio_name="indexed/naive",
            ),
            Row("decide()", case, "index build", result["index_build_ms"], "ms"),
            Row(
                "decide()",
                case,
                "columns build (once per snapshot)",
                result["columns_build_ms"],
                "ms",
            ),
            Row(
                "decide()",
                case,
                f"one full GC with the snapshot (+{result['snapshot_gc_objects']:,} objects)",
                result["full_gc_ms_with_snapshot"],
                "ms",
                baseline=result["full_gc_ms_without_snapshot"],
                baseline_name="before building it",
                ratio=result["full_gc_ms_with_snapshot"] / result["full_gc_ms_without_snapshot"],
                ratio_name="with/without",
            ),
            Row(
                "decide()",
                case,
                "one full GC after gc.freeze() (as the snapshot store does)",
                result["full_gc_ms_with_snapshot_frozen"],
                "ms",
                baseline=result["full_gc_ms_with_snapshot"],
                baseline_name="not frozen",
            ),
            Row("decide()", case, "candidates per request (mean)", result["candidates_mean"], ""),
        ]
        if not result["same_decisions"]:
            section.notes.append(f"{case}: the scans did NOT return the indexed path's decisions")
    return section


def profile(size: int = 10_000, count: int = 1_500, top: int = 25) -> str:
    """cProfile of the indexed path (for the report, not part of the timed run)."""
    cat, geo = load_catalogue(), geography()
    snapshot, _, _, _ = build_world(size, cat, geo)
    population = viewers(20_000, random.Random(SEED + 1), cat)
    stream = traffic(population, count, random.Random(SEED + 2))
    counters, rng, config = MemoryCounters(), random.Random(SEED), EngineConfig(secret=SECRET)
    profiler = cProfile.Profile()
    profiler.enable()
    for n, viewer in enumerate(stream):
        decide(viewer, 1, snapshot, counters, NOW + n * STEP, rng, config)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def cpu_run(size: int, count: int) -> dict[str, Any]:
    """`decide()` on the bench world of `size` ad groups, `count` requests after 100 warm-up
    ones, the heap frozen as the store freezes it: CPU time of the deciding thread per request.
    Runs on whichever `sparkads` is importable, so the same command measures another commit's
    code (`PYTHONPATH=<its src>:.`) against this one's in the same session."""
    cat, geo = load_catalogue(), geography()
    snapshot, _, index_ms, columns_ms = build_world(size, cat, geo)
    population = viewers(20_000, random.Random(SEED + 1), cat)
    stream = traffic(population, count + 100, random.Random(SEED + 2))
    counters, rng, config = MemoryCounters(), random.Random(SEED), EngineConfig(secret=SECRET)
    prepare(snapshot, counters, config.reserve_ecpm)
    for n, viewer in enumerate(stream[:100]):
        decide(viewer, 1, snapshot, counters, NOW + n * STEP, rng, config)
    gc.freeze()
    cpu = []
    for n, viewer in enumerate(stream[100:]):
        start = time.thread_time_ns()
        decide(viewer, 1, snapshot, counters, NOW + (100 + n) * STEP, rng, config)
        cpu.append(time.thread_time_ns() - start)
    counts = [snapshot.index.candidates(v).bit_count() for v in stream[100:600]]
    summary = latency_summary(cpu)
    return {
        "ad_groups": size,
        "cpu_p50_us": summary["p50_us"],
        "cpu_p99_us": summary["p99_us"],
        "cpu_mean_us": summary["mean_us"],
        "candidates_mean": sum(counts) / len(counts),
        "candidates_max": max(counts),
        "index_build_ms": index_ms,
        "columns_build_ms": columns_ms,
    }


def main() -> None:
    """`python -m bench.decisions [--sizes 100000] [--count 1500]`: the CPU-time run alone."""
    import argparse
    import json
    import os

    parser = argparse.ArgumentParser(prog="python -m bench.decisions", description=main.__doc__)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--count", type=int, default=1_500)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        result = cpu_run(size, args.count) | {"load": os.getloadavg()}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
