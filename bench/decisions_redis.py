"""`python -m bench.decisions_redis [--size N] [--count N]`: what sharing the counters through
Redis costs the decision path, against in-process counters in the same run.

Both paths run the real `decide()` on the same snapshot (built as `bench.decisions` builds it),
the same request stream, clock and seeded generator, taking turns on the machine; they must serve
the same decisions. The Redis path talks to a throwaway `redis-server` on 127.0.0.1 started here
(Debian's; nothing saved), so a round trip is a loopback one: across a network, add its latency
for each round trip: about 3.3 per decision at 10k ad groups (spend reads missing the short cache
~1.5, frequency-cap reads ~0.8, the exposure written for the decision 1).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bench.common import latency_summary
from bench.decisions import SEED, PathRun, build_world, run_paths
from bench.world import load_catalogue, traffic, viewers
from sparkads.delivery.compile import geography
from sparkads.delivery.engine import prepare
from sparkads.delivery.redis_counters import RedisCounters


def _start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is missing: apt-get install -y redis-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 (Debian's redis-server, our own arguments)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        client = Redis.from_url(url)
        try:
            if client.ping():
                return process, url
        except RedisConnectionError:  # still starting
            time.sleep(0.05)
        finally:
            client.close()
    process.terminate()
    raise SystemExit("redis-server did not start")


class _CountingRedis(Redis):
    """A client that counts its round trips: each command sent alone, each pipeline executed."""

    trips = 0

    def execute_command(self, *args: Any, **options: Any) -> Any:
        _CountingRedis.trips += 1
        return super().execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        pipe = super().pipeline(transaction, shard_hint)
        execute = pipe.execute

        def counted(raise_on_error: bool = True) -> Any:
            _CountingRedis.trips += 1
            return execute(raise_on_error)

        pipe.execute = counted  # type: ignore[method-assign]
        return pipe


def measure(size: int, count: int, seconds: float) -> dict[str, Any]:
    cat, geo = load_catalogue(), geography()
    snapshot, _, _, _ = build_world(size, cat, geo)
    population = viewers(20_000, random.Random(SEED + 1), cat)
    stream = traffic(population, count, random.Random(SEED + 2))
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-redis-") as tmp:
        process, url = _start_redis(Path(tmp))
        try:
            memory = PathRun("memory counters", snapshot, stream, count, seconds)
            shared = PathRun("redis counters", snapshot, stream, count, seconds)
            client = _CountingRedis.from_url(url)
            shared.counters = RedisCounters(client)
            prepare(snapshot, shared.counters, shared.config.reserve_ecpm)
            commands_before = int(client.info("stats")["total_commands_processed"])
            trips_before = _CountingRedis.trips
            run_paths([memory, shared])
            trips = _CountingRedis.trips - trips_before
            commands = int(client.info("stats")["total_commands_processed"]) - commands_before
            client.close()
        finally:
            process.terminate()
            process.wait(timeout=10)
    served = [s for s in memory.served if s]
    return {
        "ad_groups": size,
        "served_share": len(served) / len(memory.served),
        "same_decisions": memory.served[: len(shared.served)]
        == shared.served[: len(memory.served)],
        "memory": latency_summary(memory.samples),
        "redis": latency_summary(shared.samples),
        # as Redis counts them: the commands a Lua script runs count too
        "redis_commands_per_decision": commands / max(1, len(shared.samples)),
        "redis_round_trips_per_decision": trips / max(1, len(shared.samples)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.decisions_redis", description=__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="live ad groups")
    parser.add_argument("--count", type=int, default=2_000, help="decisions per path")
    parser.add_argument("--seconds", type=float, default=6.0, help="time cap per path")
    args = parser.parse_args(argv)
    result = measure(args.size, args.count, args.seconds)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
