"""Benchmark: `POST /api/v1/events` over HTTP, batches of 1,000, with 1 and 2 serve processes.

The real app (`bench.server`, migrated SQLite file copied from the benchmark world) runs under
uvicorn; with 2 workers, two server processes accept on one listening socket the benchmark opened
(as `uvicorn --workers` does). Client threads post pre-encoded batches of 1,000 events (tokens from
real decisions made for the world's feed, a plausible funnel per decision); every batch is new, so
nothing is a duplicate. Measured: events/s on the wall clock, and the servers' own CPU per 1,000
events read from /proc (independent of whether the Python clients keep up on a shared machine).

Baseline, same run, same rows: a plain executemany INSERT of the rows into `events`, committed per
1,000, in this process on its own copy of the database (CPU per 1,000 and rows/s): the floor of
storing the rows. A durability row runs the 1-worker case again with `synchronous=NORMAL` to show
what FULL (the default, power-safe acknowledgements) costs, in the same run.

    PYTHONPATH=. .venv/bin/python -m bench.events_http [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import create_engine, event, text

from bench.common import Row, Scale, Section, progress
from bench.db_world import DbWorld
from bench.events_ingest import FUNNEL, _row
from bench.http_load import cpu_seconds
from bench.server import AUTH_NOOP, NOOP
from bench.world import Catalogue, traffic, viewers
from sparkads.clock import SystemClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery import tokens
from sparkads.delivery.compile import compile_snapshot, geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, decide
from sparkads.delivery.store import viewer_secret
from sparkads.events.service import EVENTS

ROOT = Path(__file__).resolve().parent.parent
EVENTS_PATH = "/api/v1/events"
BATCH = 1_000
FEED = "bench-feed"
KEY_ID, SECRET = "kbench", bytes(range(32))  # the servers get this key set through SPARKADS_KEYS
KEYS_JSON = json.dumps(
    {
        purpose: {"current": KEY_ID, "keys": {KEY_ID: SECRET.hex()}}
        for purpose in ("decision_tokens", "sealing")
    }
)


def _events(world: DbWorld, cat: Catalogue, total: int) -> tuple[list[dict[str, str]], bytes]:
    """`total` events as the feed sends them, on tokens made for the world's feed."""
    clock, secret = SystemClock(), SECRET
    factory = UnitOfWorkFactory(make_engine(world.url))
    with factory() as uow:
        # made once here: two workers starting at once on a fresh database race to create it
        viewer_secret(uow.session, clock)
        compiled = compile_snapshot(uow.session, clock.now(), "http://bench", 1, geography())
        uow.commit()
    factory.engine.dispose()
    rng, counters, config = (
        random.Random(41),
        MemoryCounters(),
        EngineConfig(secret=secret, key_id=KEY_ID),
    )
    population = viewers(20_000, random.Random(42), cat)
    stream = traffic(population, total, random.Random(43), returning=0.1)
    out: list[dict[str, str]] = []
    now = datetime.now(UTC).timestamp()
    for n, viewer in enumerate(stream):
        for d in decide(viewer, 1, compiled.snapshot, counters, now + n * 0.001, rng, config, FEED):
            out.append({"token": d.token, "type": "impression"})
            out += [{"token": d.token, "type": k} for k, p in FUNNEL if rng.random() < p]
        if len(out) >= total:
            break
    return out[:total], secret


class Servers:
    """`workers` server processes accepting on one socket."""

    def __init__(
        self, url: str, workers: int, synchronous: str, src: str | None = None, busy: bool = False
    ) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(2048)
        self.sock.set_inheritable(True)
        port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            # `src`: another checkout's src/ (the code before a change), imported first
            "PYTHONPATH": os.pathsep.join([*([src] if src else []), str(ROOT), *sys.path]),
            "SPARKADS_BENCH_SYNCHRONOUS": synchronous,
            "SPARKADS_KEYS": KEYS_JSON,
            "SPARKADS_BENCH_REFRESH": "1",
            # SQLite writers wait in the busy handler (sleeps), not on the writer lock
            "SPARKADS_BENCH_BUSY_HANDLER": "1" if busy else "",
        }
        fd = self.sock.fileno()
        self.processes = [
            subprocess.Popen(  # noqa: S603 (this interpreter, our own module)
                [sys.executable, "-m", "bench.server", url, str(port), f"--fd={fd}"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(fd,),
            )
            for _ in range(workers)
        ]

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        ready: set[int] = set()
        while time.monotonic() < deadline:
            for p in self.processes:
                if p.poll() is not None:
                    raise RuntimeError(f"server exited: {p.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.post(self.base + NOOP, timeout=1.0).status_code == 200:
                    ready.add(1)
                    time.sleep(1.0 if len(self.processes) > 1 else 0)  # let the others start
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def cpu(self) -> float:
        return sum(cpu_seconds(p.pid) for p in self.processes)

    def stop(self) -> None:
        for p in self.processes:
            p.terminate()
        for p in self.processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.sock.close()


def _post_all(
    base: str, bodies: list[bytes], headers: dict[str, str], threads: int, path: str = EVENTS_PATH
) -> dict[str, Any]:
    """Every body once, by `threads` keep-alive clients; counts accepted events from the answers."""
    lock, position = threading.Lock(), [0]
    totals = {"accepted": 0, "duplicates": 0, "rejected": 0, "errors": 0}

    def worker() -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=120.0) as client:
            while True:
                with lock:
                    n = position[0]
                    position[0] += 1
                if n >= len(bodies):
                    return
                response = client.post(path, content=bodies[n])
                with lock:
                    if response.status_code != 200:
                        totals["errors"] += 1
                        continue
                    if path != EVENTS_PATH:
                        continue
                    answer = response.json()
                    for key in ("accepted", "duplicates", "rejected"):
                        totals[key] += answer[key]

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    start = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {**totals, "wall_s": time.monotonic() - start}


def _fresh(world: DbWorld, workdir: Path, name: str) -> str:
    """A copy of the world's database for one case."""
    return _copy(world.url, workdir, name)


def _copy(url: str, workdir: Path, name: str) -> str:
    """A copy of a database nobody is connected to: a file copy (SQLite, with its WAL) or a
    database cloned from it as a template (PostgreSQL)."""
    if url.startswith("sqlite"):
        path = workdir / f"{name}.db"
        source = url.removeprefix("sqlite:///")
        shutil.copy(source, path)
        if os.path.exists(source + "-wal"):
            shutil.copy(source + "-wal", str(path) + "-wal")
        return f"sqlite:///{path}"
    parts = urlsplit(url)
    clone = f"{parts.path.lstrip('/')}_{name.replace('-', '_')}"
    admin = create_engine(
        urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{clone}"'))
        connection.execute(text(f'CREATE DATABASE "{clone}" TEMPLATE "{parts.path.lstrip("/")}"'))
    admin.dispose()
    return urlunsplit(parts._replace(path=f"/{clone}"))


def _rollups(url: str, src: str | None = None) -> dict[str, Any]:
    """What folding the stored events into the report rollups costs: every event folded again
    from scratch in one fold (`bench.fold_cost`, a process of its own; `src`: another checkout's
    code). The servers' own folders ran during the HTTP run: their CPU is in the servers'."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*([src] if src else []), str(ROOT)])}
    done = subprocess.run(  # noqa: S603 (this interpreter, our own module)
        [sys.executable, "-m", "bench.fold_cost", url],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode:
        raise RuntimeError(f"bench.fold_cost failed: {done.stderr[-3000:]}")
    found: dict[str, Any] = json.loads(done.stdout)
    for part in (found, found["chunked"]):
        events = max(part["events"], 1)
        part["wall_ms_per_1000"] = part["wall_s"] / events * 1e6
        part["cpu_ms_per_1000"] = part["cpu_s"] / events * 1e6
    return found


def _over_http(
    world: DbWorld,
    workdir: Path,
    name: str,
    bodies: list[bytes],
    workers: int,
    sync: str,
    src: str | None = None,
    busy: bool = False,
    fold_src: str | None = None,
) -> dict[str, Any]:
    url = _fresh(world, workdir, name)
    servers = Servers(url, workers, sync, src, busy)
    headers = {"Authorization": f"Bearer {world.feed_token}", "Content-Type": "application/json"}
    try:
        servers.wait_ready()
        warm = _post_all(servers.base, bodies[:2], headers, 2)  # first snapshot, connections
        assert not warm["errors"], "warm-up batch failed"
        before = servers.cpu()
        result = _post_all(servers.base, bodies[2:], headers, 2 * workers)
        result["server_cpu_s"] = servers.cpu() - before
        # the HTTP floor: the same bodies to the feed-token check alone (body received, not read)
        before = servers.cpu()
        floor = _post_all(servers.base, bodies[2:], headers, 2 * workers, AUTH_NOOP)
        result["auth_noop_cpu_ms_per_request"] = (servers.cpu() - before) / (len(bodies) - 2) * 1e3
        result["auth_noop_wall_s"] = floor["wall_s"]
    finally:
        servers.stop()
    events = (len(bodies) - 2) * BATCH
    result["events"] = events
    result["per_second"] = events / result["wall_s"]
    result["server_cpu_ms_per_1000"] = result["server_cpu_s"] / events * 1e6
    if name == "http-1w":
        # the same events folded by another checkout's code, on a copy made first
        copy = _copy(url, workdir, "fold-before") if fold_src else None
        result["rollups"] = _rollups(url)
        if copy:
            result["rollups_before"] = _rollups(copy, fold_src)
    return result


def _plain(world: DbWorld, workdir: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    factory = UnitOfWorkFactory(make_engine(_fresh(world, workdir, "plain")))
    wall, cpu = time.monotonic(), time.process_time()
    for first in range(0, len(rows), BATCH):
        with factory() as uow:
            uow.session.execute(EVENTS.insert(), rows[first : first + BATCH])
            uow.commit()
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    factory.engine.dispose()
    return {
        "events": len(rows),
        "per_second": len(rows) / wall,
        "cpu_ms_per_1000": cpu / len(rows) * 1e6,
    }


def _durability(world: DbWorld, workdir: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """SQLite only: the same batches of 1,000 rows committed alternately to two copies, one with
    synchronous=NORMAL and one with FULL, so both see the same disk and load; wall time per batch
    (the sync is disk time, not CPU)."""
    engines = {}
    for mode in ("NORMAL", "FULL"):
        engine = make_engine(_fresh(world, workdir, f"sync-{mode.lower()}"))
        event.listen(engine, "connect", _pragma(mode))  # after the engine's own pragmas
        engines[mode] = engine
    spent = dict.fromkeys(engines, 0.0)
    for first in range(0, len(rows), BATCH):
        for mode, engine in engines.items():
            start = time.monotonic()
            with engine.begin() as connection:
                connection.execute(EVENTS.insert(), rows[first : first + BATCH])
            spent[mode] += time.monotonic() - start
    for engine in engines.values():
        engine.dispose()
    batches = -(-len(rows) // BATCH)
    return {f"{mode.lower()}_ms_per_batch": s / batches * 1e3 for mode, s in spent.items()}


def _pragma(mode: str) -> Any:
    def set_mode(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA synchronous={mode}")

    return set_mode


def run(
    scale: Scale,
    world: DbWorld,
    cat: Catalogue,
    workdir: Path,
    before_src: str | None = None,
    batches: int | None = None,
    rounds: int = 0,
) -> Section:
    section = Section("events_http")
    total = (batches or (8 if scale.quick else 30)) * BATCH + 2 * BATCH
    progress(f"events over HTTP: deciding to get {total:,} events")
    events, secret = _events(world, cat, total)
    bodies = [
        json.dumps({"events": events[i : i + BATCH]}).encode() for i in range(0, total, BATCH)
    ]
    now = datetime.now(UTC)
    rows = [
        _row(
            tokens.verify(e["token"], {KEY_ID: secret}, now.timestamp()), _Incoming(e["type"]), now
        )
        for e in events[2 * BATCH :]
    ]
    load = os.getloadavg()[0]
    if rounds:
        return _lock_rounds(world, workdir, bodies, rounds, section)
    results: dict[str, dict[str, Any]] = {}
    # alternate the paths so load from elsewhere on the machine hits them alike
    cases = [("1w", 1, "FULL", False), ("2w", 2, "FULL", False)]
    if world.url.startswith("sqlite"):
        # synchronous is SQLite's; PostgreSQL runs with its (power-safe) defaults. The busy
        # handler case: 2 workers as before the writer lock (db.write_lock)
        cases += [("1w_normal", 1, "NORMAL", False), ("2w_busy", 2, "FULL", True)]
    for name, workers, sync, busy in cases:
        progress(f"events over HTTP: {workers} worker(s), synchronous={sync}, busy={busy}")
        results[name] = _over_http(
            world, workdir, f"http-{name}", bodies, workers, sync, None, busy, before_src
        )
    if before_src:
        # the code before the change (its own pragmas: synchronous=NORMAL), same bodies, same run
        progress(f"events over HTTP: 1 worker, code from {before_src}")
        results["1w_before"] = _over_http(
            world, workdir, "http-before", bodies, 1, "NORMAL", before_src
        )
    progress("events: plain executemany INSERT floor")
    results["plain"] = _plain(world, workdir, rows)
    if world.url.startswith("sqlite"):
        progress("events: commits with synchronous NORMAL and FULL, alternating")
        results["durability"] = _durability(world, workdir, rows)
    section.data = {**results, "load_before": load, "load_after": os.getloadavg()[0]}
    plain = results["plain"]
    for name, workers in (("1w", 1), ("2w", 2)):
        r = results[name]
        case = f"batches of 1,000, {workers} worker{'s' if workers > 1 else ''}"
        section.rows += [
            Row(
                "events HTTP",
                case,
                "events/s",
                r["per_second"],
                "/s",
                baseline=plain["per_second"],
                baseline_name="plain INSERT /s (in process)",
                ratio=r["per_second"] / plain["per_second"],
                ratio_name="HTTP/plain",
                target="≥ 20,000/s" if workers == 2 else "",
                holds=(r["per_second"] >= 20_000) if workers == 2 else None,
            ),
            Row(
                "events HTTP",
                case,
                "server CPU, auth-only no-op, same bodies",
                r["auth_noop_cpu_ms_per_request"] * 1_000,
                "µs",
            ),
            Row(
                "events HTTP",
                case,
                "server CPU per 1,000",
                r["server_cpu_ms_per_1000"] * 1_000,
                "µs",
                baseline=plain["cpu_ms_per_1000"] * 1_000,
                baseline_name="plain INSERT CPU per 1,000",
                ratio=r["server_cpu_ms_per_1000"] / plain["cpu_ms_per_1000"],
                ratio_name="HTTP/plain CPU",
                target="≤ 40 ms (quiet machine)" if workers == 1 else "",
                holds=(r["server_cpu_ms_per_1000"] <= 40) if workers == 1 else None,
            ),
        ]
        if r["accepted"] != r["events"] or r["errors"]:
            section.notes.append(
                f"events HTTP {name}: {r['accepted']} of {r['events']} accepted,"
                f" {r['errors']} failed requests"
            )
    folded = results["1w"].get("rollups")
    before = results["1w"].get("rollups_before")
    for part, case in (("all", "events folded in one fold"), ("chunked", "in folds of")):
        if not folded:
            break
        now, then = (
            (folded, before) if part == "all" else (folded["chunked"], before and before["chunked"])
        )
        label = f"{now['events']:,} {case}" + (f" {now['chunk']:,}" if part == "chunked" else "")
        section.rows.append(
            Row(
                "events HTTP",
                f"rollups: {label}",
                "fold CPU per 1,000 events",
                now["cpu_ms_per_1000"] * 1_000,
                "µs",
                baseline=then["cpu_ms_per_1000"] * 1_000 if then else None,
                baseline_name="code before the change" if then else "",
                ratio=then["cpu_ms_per_1000"] / now["cpu_ms_per_1000"] if then else None,
                ratio_name="before/after CPU",
            )
        )
    if "2w_busy" in results:
        locked, busy = results["2w"], results["2w_busy"]
        section.rows.append(
            Row(
                "events HTTP",
                "2 workers: writer lock vs busy handler",
                "events/s with the writer lock",
                locked["per_second"],
                "/s",
                baseline=busy["per_second"],
                baseline_name="busy handler (before) /s",
                ratio=locked["per_second"] / busy["per_second"],
                ratio_name="lock/busy",
            )
        )
    if "durability" in results:
        d = results["durability"]
        section.rows.append(
            Row(
                "events HTTP",
                "durability, storage only",
                "commit of 1,000 rows, synchronous=FULL",
                d["full_ms_per_batch"] * 1_000,
                "µs",
                baseline=d["normal_ms_per_batch"] * 1_000,
                baseline_name="synchronous=NORMAL",
                ratio=d["full_ms_per_batch"] / d["normal_ms_per_batch"],
                ratio_name="FULL/NORMAL time",
            )
        )
    if "1w_normal" not in results:
        return section
    full, normal = results["1w"], results["1w_normal"]
    section.rows.append(
        Row(
            "events HTTP",
            "durability, 1 worker",
            "events/s synchronous=FULL",
            full["per_second"],
            "/s",
            baseline=normal["per_second"],
            baseline_name="synchronous=NORMAL /s",
            ratio=full["per_second"] / normal["per_second"],
            ratio_name="FULL/NORMAL",
        )
    )
    if "1w_before" in results:
        before = results["1w_before"]
        section.rows.append(
            Row(
                "events HTTP",
                "1 worker, NORMAL: this code vs before",
                "server CPU per 1,000",
                normal["server_cpu_ms_per_1000"] * 1_000,
                "µs",
                baseline=before["server_cpu_ms_per_1000"] * 1_000,
                baseline_name="before the change",
                ratio=before["server_cpu_ms_per_1000"] / normal["server_cpu_ms_per_1000"],
                ratio_name="before/after CPU",
            )
        )
    return section


def _lock_rounds(
    world: DbWorld, workdir: Path, bodies: list[bytes], rounds: int, section: Section
) -> Section:
    """2 workers with the writer lock and with the busy handler, taking turns `rounds` times
    (order swapped every round), so the machine's load hits both alike."""
    rates: dict[str, list[float]] = {"lock": [], "busy": []}
    cpu: dict[str, list[float]] = {"lock": [], "busy": []}
    loads = [os.getloadavg()[0]]
    for n in range(rounds):
        for way in ("lock", "busy") if n % 2 == 0 else ("busy", "lock"):
            progress(f"events over HTTP: round {n + 1}, 2 workers, {way}")
            r = _over_http(world, workdir, f"round-{way}", bodies, 2, "FULL", None, way == "busy")
            rates[way].append(r["per_second"])
            cpu[way].append(r["server_cpu_ms_per_1000"])
            loads.append(os.getloadavg()[0])
    section.data = {"rates": rates, "server_cpu_ms_per_1000": cpu, "loads": loads}
    lock, busy = sorted(rates["lock"]), sorted(rates["busy"])
    section.rows.append(
        Row(
            "events HTTP",
            f"2 workers, median of {rounds} alternating rounds",
            "events/s with the writer lock",
            lock[len(lock) // 2],
            "/s",
            baseline=busy[len(busy) // 2],
            baseline_name="busy handler (before) /s",
            ratio=lock[len(lock) // 2] / busy[len(busy) // 2],
            ratio_name="lock/busy",
        )
    )
    return section


class _Incoming:
    def __init__(self, event_type: str) -> None:
        self.event_type = event_type


def main() -> None:
    from bench.common import FULL, QUICK
    from bench.db_world import build
    from bench.world import load_catalogue

    parser = argparse.ArgumentParser(prog="python -m bench.events_http")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--before-src", help="src/ of a checkout of the code before a change")
    parser.add_argument("--batches", type=int, help="timed batches of 1,000 a case (default 30)")
    parser.add_argument(
        "--lock-rounds", type=int, default=0, help="only 2 workers, writer lock vs busy handler"
    )
    parser.add_argument(
        "--postgres", help="a PostgreSQL admin URL: run on databases made there instead of SQLite"
    )
    args = parser.parse_args()
    scale = QUICK if args.quick else FULL
    cat = load_catalogue()
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-") as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'world.db'}"
        if args.postgres:
            parts = urlsplit(args.postgres)
            name = f"sparkads_bench_{os.getpid()}"
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = urlunsplit(parts._replace(path=f"/{name}"))
        world, _ = build(url, scale.http_groups, SystemClock(), cat)
        section = run(scale, world, cat, workdir, args.before_src, args.batches, args.lock_rounds)
    for row in section.rows:
        ratio = f"{row.ratio:.2f} {row.ratio_name}" if row.ratio is not None else ""
        print(
            f"{row.case:32} {row.metric:28} {row.value:12,.1f} {row.unit:3} "
            f"baseline {row.baseline or 0:12,.1f} ({row.baseline_name}) {ratio} {row.target}"
        )
    print(json.dumps(section.data, indent=1, default=str))
    for note in section.notes:
        print("note:", note)


if __name__ == "__main__":
    main()
