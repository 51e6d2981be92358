"""Benchmark 2: HTTP decisions per second against the same app's no-op endpoint, same run.

The real app (`create_app`, migrated SQLite file, sandbox off, background refresh off, seeded) runs
under uvicorn in a subprocess (`bench.server`) on a free loopback port, over a world of ad groups
built through the services (`bench.db_world`). Several client threads, each with its own keep-alive
httpx client, send the same pre-encoded viewer bodies to the decision endpoint and to the no-op
endpoint, in alternating phases of equal length (so load from elsewhere on the machine hits both
alike). Besides requests per second, the server's own CPU time per request is read from /proc: it
does not depend on whether the Python client can keep up.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import Row, Scale, Section, latency_summary, now_ns, progress
from bench.db_world import DbWorld
from bench.server import AUTH_NOOP, NOOP
from bench.world import Catalogue, traffic, viewer_json, viewers

DECISIONS = "/api/v1/feed/decisions"
ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Server:
    def __init__(self, url: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
        self.process = subprocess.Popen(  # noqa: S603 (this interpreter, our own module)
            [sys.executable, "-m", "bench.server", url, str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.post(self.base + NOOP, timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _phase(
    base: str, path: str, bodies: list[bytes], headers: dict[str, str], threads: int, seconds: float
) -> dict[str, Any]:
    """`threads` clients post for `seconds`; returns counts, client-side latencies and errors."""
    barrier = threading.Barrier(threads + 1)
    stop_at = [0.0]
    results: list[tuple[list[int], int, int]] = []
    lock = threading.Lock()

    def worker(offset: int) -> None:
        samples: list[int] = []
        errors = served = 0
        with httpx.Client(base_url=base, headers=headers, timeout=30.0) as client:
            client.post(path, content=bodies[offset])  # open the connection before timing
            barrier.wait()
            n = offset
            while time.monotonic() < stop_at[0]:
                body = bodies[n % len(bodies)]
                n += threads
                start = now_ns()
                response = client.post(path, content=body)
                samples.append(now_ns() - start)
                if response.status_code != 200:
                    errors += 1
                elif path == DECISIONS and response.json()["decisions"]:
                    served += 1
        with lock:
            results.append((samples, errors, served))

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    stop_at[0] = time.monotonic() + 3600
    barrier.wait()
    begin_wall, begin_cpu = time.monotonic(), time.process_time()
    stop_at[0] = begin_wall + seconds
    for thread in pool:
        thread.join()
    wall, client_cpu = time.monotonic() - begin_wall, time.process_time() - begin_cpu
    samples = [s for r in results for s in r[0]]
    return {
        "requests": len(samples),
        "errors": sum(r[1] for r in results),
        "served": sum(r[2] for r in results),
        "wall_s": wall,
        "client_cpu_s": client_cpu,
        "latency": latency_summary(samples),
    }


def _measure(
    server: Server,
    path: str,
    bodies: list[bytes],
    headers: dict[str, str],
    threads: int,
    seconds: float,
) -> dict[str, Any]:
    cpu_before = server.cpu()
    result = _phase(server.base, path, bodies, headers, threads, seconds)
    result["server_cpu_s"] = server.cpu() - cpu_before
    return result


def _combine(phases: list[dict[str, Any]]) -> dict[str, Any]:
    requests = sum(p["requests"] for p in phases)
    wall = sum(p["wall_s"] for p in phases)
    server_cpu = sum(p["server_cpu_s"] for p in phases)
    return {
        "requests": requests,
        "errors": sum(p["errors"] for p in phases),
        "served": sum(p["served"] for p in phases),
        "per_second": requests / wall,
        "server_cpu_us_per_request": server_cpu / requests * 1e6 if requests else float("nan"),
        "server_cpu_share": server_cpu / wall,
        "client_cpu_share": sum(p["client_cpu_s"] for p in phases) / wall,
        "p50_ms": sum(p["latency"]["p50_us"] for p in phases) / len(phases) / 1_000,
        "p99_ms": max(p["latency"]["p99_us"] for p in phases) / 1_000,
        "phases": phases,
    }


def run(scale: Scale, world: DbWorld, cat: Catalogue, workdir: Path) -> Section:
    section = Section("http")
    path = workdir / "http.db"
    shutil.copy(world.url.removeprefix("sqlite:///"), path)
    server = Server(f"sqlite:///{path}")
    try:
        server.wait_ready()
        headers = {
            "Authorization": f"Bearer {world.feed_token}",
            "Content-Type": "application/json",
        }
        population = viewers(5_000, random.Random(5), cat)
        stream = traffic(population, 4_000, random.Random(6))
        bodies = [json.dumps({"viewer": viewer_json(v), "slots": 1}).encode() for v in stream]
        with httpx.Client(base_url=server.base, headers=headers, timeout=120.0) as client:
            start = now_ns()
            first = client.post(DECISIONS, content=bodies[0])
            first_ms = (now_ns() - start) / 1e6
            assert first.status_code == 200, first.text
        progress(
            f"http: first decision (snapshot compile of {world.groups} ad groups) {first_ms:.0f} ms"
        )
        threads, seconds = scale.http_threads, scale.http_seconds
        for route in (NOOP, DECISIONS):  # warm-up
            _measure(server, route, bodies, headers, threads, min(1.0, seconds / 2))
        phases: dict[str, list[dict[str, Any]]] = {"noop": [], "auth_noop": [], "decisions": []}
        for round_ in range(2):
            for name, route in (
                ("noop", NOOP),
                ("auth_noop", AUTH_NOOP),
                ("decisions", DECISIONS),
            ):
                progress(f"http: {name} round {round_ + 1}")
                phases[name].append(_measure(server, route, bodies, headers, threads, seconds))
    finally:
        server.stop()
    combined = {name: _combine(p) for name, p in phases.items()}
    section.data = {
        "ad_groups": world.groups,
        "threads": threads,
        "first_decision_ms": first_ms,
        **combined,
    }
    noop, auth, dec = combined["noop"], combined["auth_noop"], combined["decisions"]
    ratio = dec["per_second"] / noop["per_second"]
    cpu_ratio = noop["server_cpu_us_per_request"] / dec["server_cpu_us_per_request"]
    case = f"{world.groups:,} ad groups, {threads} client threads"
    section.rows += [
        Row(
            "HTTP",
            case,
            "decisions/s",
            dec["per_second"],
            "/s",
            baseline=noop["per_second"],
            baseline_name="no-op endpoint /s",
            ratio=ratio,
            ratio_name="decisions/no-op",
            target="≥ 60 % of no-op",
            holds=ratio >= 0.6,
        ),
        Row(
            "HTTP",
            case,
            "server CPU per request",
            dec["server_cpu_us_per_request"],
            "µs",
            baseline=noop["server_cpu_us_per_request"],
            baseline_name="no-op",
            ratio=cpu_ratio,
            ratio_name="no-op/decision cost",
        ),
        Row(
            "HTTP",
            case,
            "auth-only no-op/s",
            auth["per_second"],
            "/s",
            baseline=noop["per_second"],
            baseline_name="no-op endpoint /s",
            ratio=auth["per_second"] / noop["per_second"],
            ratio_name="auth-noop/no-op",
        ),
        Row("HTTP", case, "decision p50 (client side)", dec["p50_ms"] * 1_000, "µs"),
        Row("HTTP", case, "decision p99 (client side)", dec["p99_ms"] * 1_000, "µs"),
        Row("HTTP", case, "first decision (snapshot compile)", first_ms * 1_000, "µs"),
    ]
    errors = sum(c["errors"] for c in combined.values())
    if errors:
        section.notes.append(f"HTTP: {errors} non-200 answers during the measured phases")
    if dec["client_cpu_share"] > 0.9 or noop["client_cpu_share"] > 0.9:
        section.notes.append(
            "HTTP: the client used ~one core (no-op "
            f"{noop['client_cpu_share']:.0%}, decisions {dec['client_cpu_share']:.0%}): the "
            "no-op rate may be client-bound; the server-CPU-per-request ratio is the sturdier one"
        )
    return section
