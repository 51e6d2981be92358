"""Benchmark: `POST /api/v1/feed/decisions` over HTTP by server CPU per request, against a bare
FastAPI no-op (plain FastAPI + uvicorn, one async route answering the same JSON body), in the same
run, on the same uvicorn settings (uvloop, httptools).

The sparkads server is a real `sparkads serve` (background refresh on, so it polls the change
feed) on a world of N ad groups built by bulk inserts (`bench.serving.bulk_world`). Each server
is a separate process, all started together; its CPU (user + system, from /proc) is read before
and after the same requests, sent from this process over keep-alive connections by a few
threads. The servers take turns for `--rounds` rounds (a load that drifts reaches them all) and
the medians are compared: the ratio is no-op CPU / sparkads CPU per request (the issue's target:
≥ 0.35 at 10k).

Both servers run with the same uvicorn options: uvloop, httptools, log level info, and uvicorn's
access line per request off (`serve --no-access-log`, uvicorn `--no-access-log`), or on for both
with `--access-log`.

`--baseline-src DIR` also measures, in the same run, a `sparkads serve` imported from another
source tree (e.g. `git archive <commit> src | tar -x -C DIR`: the code before a change).
`--workers 1,2` then measures `serve --workers N --redis-url` (counters shared through a
throwaway Redis) for each N: decisions per second over the wall clock with 2 × N client threads,
and the CPU of every server process (the workers are children of the one started here).

`python -m bench.http_feed [--groups 10000] [--requests 2000] [--rounds 3] [--baseline-src DIR]
[--workers 1,2] [--access-log]` (a `--baseline-src` from before `serve --no-access-log` existed
needs `--access-log`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.serving import bulk_world, feed_token
from bench.world import load_catalogue, viewer_json, viewers

NOOP = textwrap.dedent(
    """
    from fastapi import FastAPI, Request
    app = FastAPI()

    @app.post("/api/v1/feed/decisions")
    async def decisions(request: Request) -> dict:
        await request.json()
        return {"decisions": [], "snapshot_version": 0}
    """
)
THREADS = 4


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().rsplit(")", 1)[1].split()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and of its live descendants (uvicorn's workers)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(_stat(int(entry))[1])
            except (OSError, IndexError):  # gone meanwhile
                continue
    tree, total = [pid], 0.0
    while tree:
        current = tree.pop()
        try:
            fields = _stat(current)
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        tree += [child for child, parent in parents.items() if parent == current]
    return total


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "server exited"
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _load(
    port: int, headers: dict[str, str], bodies: list[dict[str, Any]], threads: int = THREADS
) -> float:
    """Send every body once (`threads` keep-alive clients); the wall-clock seconds it took."""
    chunks = [bodies[i::threads] for i in range(threads)]

    def send(chunk: list[dict[str, Any]]) -> int:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=120
        ) as client:
            for body in chunk:
                answer = client.post("/api/v1/feed/decisions", json=body)
                assert answer.status_code == 200, answer.text
        return len(chunk)

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(send, chunks))
    return time.perf_counter() - started


class Server:
    """One server process of the bench (`command`, listening on `port`): started, waited for and
    warmed up on entry, stopped on exit; `measure` sends the bodies and reads its CPU."""

    def __init__(
        self,
        command: list[str],
        port: int,
        headers: dict[str, str],
        cwd: Path,
        threads: int = THREADS,
        env: dict[str, str] | None = None,
    ) -> None:
        self.command, self.port, self.headers, self.cwd = command, port, headers, cwd
        self.threads, self.env = threads, env

    def __enter__(self) -> Server:
        self.log = (self.cwd / f"server-{self.port}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our own commands)
            self.command, stdout=self.log, stderr=subprocess.STDOUT, cwd=self.cwd, env=self.env
        )
        try:
            _wait(f"http://127.0.0.1:{self.port}/", self.process)
        except BaseException:
            self.__exit__()
            raise
        return self

    def warm(self, bodies: list[dict[str, Any]]) -> None:
        _load(self.port, self.headers, bodies[:200], self.threads)  # every worker, by then
        time.sleep(1.0)

    def measure(self, bodies: list[dict[str, Any]], also: int | None = None) -> dict[str, float]:
        """Server CPU per request, requests per second; the client's CPU (this process's
        threads) per request; with `also`, the CPU per request of that process (Redis)."""
        before, client = _cpu_seconds(self.process.pid), time.process_time()
        other = _cpu_seconds(also) if also is not None else 0.0
        wall = _load(self.port, self.headers, bodies, self.threads)
        cpu = _cpu_seconds(self.process.pid) - before
        found = {
            "cpu_ms_per_request": cpu / len(bodies) * 1e3,
            "requests_per_s": len(bodies) / wall,
            "client_cpu_ms_per_request": (time.process_time() - client) / len(bodies) * 1e3,
        }
        if also is not None:
            found["redis_cpu_ms_per_request"] = (_cpu_seconds(also) - other) / len(bodies) * 1e3
        return found

    def __exit__(self, *_: object) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=20)
        self.log.close()


def _measure(
    command: list[str],
    port: int,
    headers: dict[str, str],
    bodies: list[dict[str, Any]],
    cwd: Path,
    threads: int = THREADS,
    env: dict[str, str] | None = None,
) -> dict[str, float]:
    """One server started, warmed up, measured once and stopped."""
    with Server(command, port, headers, cwd, threads, env) as server:
        server.warm(bodies)
        return server.measure(bodies)


def _rounds(
    servers: dict[str, Server], bodies: list[dict[str, Any]], rounds: int, also: int | None = None
) -> dict[str, list[dict[str, float]]]:
    """Every server measured `rounds` times, taking turns (a drifting load reaches them all)."""
    measured: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
    for server in servers.values():
        server.warm(bodies)
    for _ in range(rounds):
        for name, server in servers.items():
            measured[name].append(server.measure(bodies, also))
            print(f"[bench] http {name}: {measured[name][-1]}", file=sys.stderr)
    return measured


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def run(
    groups: int,
    requests: int,
    workdir: Path,
    baseline_src: Path | None = None,
    workers: tuple[int, ...] = (),
    access_log: bool = False,
    rounds: int = 3,
) -> dict[str, Any]:
    cat = load_catalogue()
    url = f"sqlite:///{workdir / 'http.db'}"
    print(f"[bench] http: bulk world of {groups:,} ad groups", file=sys.stderr)
    bulk_world(url, groups, cat)
    token = feed_token(url)
    population = viewers(2_000, random.Random(3), cat)
    rng = random.Random(4)
    bodies = [{"viewer": viewer_json(rng.choice(population)), "slots": 2} for _ in range(requests)]
    headers = {"Authorization": f"Bearer {token}"}
    (workdir / "noop_app.py").write_text(NOOP)
    load_before = os.getloadavg()
    port = 18_000 + random.randrange(1_000)
    logs = [] if access_log else ["--no-access-log"]
    serve = [sys.executable, "-m", "sparkads", "serve", "--database-url", url, *logs]
    noop = [sys.executable, "-m", "uvicorn", "noop_app:app", "--loop", "uvloop", "--http",
            "httptools", "--log-level", "info", "--access-log" if access_log else "--no-access-log"]  # fmt: skip
    with contextlib.ExitStack() as stack:
        servers = {
            "sparkads": stack.enter_context(
                Server([*serve, "--port", str(port)], port, headers, workdir)
            ),
            "bare_fastapi_noop": stack.enter_context(
                Server([*noop, "--port", str(port + 1)], port + 1, headers, workdir)
            ),
        }
        if baseline_src is not None:
            env = {**os.environ, "PYTHONPATH": str(baseline_src.resolve())}
            servers["baseline_src"] = stack.enter_context(
                Server([*serve, "--port", str(port + 2)], port + 2, headers, workdir, env=env)
            )
        measured = _rounds(servers, bodies, rounds)
    cpu = {name: _median(runs, "cpu_ms_per_request") for name, runs in measured.items()}
    result: dict[str, Any] = {
        "groups": groups,
        "requests": requests,
        "rounds": rounds,
        "access_log": access_log,
        "measured": measured,
        "median_cpu_ms_per_request": cpu,
        "ratio_noop_cpu_over_sparkads_cpu": cpu["bare_fastapi_noop"] / cpu["sparkads"],
        "ratio_by_round": [
            noop_run["cpu_ms_per_request"] / sparkads_run["cpu_ms_per_request"]
            for noop_run, sparkads_run in zip(
                measured["bare_fastapi_noop"], measured["sparkads"], strict=True
            )
        ],
    }
    if baseline_src is not None:
        result["baseline_src"] = {
            "source": str(baseline_src),
            "ratio_noop_cpu_over_it": cpu["bare_fastapi_noop"] / cpu["baseline_src"],
            "cpu_it_over_sparkads": cpu["baseline_src"] / cpu["sparkads"],
        }
    if workers:
        result |= _scaling(workers, serve, port + 3, headers, bodies, workdir, rounds)
    return result | {"load_before": load_before, "load_after": os.getloadavg()}


def _scaling(
    workers: tuple[int, ...],
    serve: list[str],
    port: int,
    headers: dict[str, str],
    bodies: list[dict[str, Any]],
    workdir: Path,
    rounds: int,
) -> dict[str, Any]:
    """`serve --workers N` for each N, counters shared through a throwaway Redis, 2 × N client
    threads, taking turns like the servers above."""
    from bench.decisions_redis import _start_redis

    redis, redis_url = _start_redis(workdir)
    try:
        with contextlib.ExitStack() as stack:
            servers = {
                count: stack.enter_context(
                    Server(
                        [
                            *serve,
                            "--port",
                            str(port + n),
                            "--workers",
                            str(count),
                            "--redis-url",
                            redis_url,
                        ],
                        port + n,
                        headers,
                        workdir,
                        threads=2 * count,
                    )
                )
                for n, count in enumerate(workers)
            }
            measured = _rounds(
                {str(count): server for count, server in servers.items()}, bodies, rounds, redis.pid
            )
    finally:
        redis.terminate()
        redis.wait(timeout=20)
    scaling: dict[str, Any] = {
        "workers": measured,
        "median_by_workers": {
            count: {
                key: _median(runs, key)
                for key in (
                    "requests_per_s",
                    "cpu_ms_per_request",
                    "client_cpu_ms_per_request",
                    "redis_cpu_ms_per_request",
                )
            }
            for count, runs in measured.items()
        },
    }
    if "1" in measured and "2" in measured:
        scaling["decisions_per_s_2_over_1"] = _median(measured["2"], "requests_per_s") / _median(
            measured["1"], "requests_per_s"
        )
    return scaling


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http_feed", description=__doc__)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--workers", default="", help="e.g. 1,2: serve --workers N with Redis")
    parser.add_argument("--access-log", action="store_true", help="both servers log each request")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each, in turns")
    args = parser.parse_args()
    workers = tuple(int(n) for n in args.workers.split(",") if n.strip())
    with tempfile.TemporaryDirectory(prefix="sparkads-http-") as tmp:
        found = run(
            args.groups,
            args.requests,
            Path(tmp),
            args.baseline_src,
            workers,
            args.access_log,
            args.rounds,
        )
        print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
