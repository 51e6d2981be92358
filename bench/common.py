"""What every benchmark shares: run sizes (full or quick), latency summaries, and result rows.

A benchmark returns a `Section`: its raw figures (saved to JSON) and `Row`s for the table. A row
holds a measured value, the same-process baseline it is compared with and their ratio, and, when
the issue sets one, the target and whether it holds."""

from __future__ import annotations

import math
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scale:
    quick: bool
    sizes: tuple[int, ...]  # ad groups in the in-process decision benchmark
    decide_count: int  # indexed decisions per size (at most)
    decide_seconds: float  # time cap per size for the indexed path
    naive_count: int
    naive_seconds: float  # time cap per size for each scan baseline
    http_groups: int
    http_threads: int
    http_seconds: float  # per measured phase
    events_total: int  # events per batch size
    pacing_requests: int


FULL = Scale(
    quick=False,
    sizes=(1_000, 10_000, 50_000),
    decide_count=4_000,
    decide_seconds=8.0,
    naive_count=300,
    naive_seconds=5.0,
    http_groups=1_000,
    http_threads=8,
    http_seconds=4.0,
    events_total=20_000,
    pacing_requests=200_000,
)
QUICK = Scale(
    quick=True,
    sizes=(1_000, 10_000, 50_000),
    decide_count=800,
    decide_seconds=2.0,
    naive_count=60,
    naive_seconds=1.5,
    http_groups=300,
    http_threads=6,
    http_seconds=1.5,
    events_total=4_000,
    pacing_requests=50_000,
)


def now_ns() -> int:
    return time.perf_counter_ns()


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return float(sorted_values[min(rank, len(sorted_values)) - 1])


def latency_summary(samples_ns: Sequence[int]) -> dict[str, float]:
    """p50/p90/p99/max/mean in microseconds and the single-thread rate they imply."""
    ordered = sorted(samples_ns)
    total = sum(ordered)
    return {
        "n": len(ordered),
        "p50_us": percentile(ordered, 50) / 1_000,
        "p90_us": percentile(ordered, 90) / 1_000,
        "p99_us": percentile(ordered, 99) / 1_000,
        "max_us": (ordered[-1] / 1_000) if ordered else math.nan,
        "mean_us": (total / len(ordered) / 1_000) if ordered else math.nan,
        "per_second": (len(ordered) / (total / 1e9)) if total else math.nan,
    }


@dataclass
class Row:
    bench: str
    case: str
    metric: str
    value: float
    unit: str
    baseline: float | None = None  # same-process baseline, same unit
    baseline_name: str = ""
    ratio: float | None = None  # how the value compares with the baseline (see ratio_name)
    ratio_name: str = ""
    target: str = ""  # the target, as text
    holds: bool | None = None  # None: no target on this row


@dataclass
class Section:
    name: str
    rows: list[Row] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": [asdict(r) for r in self.rows],
            "data": self.data,
            "notes": self.notes,
        }


def machine() -> dict[str, Any]:
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
    }


def progress(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def warm_writer(recorder: Any, viewers: Sequence[Any], snapshot: Any, at: Any) -> None:
    """The traffic writer as a serve process has it after its first minutes: its connection open
    and each size of its multi-row statements (`db.bulk.insert_many`: 64, 32 … 1 rows) compiled
    once for the log and the profiles, here on viewers outside the measured stream (renamed)."""
    from dataclasses import replace

    start = 0
    for size in (1, 2, 4, 8, 16, 32, 64):
        for viewer in viewers[start : start + size]:
            renamed = replace(viewer, viewer_id=f"warm-{size}-{viewer.viewer_id}")
            recorder.record(renamed, [], snapshot, at=at, sampled=True)
        recorder.flush()
        start += size
