"""Hot shared state of delivery: spend, exposures (frequency caps), per-ad statistics, pacing
probabilities and why-not-served counts. `Counters` is the seam (a Protocol: the app, services
and engine type against it); `MemoryCounters` keeps it in this process behind one lock;
`RedisCounters` (`redis_counters.py`, not a subclass) shares spend and exposures between
processes when several serve the same database and holds a `MemoryCounters` for the rest.

Billing is check-and-add under the lock: an event is billed only while every budget it counts
against still has room, so a budget is never overspent by more than one billable event, however
many requests race. Each line also counts what billing added to it and in how many events
(`billed`: not what warm-up loaded), from which pacing measures the price an ad group actually
pays per event.

The decision path reads per-ad statistics and counts reasons for hundreds of candidates per
request, so both also exist as columns: an ad or an ad group gets a row once (`ad_stat_rows`,
`reason_rows`, when a snapshot is first used), then a request gathers statistics with one NumPy
index (`stats_table`) and counts a reason for many ad groups in one call (`count_reasons`). A
shared implementation would keep a local replica of these columns: a network round trip per
candidate would cost more than the whole decision."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from sparkads.delivery import pacing
from sparkads.delivery.auction import Stats
from sparkads.delivery.exposures import ExposureStore

KEEP_CHANGES = 100_000  # statistics changes remembered for readers that are behind
NO_STATS = Stats()
STAT_COLUMNS = ("impressions", "clicks", "conversions", "views_6s", "follows")  # as in Stats

Rows = npt.NDArray[np.intp]


def _view(row: dict[str, int]) -> Stats:
    return Stats(
        row["impressions"], row["clicks"], row["conversions"], row["views_6s"], row["follows"]
    )


@dataclass(frozen=True)
class BudgetLine:
    key: str  # e.g. "ag:<adgroup_id>:2026-11-24"
    budget: int | None  # micros; None = no limit on this line


class Counters(Protocol):
    def spent(self, key: str) -> int: ...
    def set_spent(self, key: str, amount: int) -> None: ...
    def try_bill(self, lines: Sequence[BudgetLine], amount: int) -> bool: ...
    def refund(self, lines: Sequence[BudgetLine], amount: int) -> None: ...
    def billed(self, key: str) -> tuple[int, int]: ...
    def exposures(self, viewer_id: str, adgroup_id: str, since: float) -> int: ...
    def record_exposure(self, viewer_id: str, adgroup_id: str, at: float, keep: float) -> None: ...
    def ad_stats(self, ad_id: str) -> Stats: ...
    def add_ad_stat(self, ad_id: str, field: str, count: int = 1) -> None: ...
    def pacing_probability(self, adgroup_id: str) -> float: ...
    def pace_served(self, adgroup_id: str, expected: float) -> None: ...
    def control_pacing(self, adgroup_id: str, reading: pacing.PacingInput) -> None: ...
    def count_reason(self, adgroup_id: str, reason: str) -> None: ...
    def reasons(self, adgroup_id: str) -> dict[str, int]: ...
    def count_request(self) -> None: ...
    def request_count(self) -> int: ...
    # columns for the decision path (see the module docstring)
    def ad_stat_rows(self, ad_ids: Sequence[str]) -> Rows: ...
    def stats_table(self) -> npt.NDArray[np.int64]: ...
    def stat_changes(self, since: int) -> tuple[int, Rows | None]: ...
    def reason_rows(self, adgroup_ids: Sequence[str]) -> Rows: ...
    def count_reasons(self, rows: Rows, reason: str) -> None: ...
    # warm-up at start and forecasts (`events/warmup.py`, `services/forecasts.py`)
    def raise_spent(self, amounts: Mapping[str, int]) -> None: ...
    def load_exposures(
        self, seen: Iterable[tuple[str, str, Sequence[float]]], keep: float
    ) -> None: ...
    def stats_snapshot(self) -> dict[str, Stats]: ...
    def load_stats(self, stats: dict[str, Stats]) -> None: ...


def _grown(data: npt.NDArray[np.int64], rows: int) -> npt.NDArray[np.int64]:
    if rows <= len(data):
        return data
    grown = np.zeros((max(rows, 2 * len(data)), *data.shape[1:]), dtype=np.int64)
    grown[: len(data)] = data
    return grown  # a reader still holding the old array sees it as it was: harmless


class _StatTable:
    """Per-ad statistics as integer columns (`STAT_COLUMNS`), a row per ad (rows never move),
    and the rows changed lately, so that readers can update what they derive from them."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.data = np.zeros((64, len(STAT_COLUMNS)), dtype=np.int64)
        self.changed: list[int] = []
        self.forgotten = 0  # changes dropped from the front of `changed`

    def row(self, ad_id: str) -> int:
        row = self.rows.get(ad_id)
        if row is None:
            row = self.rows[ad_id] = len(self.rows)
            self.data = _grown(self.data, row + 1)
        return row

    def change(self, ad_id: str, values: Sequence[int], column: int | None = None) -> None:
        """Add `values[0]` to one column, or set the whole row from `values`."""
        at = self.row(ad_id)  # before reading `data`: a new row may grow it
        if column is None:
            self.data[at] = values
        else:
            self.data[at, column] += values[0]
        self.changed.append(at)
        if len(self.changed) > 2 * KEEP_CHANGES:
            del self.changed[:KEEP_CHANGES]
            self.forgotten += KEEP_CHANGES

    def changes(self, since: int) -> tuple[int, Rows | None]:
        now = self.forgotten + len(self.changed)
        if since < self.forgotten:
            return now, None
        return now, np.array(self.changed[since - self.forgotten :], dtype=np.intp)


class _ReasonTable:
    """Reasons counted in bulk: one array per reason, a row per ad group."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.counts: dict[str, npt.NDArray[np.int64]] = {}

    def register(self, adgroup_ids: Sequence[str]) -> Rows:
        rows = np.array(
            [self.rows.setdefault(g, len(self.rows)) for g in adgroup_ids], dtype=np.intp
        )
        self.counts = {r: _grown(c, len(self.rows)) for r, c in self.counts.items()}
        return rows

    def add(self, rows: Rows, reason: str) -> None:
        counts = self.counts.get(reason)
        if counts is None:
            counts = self.counts[reason] = np.zeros(len(self.rows), dtype=np.int64)
        counts[rows] += 1  # distinct rows (`count_reasons`): no need for np.add.at's slow path

    def of(self, adgroup_id: str) -> dict[str, int]:
        row = self.rows.get(adgroup_id)
        if row is None:
            return {}
        return {reason: int(counts[row]) for reason, counts in self.counts.items()}


_NONE_SERVED = [0.0, 0.0]


class MemoryCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spend: dict[str, int] = defaultdict(int)
        self._billed: dict[str, tuple[int, int]] = {}  # per line: micros billed, events
        self._exposures = ExposureStore()
        self._stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self._views: dict[str, Stats] = {}
        self._stat_table = _StatTable()
        self._reason_table = _ReasonTable()
        self._pacing: dict[str, pacing.Throttle] = {}
        self._served: dict[str, list[float]] = {}  # per paced ad group: wins, expected cost
        self._reasons: dict[str, Counter[str]] = defaultdict(Counter)
        self._requests = 0

    def spent(self, key: str) -> int:
        return self._spend.get(key, 0)

    def try_bill(self, lines: Sequence[BudgetLine], amount: int) -> bool:
        with self._lock:
            if any(
                line.budget is not None and self._spend.get(line.key, 0) >= line.budget
                for line in lines
            ):
                return False
            for line in lines:
                self._spend[line.key] += amount
                paid, events = self._billed.get(line.key, (0, 0))
                self._billed[line.key] = (paid + amount, events + 1)
            return True

    def refund(self, lines: Sequence[BudgetLine], amount: int) -> None:
        with self._lock:
            for line in lines:
                self._spend[line.key] -= amount
                paid, events = self._billed.get(line.key, (0, 0))
                if events > 0:
                    self._billed[line.key] = (paid - amount, events - 1)

    def billed(self, key: str) -> tuple[int, int]:
        """Micros billed on this line and in how many events (spend loaded at start is not
        counted: its events are unknown)."""
        return self._billed.get(key, (0, 0))

    def set_spent(self, key: str, amount: int) -> None:
        with self._lock:
            self._spend[key] = amount

    def raise_spent(self, amounts: Mapping[str, int]) -> None:
        """Spend loaded at start: each line raised to at least its amount, never lowered."""
        with self._lock:
            for key, amount in amounts.items():
                self._spend[key] = max(self._spend.get(key, 0), amount)

    def load_exposures(self, seen: Iterable[tuple[str, str, Sequence[float]]], keep: float) -> None:
        """Exposures loaded at start: (viewer, ad group, times in order) each."""
        for viewer_id, adgroup_id, stamps in seen:
            for stamp in stamps:
                self.record_exposure(viewer_id, adgroup_id, stamp, keep)

    def exposures(self, viewer_id: str, adgroup_id: str, since: float) -> int:
        with self._lock:
            return self._exposures.count(viewer_id, adgroup_id, since)

    def record_exposure(self, viewer_id: str, adgroup_id: str, at: float, keep: float) -> None:
        """Kept at least `keep` seconds; older generations are dropped whole as time passes
        (`exposures.py`: no sweep over the pairs under the lock)."""
        with self._lock:
            self._exposures.record(viewer_id, adgroup_id, at, keep)

    def exposure_store(self) -> ExposureStore:
        return self._exposures

    def ad_stats(self, ad_id: str) -> Stats:
        # read on every candidate of every decision: a ready-made immutable view, no allocation
        return self._views.get(ad_id, NO_STATS)

    def add_ad_stat(self, ad_id: str, field: str, count: int = 1) -> None:
        with self._lock:
            row = self._stats[ad_id]
            row[field] += count
            self._views[ad_id] = _view(row)
            if field in STAT_COLUMNS:
                self._stat_table.change(ad_id, (count,), STAT_COLUMNS.index(field))

    def pacing_probability(self, adgroup_id: str) -> float:
        state = self._pacing.get(adgroup_id)
        return 1.0 if state is None else state.probability

    def pace_served(self, adgroup_id: str, expected: float) -> None:
        """Count a win of a paced ad group and its expected cost (`pacing.expected_cost`)."""
        served = self._served.get(adgroup_id)
        if served is None:
            with self._lock:
                served = self._served.setdefault(adgroup_id, [0.0, 0.0])
        served[0] += 1  # without the lock: a count lost to a race only blurs an estimate
        served[1] += expected

    def control_pacing(self, adgroup_id: str, reading: pacing.PacingInput) -> None:
        """Update the ad group's throttle (`pacing.control`) once per `pacing.CONTROL_INTERVAL`;
        called for every candidate, so the lock is taken only when an update is due."""
        throttle = self._pacing.get(adgroup_id)
        if throttle is not None and not pacing.due(throttle, reading.now, reading.gated):
            return
        with self._lock:
            throttle = self._pacing.get(adgroup_id, pacing.Throttle())
            if pacing.due(throttle, reading.now, reading.gated):
                wins, cost = self._served.get(adgroup_id, _NONE_SERVED)
                self._pacing[adgroup_id] = pacing.control(throttle, reading, (wins, cost))

    def count_reason(self, adgroup_id: str, reason: str) -> None:
        with self._lock:
            self._reasons[adgroup_id][reason] += 1

    def reasons(self, adgroup_id: str) -> dict[str, int]:
        counted = Counter(self._reasons.get(adgroup_id, {}))
        counted.update(self._reason_table.of(adgroup_id))
        return {reason: count for reason, count in counted.items() if count}

    def ad_stat_rows(self, ad_ids: Sequence[str]) -> Rows:
        with self._lock:
            return np.array([self._stat_table.row(ad_id) for ad_id in ad_ids], dtype=np.intp)

    def stats_table(self) -> npt.NDArray[np.int64]:
        return self._stat_table.data

    def stat_changes(self, since: int) -> tuple[int, Rows | None]:
        """The rows of `stats_table` changed after `since` (what this method returned last time,
        -1 at first), and the value to pass next time. None: everything may have changed."""
        with self._lock:
            return self._stat_table.changes(since)

    def reason_rows(self, adgroup_ids: Sequence[str]) -> Rows:
        with self._lock:
            return self._reason_table.register(adgroup_ids)

    def count_reasons(self, rows: Rows, reason: str) -> None:
        """One more `reason` for each of `rows` (from `reason_rows`, distinct)."""
        with self._lock:
            self._reason_table.add(rows, reason)

    def count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def request_count(self) -> int:
        return self._requests

    def stats_snapshot(self) -> dict[str, Stats]:
        """Per-ad statistics, copied (forecasts start from what the live engine has learnt)."""
        with self._lock:
            return {
                ad_id: Stats(
                    row["impressions"],
                    row["clicks"],
                    row["conversions"],
                    row["views_6s"],
                    row["follows"],
                )
                for ad_id, row in self._stats.items()
            }

    def load_stats(self, stats: dict[str, Stats]) -> None:
        with self._lock:
            for ad_id, row in stats.items():
                target = self._stats[ad_id]
                target["impressions"], target["clicks"] = row.impressions, row.clicks
                target["conversions"], target["views_6s"] = row.conversions, row.views_6s
                target["follows"] = row.follows
                self._views[ad_id] = row
                self._stat_table.change(ad_id, [getattr(row, name) for name in STAT_COLUMNS])
