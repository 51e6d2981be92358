"""What folding events into the report rollups costs: `python -m bench.fold_cost URL [--chunk N]`
folds every event of the database from scratch in one fold (`rollups.rebuild`), then again as the
background folder does, in folds of N events each (the events are taken out and put back N at a
time, untimed, with their ids), and prints the CPU and wall time of both as JSON. Run in a process
of its own so the events benchmark can run it on two copies of one database with two versions of
the code (`--before-src`): same events, same run."""

from __future__ import annotations

import argparse
import json
import time

from sqlalchemy import text

from sparkads.clock import SystemClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.reporting.rollups import rebuild, refresh

RESET = ("DELETE FROM rollup_ad_hour", "DELETE FROM rollup_ad_day", "DELETE FROM rollup_state")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fold_cost")
    parser.add_argument("url")
    parser.add_argument("--chunk", type=int, default=2_000)
    args = parser.parse_args()
    factory, clock = UnitOfWorkFactory(make_engine(args.url)), SystemClock()
    wall, cpu = time.perf_counter(), time.process_time()
    with factory() as uow:
        read = rebuild(uow.session, clock)
        uow.commit()
    out = {"events": read, "cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}
    with factory() as uow:  # the events aside, then back `chunk` at a time
        for statement in (
            *RESET,
            "DELETE FROM rollup_gaps",
            "CREATE TABLE events_aside AS SELECT * FROM events",
            "DELETE FROM events",
        ):
            uow.session.execute(text(statement))
        uow.commit()
    folds = folded = 0
    cpu_s = wall_s = 0.0
    for first in range(0, read, args.chunk):
        with factory() as uow:
            uow.session.execute(
                text(
                    "INSERT INTO events SELECT * FROM events_aside ORDER BY id LIMIT :n OFFSET :o"
                ),
                {"n": args.chunk, "o": first},
            )
            uow.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        with factory() as uow:
            folded += refresh(uow.session, clock)
            uow.commit()
        cpu_s += time.process_time() - cpu
        wall_s += time.perf_counter() - wall
        folds += 1
    factory.engine.dispose()
    out["chunked"] = {
        "chunk": args.chunk,
        "folds": folds,
        "events": folded,
        "cpu_s": cpu_s,
        "wall_s": wall_s,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
