"""`python -m bench.traffic_cold [--quick] [--db PATH]`: a forecast in a process that just started.

A SQLite database gets a 7-day log of N sampled requests (sample rate 0.1, viewers drawn from a
synthetic population of N, so some ask many times) and N profiles (every viewer of the population
seen once at least), written through the real intake (`TrafficRecorder`). Then each measurement
is a new process (`--child`) that builds the 10k-ad-group world (not timed) and answers one
forecast of a draft as `POST /api/v1/forecasts` does (`traffic.forecast.forecast`: the log's
window, the audience estimate over the profiles, the replay), CPU time of the process:

- `tables`: what a start cost before checkpoints, reading the log and the profiles from the
  tables (the child then saves checkpoints, timed, as serve's follower does);
- `checkpoint`: starting from the columnar checkpoint (`traffic.checkpoint`), reading from the
  tables only what came after it;
alternating, twice each; then 10,000 requests are logged after the checkpoint (some from new
viewers) and both are measured once more (`checkpoint` then reads the newer rows and catches the
profiles up). Each process also forecasts a second time (warm: the replay alone). The answers
of the two ways must be equal (checked). `--db PATH` keeps the database for another run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from bench.decisions import NOW, build_world
from bench.world import load_catalogue
from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import geography
from sparkads.delivery.model import Snapshot
from sparkads.delivery.store import viewer_secret
from sparkads.simulation import population as synthetic
from sparkads.traffic import store
from sparkads.traffic.forecast import Draft, forecast
from sparkads.traffic.intake import TrafficRecorder, TrafficSettings

Report = dict[str, object]  # JSON
UNTIL = datetime.fromtimestamp(NOW, UTC)
NO_ADS = Snapshot(groups=(), index=None, version=0, built_at=0.0)
DRAFT = Draft(
    targeting={"location_ids": ["3017382"], "age_groups": ["AGE_18_24", "AGE_25_34"]},
    goal="CLICK", billing="CPC", bid_type="BID_TYPE_CUSTOM", bid=600_000,
    daily_budget=40_000_000, eur_rate=1.0, timezone=ZoneInfo("Europe/Paris"),
)  # fmt: skip


def _recorder(url: str) -> TrafficRecorder:
    uow = UnitOfWorkFactory(make_engine(url))
    with uow() as unit:
        viewer_secret(unit.session, TestClock(UNTIL))
        unit.commit()
    return TrafficRecorder(uow, TestClock(UNTIL), TrafficSettings(sample_rate=0.1), seed=3)


def _send(
    recorder: TrafficRecorder, events: list[tuple[float, str, bool]], people: synthetic.Population
) -> None:
    """(time, viewer id, sampled) in time order; a viewer id "p<i>" is population row i."""
    for k, (at, viewer_id, sampled) in enumerate(events):
        row = int(viewer_id[1:]) % people.size
        when = datetime.fromtimestamp(at, UTC)
        viewer = people.viewer(row, viewer_id)
        recorder.record(viewer, [], NO_ADS, at=when, sampled=sampled)
        if k % 50_000 == 49_999:
            recorder.flush()
            recorder.forget(when)
    recorder.flush(everything=True)


def build(url: str, size: int) -> None:
    migrate.upgrade(url)
    people = synthetic.generate(size, 7)
    rng = np.random.default_rng(3)
    start, end = NOW - 7 * 86_400 + 600, NOW - 120  # the last two minutes: what comes after
    drawn = rng.integers(0, size, size)
    once = np.setdiff1d(np.arange(size), drawn)
    sampled = zip(rng.uniform(start, end, size).tolist(), drawn.tolist(), strict=True)
    unsampled = zip(rng.uniform(start, end, once.size).tolist(), once.tolist(), strict=True)
    events = [(t, f"p{i}", True) for t, i in sampled] + [(t, f"p{i}", False) for t, i in unsampled]
    events.sort()
    _send(_recorder(url), events, people)


def more_traffic(url: str, size: int, count: int) -> None:
    """`count` sampled requests in the last two minutes, a fifth of them from new viewers."""
    people = synthetic.generate(size, 7)
    rng = np.random.default_rng(5)
    ids = [f"p{int(i)}" if k % 5 else f"p{size + k}" for k, i in
           enumerate(rng.integers(0, size, count))]  # fmt: skip
    times = np.sort(rng.uniform(NOW - 119, NOW, count))
    _send(_recorder(url), [(float(t), v, True) for t, v in zip(times, ids, strict=True)], people)


def child(url: str, checkpoints: str, save: bool) -> Report:
    geo = geography()
    snapshot, targetings, _, _ = build_world(10_000, load_catalogue(), geo)
    snapshot = replace(snapshot, targetings=tuple(targetings))
    uow = UnitOfWorkFactory(make_engine(url))
    with uow() as unit:
        viewer_secret(unit.session, TestClock(UNTIL))  # installs the database's secret
    directory = Path(checkpoints)
    if checkpoints != "off":
        store.use_checkpoints(uow, directory)
    out: Report = {}
    with uow() as unit:
        for name in ("cold", "warm"):
            started = time.process_time()
            result = forecast(unit.session, snapshot, DRAFT, geo, now=UNTIL)
            out[f"{name}_forecast_cpu_s"] = time.process_time() - started
        out["answer"] = {"basis": asdict(result.basis), "audience": asdict(result.audience),
                         "runs": [asdict(run) for run in result.runs]}  # fmt: skip
        if save:
            started = time.process_time()
            store.save_checkpoints(unit.session, directory, {})
            out["save_cpu_s"] = time.process_time() - started
    out["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _run(url: str, checkpoints: str, *, save: bool = False) -> Report:
    command = [sys.executable, "-m", "bench.traffic_cold", "--child", url,
               "--checkpoints", checkpoints, *(["--save"] if save else [])]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return dict(json.loads(done.stdout.splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.traffic_cold", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="100,000 requests and profiles")
    parser.add_argument("--db", help="SQLite file to build once and reuse")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--checkpoints", default="off", help=argparse.SUPPRESS)
    parser.add_argument("--save", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.checkpoints, args.save)))
        return 0
    size = 100_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-cold-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "traffic.db"
        url, directory = f"sqlite:///{path}", Path(tmp) / "checkpoints"
        result: Report = {"rows": size, "load": os.getloadavg()}
        if not path.exists():
            started = time.process_time()
            build(url, size)
            result["build_cpu_s"] = time.process_time() - started
        runs = [("tables", _run(url, "off", save=False))]
        runs.append(("tables", _run(url, str(directory), save=True)))
        for _ in range(2):
            runs.append(("checkpoint", _run(url, str(directory))))
        runs.append(("tables", _run(url, "off")))
        more_traffic(url, size, 10_000)
        runs.append(("checkpoint + 10,000 newer rows", _run(url, str(directory))))
        runs.append(("tables + 10,000 newer rows", _run(url, "off")))
        answers = [r["answer"] for _, r in runs]
        result["same_answers_before"] = all(a == answers[0] for a in answers[:5])
        result["same_answers_after"] = answers[5] == answers[6]
        result["answer"] = answers[0]
        result["runs"] = [{"start": name, **{k: v for k, v in r.items() if k != "answer"}}
                          for name, r in runs]  # fmt: skip
        sizes = {p.name: p.stat().st_size for p in directory.glob("*.npz")}
        result["checkpoint_mb_per_million"] = {n: b / size for n, b in sizes.items()}
        result["sqlite_mb_per_million"] = path.stat().st_size / size
        result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
