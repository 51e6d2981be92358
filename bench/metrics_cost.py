"""Benchmark: what the metrics cost on the decision path. The same `sparkads serve` (world of N
ad groups, bulk-built) is measured by server CPU per `POST /api/v1/feed/decisions` over HTTP
(bench/http_feed.py's method) with metrics on (`SPARKADS_METRICS=1`, the default) and off
(`SPARKADS_METRICS=0`), alternating, `--rounds` times each, in one run; a bare FastAPI no-op is
measured once as the reference.

`python -m bench.metrics_cost [--groups 10000] [--requests 3000] [--rounds 2]`"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.http_feed import NOOP, _measure
from bench.serving import bulk_world, feed_token
from bench.world import load_catalogue, viewer_json, viewers


def run(groups: int, requests: int, rounds: int, workdir: Path) -> dict[str, Any]:
    cat = load_catalogue()
    url = f"sqlite:///{workdir / 'metrics.db'}"
    print(f"[bench] metrics cost: bulk world of {groups:,} ad groups", file=sys.stderr)
    bulk_world(url, groups, cat)
    token = feed_token(url)
    population = viewers(2_000, random.Random(3), cat)
    rng = random.Random(4)
    bodies = [{"viewer": viewer_json(rng.choice(population)), "slots": 2} for _ in range(requests)]
    headers = {"Authorization": f"Bearer {token}"}
    (workdir / "noop_app.py").write_text(NOOP)
    load_before = os.getloadavg()
    port = 19_000 + random.randrange(900)
    measured: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(rounds):
        for mode in ("on", "off"):
            os.environ["SPARKADS_METRICS"] = "1" if mode == "on" else "0"
            port += 1
            result = _measure(
                [sys.executable, "-m", "sparkads", "serve", "--port", str(port),
                 "--database-url", url],
                port, headers, bodies, workdir,
            )  # fmt: skip
            measured[mode].append(result["cpu_ms_per_request"])
            print(f"[bench] metrics {mode}: {result}", file=sys.stderr)
    os.environ.pop("SPARKADS_METRICS", None)
    port += 1
    noop = _measure(
        [sys.executable, "-m", "uvicorn", "noop_app:app", "--port", str(port),
         "--loop", "uvloop", "--http", "httptools", "--log-level", "warning"],
        port, headers, bodies, workdir,
    )  # fmt: skip
    on, off = statistics.median(measured["on"]), statistics.median(measured["off"])
    return {
        "groups": groups,
        "requests": requests,
        "cpu_ms_per_request_metrics_on": measured["on"],
        "cpu_ms_per_request_metrics_off": measured["off"],
        "median_on": on,
        "median_off": off,
        "metrics_cost_ms_per_request": on - off,
        "ratio_on_over_off": on / off,
        "bare_fastapi_noop_cpu_ms_per_request": noop["cpu_ms_per_request"],
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.metrics_cost", description=__doc__)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=3_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sparkads-metrics-") as tmp:
        print(json.dumps(run(args.groups, args.requests, args.rounds, Path(tmp)), indent=1))


if __name__ == "__main__":
    main()
