"""Benchmark: `POST /api/v1/feed/decisions` over HTTP by server CPU per request, against a bare
FastAPI no-op (plain FastAPI + uvicorn, one async route answering the same JSON body), in the same
run, on the same uvicorn settings (uvloop, httptools).

The sparkads server is a real `sparkads serve` (background refresh on, so it polls the change
feed) on a world of N ad groups built by bulk inserts (`bench.serving.bulk_world`). Each server
is a separate process; its CPU (user + system, from /proc) is read before and after the same
number of requests sent from this process over keep-alive connections by a few threads. The
ratio is no-op CPU / sparkads CPU per request (the issue's target: ≥ 0.35 at 10k).

`--baseline-src DIR` also measures, in the same run, a `sparkads serve` imported from another
source tree (e.g. `git archive <commit> src | tar -x -C DIR`: the code before a change).
`--workers 1,2` then measures `serve --workers N --redis-url` (counters shared through a
throwaway Redis) for each N: decisions per second over the wall clock with 2 × N client threads,
and the CPU of every server process (the workers are children of the one started here).

`python -m bench.http_feed [--groups 10000] [--requests 2000] [--baseline-src DIR]
[--workers 1,2]`"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench.serving import bulk_world
from bench.world import load_catalogue, viewer_json, viewers
from sparkads.accounts import service as accounts
from sparkads.accounts.models import TokenScope
from sparkads.clock import SystemClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory

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


def _measure(
    command: list[str],
    port: int,
    headers: dict[str, str],
    bodies: list[dict[str, Any]],
    cwd: Path,
    threads: int = THREADS,
    env: dict[str, str] | None = None,
) -> dict[str, float]:
    log = (cwd / f"server-{port}.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 (this interpreter, our own commands)
        command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env
    )
    try:
        _wait(f"http://127.0.0.1:{port}/", process)
        _load(port, headers, bodies[:200], threads)  # warm up (every worker, by then)
        time.sleep(1.0)
        before = _cpu_seconds(process.pid)
        wall = _load(port, headers, bodies, threads)
        cpu = _cpu_seconds(process.pid) - before
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log.close()
    return {"cpu_ms_per_request": cpu / len(bodies) * 1e3, "requests_per_s": len(bodies) / wall}


def run(
    groups: int,
    requests: int,
    workdir: Path,
    baseline_src: Path | None = None,
    workers: tuple[int, ...] = (),
) -> dict[str, Any]:
    cat = load_catalogue()
    url = f"sqlite:///{workdir / 'http.db'}"
    print(f"[bench] http: bulk world of {groups:,} ad groups", file=sys.stderr)
    bulk_world(url, groups, cat)
    engine = make_engine(url)
    with UnitOfWorkFactory(engine)() as unit:
        token = accounts.issue_token(
            unit.session, SystemClock(), scope=TokenScope.FEED, subject_id="bench-feed"
        )
        unit.commit()
    engine.dispose()
    population = viewers(2_000, random.Random(3), cat)
    rng = random.Random(4)
    bodies = [{"viewer": viewer_json(rng.choice(population)), "slots": 2} for _ in range(requests)]
    headers = {"Authorization": f"Bearer {token}"}
    (workdir / "noop_app.py").write_text(NOOP)
    load_before = os.getloadavg()
    port = 18_000 + random.randrange(1_000)
    sparkads = _measure(
        [sys.executable, "-m", "sparkads", "serve", "--port", str(port), "--database-url", url],
        port, headers, bodies, workdir,
    )  # fmt: skip
    noop = _measure(
        [sys.executable, "-m", "uvicorn", "noop_app:app", "--port", str(port + 1),
         "--loop", "uvloop", "--http", "httptools", "--log-level", "warning"],
        port + 1, headers, bodies, workdir,
    )  # fmt: skip
    result: dict[str, Any] = {
        "groups": groups,
        "requests": requests,
        "sparkads": sparkads,
        "bare_fastapi_noop": noop,
        "ratio_noop_cpu_over_sparkads_cpu": noop["cpu_ms_per_request"]
        / sparkads["cpu_ms_per_request"],
    }
    if baseline_src is not None:
        env = {**os.environ, "PYTHONPATH": str(baseline_src.resolve())}
        before = _measure(
            [sys.executable, "-m", "sparkads", "serve", "--port", str(port + 2), "--database-url",
             url], port + 2, headers, bodies, workdir, env=env,
        )  # fmt: skip
        result["baseline_src"] = {
            "source": str(baseline_src),
            **before,
            "ratio_noop_cpu_over_it": noop["cpu_ms_per_request"] / before["cpu_ms_per_request"],
            "cpu_it_over_sparkads": before["cpu_ms_per_request"] / sparkads["cpu_ms_per_request"],
        }
    if workers:
        from bench.decisions_redis import _start_redis

        redis, redis_url = _start_redis(workdir)
        try:
            scaling = {}
            for n, count in enumerate(workers):
                scaling[count] = _measure(
                    [sys.executable, "-m", "sparkads", "serve", "--port", str(port + 3 + n),
                     "--database-url", url, "--workers", str(count), "--redis-url", redis_url],
                    port + 3 + n, headers, bodies, workdir, threads=2 * count,
                )  # fmt: skip
            result["workers"] = scaling
            if 1 in scaling and 2 in scaling:
                result["decisions_per_s_2_over_1"] = (
                    scaling[2]["requests_per_s"] / scaling[1]["requests_per_s"]
                )
        finally:
            redis.terminate()
            redis.wait(timeout=20)
    return result | {"load_before": load_before, "load_after": os.getloadavg()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.http_feed", description=__doc__)
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--workers", default="", help="e.g. 1,2: serve --workers N with Redis")
    args = parser.parse_args()
    workers = tuple(int(n) for n in args.workers.split(",") if n.strip())
    with tempfile.TemporaryDirectory(prefix="sparkads-http-") as tmp:
        found = run(args.groups, args.requests, Path(tmp), args.baseline_src, workers)
        print(json.dumps(found, indent=1))


if __name__ == "__main__":
    main()
