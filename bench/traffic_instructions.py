"""`python -m bench.traffic_instructions [--returning 0.3] [--requests 2000] [--src DIR]`: what
the traffic log costs on the decision path, in instructions (valgrind's callgrind): deterministic,
where CPU time is not (`bench.traffic_cost` measures the CPU time with its confidence interval).

The alternating loop `bench.traffic` timed before `bench.traffic_cost` (chunks of 500 requests:
`decide()` alone, then `decide()` + the intake, order swapped each chunk; the log written every 4
chunks, the profiles at the end, all counted), run in a child process under callgrind with instrumentation
switched on only around the loop and dumped after each chunk, so the world's building is not
counted. Deterministic for a given code: the same stream, samples and seeds each run. `--src`
runs another checkout's `src/` (e.g. the code before a change) in the same conditions.
Needs valgrind (`callgrind_control`); a 2,000-request run takes about 2.5 minutes."""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

CHUNK = 500


def child(returning: float, requests: int, workdir: Path) -> None:
    """The loop, stopping at each step until the parent answers on stdin."""
    from bench.common import warm_writer
    from bench.decisions import NOW, SEED, build_world
    from bench.world import load_catalogue, traffic, viewers
    from sparkads.audiences.keys import install_secret
    from sparkads.clock import TestClock
    from sparkads.db import migrate
    from sparkads.db.engine import make_engine
    from sparkads.db.unit_of_work import UnitOfWorkFactory
    from sparkads.delivery.compile import geography
    from sparkads.delivery.counters import MemoryCounters
    from sparkads.delivery.engine import EngineConfig, decide
    from sparkads.traffic.intake import TrafficRecorder

    def step(name: str) -> None:
        print(name, flush=True)
        sys.stdin.readline()

    install_secret(b"bench")
    cat, geo = load_catalogue(), geography()
    snapshot, _, _, _ = build_world(10_000, cat, geo)
    population = viewers(20_000, random.Random(SEED + 1), cat)
    stream = traffic(population, 10_000, random.Random(3), returning)[:requests]
    url = f"sqlite:///{workdir / 'log.db'}"
    migrate.upgrade(url)
    at = datetime.fromtimestamp(NOW, UTC)
    recorder = TrafficRecorder(UnitOfWorkFactory(make_engine(url)), TestClock(at), seed=1)
    counters = {path: MemoryCounters() for path in ("decide", "decide + log")}
    rngs = {path: random.Random(5) for path in counters}
    config = EngineConfig(secret=b"bench")
    for path in counters:
        for viewer in stream[:200]:
            decide(viewer, 1, snapshot, counters[path], NOW, rngs[path], config)
    distinct = list({viewer.viewer_id: viewer for viewer in stream}.values())
    warm_writer(recorder, distinct, snapshot, at)  # on other viewers than the stream's
    gc.collect()
    gc.freeze()
    step("ready")
    for r in range(len(stream) // CHUNK):
        part = stream[r * CHUNK : (r + 1) * CHUNK]
        for path in ("decide", "decide + log") if r % 2 == 0 else ("decide + log", "decide"):
            if path == "decide":
                for viewer in part:
                    decide(viewer, 1, snapshot, counters[path], NOW, rngs[path], config)
            else:
                for viewer in part:
                    sampled = recorder.sample()
                    chosen = decide(viewer, 1, snapshot, counters[path], NOW, rngs[path], config,
                                    eligible=sampled)  # fmt: skip
                    recorder.record(viewer, chosen, snapshot, at=at,
                                    sampled=False if sampled is None else sampled)  # fmt: skip
                if r % 4 == 3:
                    recorder.flush(profiles_too=False)
            step(path)
    recorder.flush()
    step("decide + log")


def _control(pid: int, *args: str) -> None:
    subprocess.run(  # noqa: S603 (valgrind's own tool, our own arguments)
        ["callgrind_control", *args, str(pid)],  # noqa: S607 (found on PATH, as valgrind)
        check=True,
        capture_output=True,
    )


def run(returning: float, requests: int, src: str | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="sparkads-bench-instructions-") as tmp:
        work = Path(tmp)
        env = dict(os.environ, PYTHONHASHSEED="0")
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, os.getcwd()) if p)
        command = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no",
            f"--callgrind-out-file={work}/cg.%p", sys.executable, "-m", "bench.traffic_instructions",
            "--child", "--returning", str(returning), "--requests", str(requests), "--work", tmp,
        ]  # fmt: skip
        proc = subprocess.Popen(  # noqa: S603 (valgrind on this interpreter, our own module)
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        out, into = proc.stdout, proc.stdin
        assert out is not None
        assert into is not None
        for line in out:
            name = line.strip()
            if name == "ready":
                _control(proc.pid, "-i", "on")
                _control(proc.pid, "-z")
            else:
                _control(proc.pid, "-d", name.replace(" ", "_"))
            into.write("\n")
            into.flush()
        proc.wait()
        totals: dict[str, int] = {}
        for dump in work.glob("cg.*.*"):
            text = dump.read_text()
            trigger = re.search(r"Trigger: dump (\S+)", text)
            summary = re.search(r"^summary: (\d+)", text, re.M)
            if trigger and summary:
                path = trigger.group(1).replace("_", " ")
                totals[path] = totals.get(path, 0) + int(summary.group(1))
    alone, logged = totals["decide"], totals["decide + log"]
    return {
        "returning_share": returning,
        "requests_per_path": requests // CHUNK * CHUNK,
        "src": src or "this checkout",
        "instructions": totals,
        "log_instructions_per_request": (logged - alone) / (requests // CHUNK * CHUNK),
        "log_share_of_decide": (logged - alone) / alone,
        "instruction_ratio": alone / logged,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.traffic_instructions", description=__doc__
    )
    parser.add_argument("--returning", type=float, default=0.3)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--src", help="another checkout's src/ directory to measure instead")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.returning, args.requests, Path(args.work))
        return 0
    result = run(args.returning, args.requests, args.src)
    result["load"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
