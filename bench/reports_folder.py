"""Benchmark 5b: reports while events keep arriving, with the rollup folder doing its work.

On the reports benchmark's database (90 days × 1,000 ads, `bench.reports.build`), a feeder thread
inserts today's traffic (`FEED_RATE` events per second, spread over the ads, in one
`executemany` transaction a second) while the four report queries are read through the service
every entrypoint calls (`services.reports.read_report`: the folder's `before_read`, `report.run`,
`rolled_up_to`), one after the other, in a fresh session each.

Measured, taking turns on the same database and feeder, per query:
- **folder**: the folder's thread runs as in `serve` (a fold every `FOLD_EVERY_S`), requests only
  read; its CPU per 1,000 events folded is measured in that thread (`time.thread_time`).
- **fold per request** (baseline, what every report did before): no thread, each request folds
  the events that arrived since the previous one, then reads.

Everything runs in one process, as in one serve worker: the feeder, the folder and the requests
share the GIL, so the report latencies include the folder's and the feeder's interference.

`PYTHONPATH=. .venv/bin/python -m bench.reports_folder [--quick] [--rate N]`
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bench.common import FULL, QUICK, Row, Scale, Section, now_ns, percentile, progress
from bench.reports import (
    ADS,
    ADS_PER_GROUP,
    ADVERTISER_ID,
    CAMPAIGNS,
    CPC_PRICE,
    CPM_PRICE,
    EVENT_INSERT,
    FUNNEL,
    LAST_DAY,
    SQLITE_TIME,
    TARGET_MS,
    ZONE,
    _ids,
    _queries,
    build,
)
from sparkads.accounts.models import Advertiser
from sparkads.clock import SystemClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.events.models import Event
from sparkads.reporting.cursor import STATE
from sparkads.reporting.folder import RollupFolder
from sparkads.reporting.models import RollupState
from sparkads.services.reports import read_report

FEED_RATE = 1_000  # events per second while reports are read
FOLD_EVERY_S = 2.0
RUNS = 40  # report reads per query and way
PAUSE_S = 0.05  # between two reads: requests, not a tight loop


class Feeder:
    """Today's traffic: impressions and their funnel for random ads of the benchmark's world, at a
    steady rate, with new decision ids, received now."""

    def __init__(self, url: str, rate: int) -> None:
        self.engine = make_engine(url)
        self.rate = rate
        self.sent = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feeder", daemon=True)
        self._rng = random.Random(7)
        ads = _ids(72, ADS)
        groups = _ids(71, ADS // ADS_PER_GROUP)
        campaigns = _ids(70, CAMPAIGNS)
        self._ads = [
            (ad, groups[i // ADS_PER_GROUP], campaigns[(i // ADS_PER_GROUP) % CAMPAIGNS])
            for i, ad in enumerate(ads)
        ]
        zone = ZoneInfo(ZONE)
        self._start = datetime.combine(LAST_DAY, datetime.min.time(), zone).astimezone(UTC)
        self._seconds = 86_400 - 3_600  # stay inside the local day whatever the offset
        self._n = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self.engine.dispose()

    def _batch(self, size: int) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        received = datetime.now(UTC).replace(tzinfo=None).strftime(SQLITE_TIME)
        while len(rows) < size:
            ad, group, campaign = self._rng.choice(self._ads)
            cpm = int(group) % 2 == 0
            billing, billed = ("CPM", "impression") if cpm else ("CPC", "click")
            price = CPM_PRICE if cpm else CPC_PRICE
            cost = CPM_PRICE // 1000 if cpm else CPC_PRICE
            at = self._start + timedelta(seconds=self._rng.randrange(self._seconds))
            stamp = at.replace(tzinfo=None).strftime(SQLITE_TIME)
            self._n += 1
            decision = f"feed-{self._n}"
            kinds = ["impression"] + [k for k, share in FUNNEL if self._rng.random() < share]
            for kind in kinds:
                rows.append(
                    (
                        *(decision, kind, ADVERTISER_ID, campaign, group, ad, ad, "v"),
                        *("FR", "AGE_25_34", "FEMALE", stamp, received, billing, "CLICK"),
                        *(price, cost if kind == billed else 0),
                    )
                )
        return rows

    def _run(self) -> None:
        next_at = time.monotonic()
        while not self._stop.is_set():
            rows = self._batch(self.rate)
            with self.engine.begin() as connection:
                connection.exec_driver_sql(EVENT_INSERT, rows)
            self.sent += len(rows)
            next_at += 1.0
            self._stop.wait(max(0.0, next_at - time.monotonic()))


def _reads(
    uow: UnitOfWorkFactory, folder: RollupFolder, name: str, runs: int
) -> tuple[list[int], list[int]]:
    """Wall and CPU time (of the requesting thread) of each read, in nanoseconds."""
    wall: list[int] = []
    cpu: list[int] = []
    for _ in range(runs):
        start, start_cpu = now_ns(), time.thread_time_ns()
        with uow() as unit:  # the entrypoint's own read: the advertiser, as authorization does
            advertiser = unit.session.get_one(Advertiser, ADVERTISER_ID)
        answer = read_report(uow, folder, _queries(advertiser)[name])
        wall.append(now_ns() - start)
        cpu.append(time.thread_time_ns() - start_cpu)
        assert answer.data["list"], name
        time.sleep(PAUSE_S)
    return wall, cpu


def _summary(samples: tuple[list[int], list[int]]) -> dict[str, float]:
    wall, cpu = sorted(samples[0]), sorted(samples[1])
    return {
        "n": len(wall),
        "p50_ms": percentile(wall, 50) / 1e6,
        "p95_ms": percentile(wall, 95) / 1e6,
        "max_ms": wall[-1] / 1e6,
        "cpu_p50_ms": percentile(cpu, 50) / 1e6,
        "cpu_p95_ms": percentile(cpu, 95) / 1e6,
    }


def _start_cursor(url: str) -> None:
    """The built rollups hold every built event: the folder starts after them."""
    engine = make_engine(url)
    with Session(engine) as session:
        top = session.scalar(select(func.max(Event.id))) or 0
        session.execute(
            insert(RollupState),
            [{"name": STATE, "last_event_id": top, "updated_at": datetime.now(UTC)}],
        )
        session.commit()
    engine.dispose()


def measure(url: str, rate: int, runs: int) -> Section:
    section = Section("reports with the folder")
    _start_cursor(url)
    engine = make_engine(url)
    uow = UnitOfWorkFactory(engine)
    clock = SystemClock()
    background = RollupFolder(uow, clock, interval=FOLD_EVERY_S)
    per_request = RollupFolder(uow, clock, fold_on_read=True)  # no thread: folds on every read
    feeder = Feeder(url, rate)
    feeder.start()
    time.sleep(2.0)  # traffic flowing before the first read
    names = list(_queries(Advertiser(advertiser_id=ADVERTISER_ID)))
    try:
        for name in names:
            progress(f"reports with the folder: {name}")
            background.start()
            folder_cpu, folder_events = background.stats.cpu_s, background.stats.events
            with_folder = _reads(uow, background, name, runs)
            background.stop()
            cpu = background.stats.cpu_s - folder_cpu
            events = background.stats.events - folder_events
            request_cpu, request_events = per_request.stats.cpu_s, per_request.stats.events
            baseline = _reads(uow, per_request, name, runs)
            mine, theirs = _summary(with_folder), _summary(baseline)
            section.data[name] = {
                "folder": mine,
                "fold_per_request": theirs,
                "folder_cpu_ms_per_1000_events": cpu / max(events, 1) * 1e6,
                "folder_events": events,
                "per_request_fold_cpu_ms_per_1000_events": (per_request.stats.cpu_s - request_cpu)
                / max(per_request.stats.events - request_events, 1)
                * 1e6,
            }
            section.rows.append(
                Row(
                    "read_report() + folder",
                    f"{name}, {rate:,} events/s arriving",
                    f"p95 latency (n={mine['n']})",
                    mine["p95_ms"],
                    "ms",
                    baseline=theirs["p95_ms"],
                    baseline_name="fold on each request",
                    ratio=theirs["p95_ms"] / mine["p95_ms"],
                    ratio_name="per-request/folder",
                    target="p95 < 200 ms",
                    holds=mine["p95_ms"] < TARGET_MS,
                )
            )
            section.rows.append(
                Row(
                    "read_report() + folder",
                    f"{name}, {rate:,} events/s arriving",
                    "p95 CPU of the request",
                    mine["cpu_p95_ms"],
                    "ms",
                    baseline=theirs["cpu_p95_ms"],
                    baseline_name="fold on each request",
                    ratio=theirs["cpu_p95_ms"] / mine["cpu_p95_ms"],
                    ratio_name="per-request/folder",
                )
            )
    finally:
        background.stop()
        feeder.stop()
    stats = background.stats
    section.data["folder"] = {
        "folds": stats.folds,
        "events": stats.events,
        "cpu_s": stats.cpu_s,
        "wall_s": stats.wall_s,
        "failures": stats.failures,
        "fed": feeder.sent,
    }
    section.rows.append(
        Row(
            "RollupFolder",
            f"{stats.events:,} events in {stats.folds} folds",
            "CPU per 1,000 events folded",
            stats.cpu_s / max(stats.events, 1) * 1e6,
            "ms",
            baseline=per_request.stats.cpu_s / max(per_request.stats.events, 1) * 1e6,
            baseline_name="folding on each request",
        )
    )
    engine.dispose()
    return section


def run(scale: Scale, workdir: Path, rate: int = FEED_RATE) -> Section:
    url = f"sqlite:///{workdir / 'reports-folder.db'}"
    progress("reports with the folder: building the reports benchmark's world")
    build(url, scale.quick)
    return measure(url, rate, RUNS // 2 if scale.quick else RUNS)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports_folder", description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rate", type=int, default=FEED_RATE)
    parser.add_argument("--output", type=Path, default=Path("bench/results/reports_folder.json"))
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as workdir:
        section = run(QUICK if args.quick else FULL, Path(workdir), args.rate)
    load_after = os.getloadavg()
    for row in section.rows:
        base = f" | baseline {row.baseline:.1f} ({row.baseline_name})" if row.baseline else ""
        ratio = f" | {row.ratio_name} {row.ratio:.2f}" if row.ratio else ""
        holds = "" if row.holds is None else (" | holds" if row.holds else " | MISSES")
        print(
            f"{row.bench} | {row.case} | {row.metric} | {row.value:.1f} {row.unit}{base}{ratio}{holds}"
        )
    print(f"load before {load_before}, after {load_after}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {**section.as_json(), "load": [load_before, load_after]}
    args.output.write_text(json.dumps(payload, indent=2, default=str))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
