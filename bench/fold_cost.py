"""What folding events into the report rollups costs: `python -m bench.fold_cost URL` folds every
event of the database from scratch (`rollups.rebuild`, one fold) and prints its CPU and wall time
as JSON. Run in a process of its own so the events benchmark can run it on two copies of one
database with two versions of the code (`--before-src`), same events, same run."""

from __future__ import annotations

import json
import sys
import time

from sparkads.clock import SystemClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.reporting.rollups import rebuild


def main() -> None:
    factory = UnitOfWorkFactory(make_engine(sys.argv[1]))
    wall, cpu = time.perf_counter(), time.process_time()
    with factory() as uow:
        read = rebuild(uow.session, SystemClock())
        uow.commit()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    factory.engine.dispose()
    print(json.dumps({"events": read, "cpu_s": cpu, "wall_s": wall}))


if __name__ == "__main__":
    main()
