"""`python -m bench.traffic [--quick]`: what the traffic log costs and what reading it costs.

- log cost (`bench.traffic_cost`): `decide()` alone against `decide()` followed by the intake at
  the default sample rate, the writer writing to a SQLite file at serve's pace, in 100-request
  chunks taking turns with a second identical `decide()` path (the null row); CPU time of the
  whole process (the writer included), the ratio with its bootstrap interval.
- audience estimates over N profiles (the columns `traffic.store` keeps in memory), against the
  plain SQL alternative: `SELECT count(*)` with the same country and age filter on an indexed
  SQLite table of the same N profiles.
- a lookalike over N profiles (`audiences.lookalike` on the profiles' features).
- a forecast of one draft on a 7-day log of M sampled requests (the replay, log already in memory;
  reading the log from the database is timed apart on a smaller log, against the simple way of
  reading it: an ORM object and a `Viewer` per row).
- memory of the columns and disk of the SQLite tables, per million rows.

The synthetic population only provides attribute mixes here; nothing of it reaches the product.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy import select

from bench.decisions import NOW, build_world
from bench.traffic_cost import log_cost
from bench.world import load_catalogue
from sparkads.audiences.keys import install_secret, viewer_key
from sparkads.audiences.lookalike import lookalike
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import geography
from sparkads.marketplace.viewers import columns_features, location_mask, os_mask
from sparkads.simulation import population as synthetic
from sparkads.traffic.attributes import viewer_of
from sparkads.traffic.columns import PER_VIEWER, ViewerColumns, encode
from sparkads.traffic.forecast import Draft, replay
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings
from sparkads.traffic.models import TrafficRequest
from sparkads.traffic.store import AudienceEstimate, RequestLog, request_log

TARGETINGS = (
    {"location_ids": ["3017382"]},
    {"location_ids": ["3017382"], "age_groups": ["AGE_18_24", "AGE_25_34"]},
    {"location_ids": ["2921044", "3017382"], "gender": "GENDER_FEMALE", "interest_category_ids": ["103"]},
    {"location_ids": ["2635167"], "operating_systems": ["IOS"], "age_groups": ["AGE_25_34"]},
    {"location_ids": ["6252001"], "languages": ["en"]},
)  # fmt: skip


def column_bytes(columns: ViewerColumns) -> int:
    return sum(getattr(columns, name).nbytes for name in PER_VIEWER)


def _p95(samples: list[float]) -> float:
    return float(np.percentile(samples, 95))


def estimates(profiles: int, workdir: Path) -> dict[str, Any]:
    geo = geography()
    people = synthetic.generate(profiles, 7)
    seen = np.ones(people.size, np.bool_)
    timings: list[float] = []
    counts = []
    for _ in range(8):
        for targeting in TARGETINGS:
            start = time.process_time()  # CPU: the machine is shared
            counts.append(int((seen & people.matching(targeting, geo)).sum()))
            timings.append((time.process_time() - start) * 1e3)
    columns_bytes = column_bytes(people)
    # the plain alternative: an indexed SQLite table of the same profiles, COUNT(*) with a filter
    db = sqlite3.connect(workdir / "profiles.db")
    db.execute("CREATE TABLE p (k TEXT PRIMARY KEY, country TEXT, age INTEGER, os TEXT)")
    db.execute("CREATE INDEX p_country ON p (country, age)")
    countries = people.country_codes()
    rows = (
        (
            f"{i:032x}",
            str(countries[i]),
            int(people.age[i]),
            "ANDROID" if people.os[i] == 0 else "IOS",
        )
        for i in range(people.size)
    )
    db.executemany("INSERT INTO p VALUES (?, ?, ?, ?)", rows)
    db.commit()
    sql: list[float] = []
    for _ in range(8):
        start = time.perf_counter()
        db.execute(
            "SELECT count(*) FROM p WHERE country = 'FR' AND age BETWEEN 18 AND 34"
        ).fetchone()
        sql.append((time.perf_counter() - start) * 1e3)
    ours = [t for i, t in enumerate(timings) if i % len(TARGETINGS) == 1]  # the same filter
    db.close()
    return {
        "profiles": profiles,
        "estimate_cpu_ms_p95_all_targetings": _p95(timings),
        "estimate_cpu_ms_p95_fr_18_34": _p95(ours),
        "sql_count_cpu_ms_p95_fr_18_34": _p95(sql),
        "columns_mb_per_million": columns_bytes / profiles,  # bytes per profile = MB per million
        "sqlite_index_table_mb_per_million": os.path.getsize(workdir / "profiles.db") / profiles,
    }


def lookalikes(profiles: int) -> dict[str, Any]:
    people = synthetic.generate(profiles, 7)
    start = time.process_time()
    features = columns_features(people)
    features_s = time.process_time() - start
    france = location_mask(people, ["3017382"]) & os_mask(people, "ALL")
    fitness = np.array(
        [people.holds_interest_in(i, "103") for i in range(min(people.size, 50_000))]
    )
    seed = np.flatnonzero(france[: fitness.size] & fitness)[:1_000]
    timings = []
    for _ in range(3):
        start = time.process_time()
        lookalike(features, seed, france, 0.05)
        timings.append(time.process_time() - start)
    return {
        "profiles": profiles,
        "features_cpu_s": features_s,
        "lookalike_cpu_s_best_of_3": min(timings),
    }


def _read_as_objects(session: Any, since: datetime, until: datetime) -> ViewerColumns:
    """The simple way to read the log: ORM rows, a `Viewer` of each, then columns."""
    rows = session.scalars(
        select(TrafficRequest).where(
            TrafficRequest.occurred_at > since, TrafficRequest.occurred_at <= until
        )
    ).all()
    return encode([viewer_of(r, "") for r in rows])


def forecasts(requests: int, size: int, workdir: Path, read_rows: int) -> dict[str, Any]:
    cat, geo = load_catalogue(), geography()
    snapshot, targetings, _, _ = build_world(size, cat, geo)
    snapshot = replace(snapshot, targetings=tuple(targetings))
    people = synthetic.generate(min(requests, 1_000_000), 7)
    rows = np.random.default_rng(3).integers(0, people.size, requests)
    until = datetime.fromtimestamp(NOW, UTC)
    since = until - timedelta(days=7)
    at = np.sort(np.random.default_rng(4).uniform(since.timestamp(), until.timestamp(), requests))
    log = RequestLog(
        [f"{int(i):032x}" for i in rows],
        people.take(rows),
        at,
        np.full(requests, 10.0),
        [""] * requests,
    )
    draft = Draft(
        targeting={"location_ids": ["3017382"], "age_groups": ["AGE_18_24", "AGE_25_34"]},
        goal="CLICK", billing="CPC", bid_type="BID_TYPE_CUSTOM", bid=600_000,
        daily_budget=40_000_000, eur_rate=1.0, timezone=ZoneInfo("Europe/Paris"),
    )  # fmt: skip
    timings = []
    for _ in range(3):
        start = time.process_time()
        result = replay(log, AudienceEstimate(None, 0, 30), snapshot, draft, geo,
                        now=until, since=since, until=until)  # fmt: skip
        timings.append(time.process_time() - start)
    # reading a log from the database (what a cold process pays once; then cached)
    url = f"sqlite:///{workdir / 'requests.db'}"
    migrate.upgrade(url)
    uow = UnitOfWorkFactory(make_engine(url))
    recorder = TrafficRecorder(uow, TestClock(until), TrafficSettings(sample_rate=1.0))
    install_secret(b"bench")
    for i in range(read_rows):
        recorder.record(
            people.viewer(int(rows[i])), [], snapshot, at=datetime.fromtimestamp(float(at[i]), UTC)
        )
    recorder.flush()
    with uow() as unit:
        start = time.process_time()
        request_log(unit.session, since, until)
        read_s = time.process_time() - start
        start = time.process_time()
        _read_as_objects(unit.session, since, until)  # the baseline: an ORM row and a viewer each
        objects_s = time.process_time() - start
    disk = os.path.getsize(workdir / "requests.db")
    return {
        "logged_requests": requests,
        "ad_groups": size,
        "matching": result.basis.matching,
        "replayed": result.basis.replayed,
        "forecast_cpu_s_best_of_3": min(timings),
        "read_rows": read_rows,
        "read_cpu_s": read_s,
        "read_cpu_s_per_million": read_s / read_rows * 1e6,
        "read_as_objects_cpu_s_per_million": objects_s / read_rows * 1e6,
        "sqlite_mb_per_million_logged": disk / read_rows,
        "log_columns_mb_per_million": column_bytes(log.columns) / requests + 8 * 2,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.traffic", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100k profiles and requests")
    parser.add_argument("--log-only", action="store_true", help="only the log's cost")
    parser.add_argument("--requests", type=int, help="the log cost's stream (40,000; quick 10,000)")
    parser.add_argument("--chunk", type=int, default=100, help="the log cost's chunk of requests")
    args = parser.parse_args(argv)
    n = 100_000 if args.quick else 1_000_000
    install_secret(b"bench")
    assert viewer_key("x")  # keys are computed as in a server
    result: dict[str, Any] = {"load": os.getloadavg(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-traffic-") as tmp:
        work = Path(tmp)
        count = args.requests or (10_000 if args.quick else 40_000)
        result["log_cost"] = [log_cost(10_000, count, work, r, args.chunk) for r in (0.3, 0.9)]
        if args.log_only:
            result["load_after"] = os.getloadavg()
            print(json.dumps(result, indent=2))
            return 0
        result["estimates"] = estimates(n, work)
        result["lookalike"] = lookalikes(n)
        result["forecast"] = forecasts(n, 10_000, work, 20_000 if args.quick else 100_000)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
