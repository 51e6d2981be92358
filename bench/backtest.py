"""`python -m bench.backtest [--days 8] [--requests-per-day 12000]`: how far off forecasts are.

The demo world (`simulation.world`, seed 7) lives `--days` simulated days; its traffic goes
through the same intake as a feed's, so the traffic log and profiles are real. Then the last day D
is forecast for every ad group that delivered on D, from the log of the days before D, and
compared with what the engine delivered on D (`traffic.backtest`). Printed: per metric, how many
ad groups, how many actuals fell within the forecast range, the median absolute error against the
forecast mean, and every comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sparkads.clock import TestClock
from sparkads.db import migrate
from sparkads.simulation import population as synthetic
from sparkads.simulation.simulator import post_profiles, simulate
from sparkads.simulation.traffic import open_in_process
from sparkads.simulation.world import build_world, launch_campaigns, settle_code_states
from sparkads.traffic.backtest import METRICS, backtest

SEED = 7


def run(days: int, requests_per_day: int, viewers: int, workdir: Path) -> dict[str, Any]:
    url = f"sqlite:///{workdir / 'backtest.db'}"
    migrate.upgrade(url)
    clock = TestClock(datetime(2026, 11, 2, tzinfo=UTC))
    transport = open_in_process(url, clock, SEED)
    with transport.uow() as unit:
        world = build_world(unit.session, clock, SEED)
        launch_campaigns(unit.session, clock, world, SEED)
        settle_code_states(unit.session, clock, world)
        unit.commit()
    with transport.uow() as unit:
        profiles = post_profiles(unit.session)
    start = time.process_time()
    simulate(
        transport, synthetic.generate(viewers, SEED), profiles, days=days,
        requests_per_day=requests_per_day, seed=SEED,
    )  # fmt: skip
    simulated_s = time.process_time() - start
    day = (clock.now() - timedelta(days=1)).date()
    start = time.process_time()
    with transport.uow() as unit:
        rows = backtest(
            unit.session, transport.store.snapshot, day,
            history=transport.counters.stats_snapshot(), days=days - 1,
        )  # fmt: skip
    backtest_s = time.process_time() - start
    summary = {}
    for metric in METRICS:
        mine = [r for r in rows if r.metric == metric]
        errors = [abs(r.error) for r in mine if r.error is not None]
        summary[metric] = {
            "ad_groups": len(mine),
            "within_range": sum(r.within for r in mine),
            "median_abs_error": statistics.median(errors) if errors else None,
            "actual_total": sum(r.actual for r in mine),
            "forecast_mean_total": sum(r.mean for r in mine),
        }
    return {
        "day": day.isoformat(),
        "history_days": days - 1,
        "requests_per_day": requests_per_day,
        "simulate_cpu_s": simulated_s,
        "backtest_cpu_s": backtest_s,
        "summary": summary,
        "comparisons": [
            {
                "adgroup_id": r.adgroup_id,
                "metric": r.metric,
                "low": round(r.low, 1),
                "high": round(r.high, 1),
                "mean": round(r.mean, 1),
                "actual": r.actual,
            }
            for r in rows
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backtest", description=__doc__)
    parser.add_argument("--days", type=int, default=8)
    parser.add_argument("--requests-per-day", type=int, default=12_000)
    parser.add_argument("--viewers", type=int, default=50_000)
    args = parser.parse_args(argv)
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-backtest-") as tmp:
        result = run(args.days, args.requests_per_day, args.viewers, Path(tmp))
    result["load"] = [load, os.getloadavg()]
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
