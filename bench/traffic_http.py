"""`python -m bench.traffic_http [--groups 10000] [--requests 6000] [--rounds 8] [--returning 0.3]`:
what the traffic log costs a real `sparkads serve`, as decision throughput (issue 13: "≤ 5 % of
decision throughput at the default sample rate, measured against the same run with logging off").

Three `sparkads serve` processes on copies of one database (a bulk world of N ad groups, the
default sample rate): **log on** (as shipped), **log off** (`SPARKADS_TRAFFIC_LOG=off`: no log, no
profiles) and **log off again** (the null row: the same server twice shows the method's own
error). They take turns on the same request stream, a chunk each per round, in rotating order;
each chunk is the next part of the stream, sent to every server (so each sees each viewer alike:
59 % of requests are a viewer's first at 30 % returning, as in `bench.traffic_cost`). A server's
CPU is read from /proc (user + system, every thread: the writer's too) before and after its
chunk. After the last round every server is left idle for `profile_flush_seconds` + 5 s and that
CPU is added to its last chunk, so the log-on server's pending profiles are written and counted.

The throughput ratio is log-off CPU over log-on CPU, summed over chunks, with a 95 % bootstrap
interval over rounds (`bench.traffic_cost.ratio_interval`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.http_feed import Server, _cpu_seconds, _load
from bench.serving import bulk_world, feed_token
from bench.traffic_cost import ratio_interval as interval
from bench.traffic_cost import request_stream, verdict
from bench.world import load_catalogue, viewer_json
from sparkads.traffic.intake import TrafficSettings

SERVERS = ("log on", "log off", "log off again")


def run(groups: int, requests: int, rounds: int, returning: float, work: Path) -> dict[str, Any]:
    load_before = os.getloadavg()
    url = f"sqlite:///{work / 'world.db'}"
    print(f"[bench] traffic_http: bulk world of {groups:,} ad groups", file=sys.stderr)
    bulk_world(url, groups, load_catalogue())
    headers = {"Authorization": f"Bearer {feed_token(url)}"}
    stream = [
        {"viewer": viewer_json(viewer), "slots": 1}
        for viewer in request_stream(requests + 300, returning)
    ]
    warm, stream = stream[:300], stream[300:]
    chunk = len(stream) // rounds
    port = 19_000 + random.randrange(500)
    cpu = np.zeros((len(SERVERS), rounds))
    with contextlib.ExitStack() as stack:
        servers = []
        for n, name in enumerate(SERVERS):
            database = work / f"server-{n}.db"
            shutil.copyfile(work / "world.db", database)
            env = {
                **os.environ,
                "SPARKADS_TRAFFIC_LOG": "on" if name == "log on" else "off",
                "SPARKADS_TRAFFIC_CHECKPOINT_DIR": "off",
            }
            command = [sys.executable, "-m", "sparkads", "serve", "--database-url",
                       f"sqlite:///{database}", "--no-access-log", "--port", str(port + n)]  # fmt: skip
            server = stack.enter_context(Server(command, port + n, headers, work, env=env))
            servers.append(server)
        for n, server in enumerate(servers):  # each on viewers of its own, outside the stream
            _load(server.port, headers, [_renamed(body, f"warm{n}") for body in warm])
        time.sleep(2.0)
        for r in range(rounds):
            part = stream[r * chunk : (r + 1) * chunk]
            for n in np.roll(np.arange(len(SERVERS)), r):
                pid = servers[n].process.pid
                before = _cpu_seconds(pid)
                _load(servers[n].port, headers, part)
                cpu[n, r] = _cpu_seconds(pid) - before
            print(f"[bench] traffic_http round {r + 1}/{rounds}: {cpu[:, r]}", file=sys.stderr)
        idle = [_cpu_seconds(s.process.pid) for s in servers]
        time.sleep(TrafficSettings.profile_flush_seconds + 5)  # pending profiles written
        for n, server in enumerate(servers):
            cpu[n, -1] += _cpu_seconds(server.process.pid) - idle[n]
    generator = np.random.default_rng(7)
    on, off, again = cpu
    ratio = interval(off, on, generator, cycle=1)
    per = cpu.sum(axis=1) / (chunk * rounds) * 1e3
    return {
        "groups": groups,
        "requests_per_server": chunk * rounds,
        "rounds": rounds,
        "returning_share": returning,
        "sample_rate": TrafficSettings.sample_rate,
        "cpu_ms_per_request": dict(zip(SERVERS, [round(float(x), 4) for x in per], strict=True)),
        "throughput_ratio": ratio,
        "null_ratio": interval(again, off, generator, cycle=1),
        "target_095": verdict(ratio["ci95"]),
        "load": [load_before, os.getloadavg()],
    }


def _renamed(body: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {
        **body,
        "viewer": {**body["viewer"], "viewer_id": f"{prefix}-{body['viewer']['viewer_id']}"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.traffic_http", description=__doc__)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=6_000, help="sent to each server")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--returning", type=float, default=0.3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-traffic-http-") as tmp:
        result = run(args.groups, args.requests, args.rounds, args.returning, Path(tmp))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
