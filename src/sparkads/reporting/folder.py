"""The rollup folder: keeps the report rollups current in the background of a serve process, so a
report request reads rollups and never folds events itself.

Every `interval` seconds (sooner when woken) a thread folds the events not read yet into the
rollups (`rollups.refresh`, in a unit of work of its own). Several serve processes may each run
one on the same database: a fold holds the rollup cursor's lock (`cursor.take_unread`: the row is
taken `FOR UPDATE` on PostgreSQL, SQLite's one write transaction elsewhere) and folding is
idempotent (touched cells are recomputed from all their events), so nothing is counted twice and
a second folder finds nothing left to read. Within one process a lock keeps folds one at a time.

Where the thread does not run (tests' in-process apps, the CLI) or in the sandbox (little
traffic, a clock that jumps, tests that read a report right after sending events), a report folds
on demand before reading (`before_read`), as every report did before. Each report states how fresh
its rollups are: `rolled_up_to`, the clock's time at the last fold, which read every event
committed by then."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from sparkads.background import Background
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.reporting import cursor, rollups
from sparkads.reporting.models import RollupState
from sparkads.reporting.reason_hours import ReasonSaver

log = logging.getLogger(__name__)
FOLD_INTERVAL_S = 2.0


@dataclass
class FoldStats:
    """What the folder has done in this process: for the benchmark and operators."""

    folds: int = 0
    events: int = 0
    cpu_s: float = 0.0  # CPU time of the folding thread(s) inside folds
    wall_s: float = 0.0
    failures: int = 0


class RollupFolder:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        *,
        interval: float = FOLD_INTERVAL_S,
        fold_on_read: bool = False,
        reasons: ReasonSaver | None = None,
    ) -> None:
        self._uow, self._clock, self.interval = uow, clock, interval
        self.fold_on_read = fold_on_read
        self.stats = FoldStats()
        self._lock = threading.Lock()
        self._progress = threading.Condition()
        self._started = self._finished = 0  # folds begun and ended in this process, in order
        self._loop = Background("rollup-folder", join_seconds=30)
        self.reasons = reasons  # the engine's delivery reasons, saved in the same turn

    @property
    def running(self) -> bool:
        return self._loop.running

    def fold_now(self) -> int:
        """Fold every event committed so far; returns how many were read. Safe from any thread
        and process at once (see the module's docstring)."""
        with self._lock:
            with self._progress:
                self._started += 1
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                with self._uow() as uow:
                    read = rollups.refresh(uow.session, self._clock)
                    if self.reasons is not None:
                        self.reasons.save(uow.session, self._clock.now())
                    uow.commit()
                    if self.reasons is not None:
                        self.reasons.committed()
            finally:
                with self._progress:
                    self._finished += 1
                    self._progress.notify_all()
            self.stats.folds += 1
            self.stats.events += read
            self.stats.cpu_s += time.thread_time() - cpu
            self.stats.wall_s += time.perf_counter() - wall
            return read

    def before_read(self) -> None:
        """What a report request runs first: nothing while the thread keeps the rollups current,
        a fold where it does not run or in the sandbox."""
        if self.fold_on_read or not self.running:
            self.fold_now()

    def wake(self) -> None:
        """Fold soon rather than at the next tick."""
        self._loop.wake.set()

    def fold_soon(self, timeout: float = 30.0) -> bool:
        """Wake the thread and wait until a fold that began after this call has ended (a test or
        a benchmark asks); folds here if the thread does not run. False if none ended in time."""
        if not self.running:
            self.fold_now()
            return True
        with self._progress:
            target = self._started + 1
            self._loop.wake.set()
            return self._progress.wait_for(lambda: self._finished >= target, timeout)

    def start(self) -> None:
        self._loop.start(self._run)

    def stop(self) -> None:
        self._loop.stop()
        if self.reasons is not None:  # what was counted since the last save, before exiting
            try:
                with self._uow() as uow:
                    self.reasons.save(uow.session, self._clock.now(), force=True)
                    uow.commit()
                    self.reasons.committed()
            except Exception:
                log.exception("saving the delivery reasons failed at stop")

    def _run(self) -> None:
        while not self._loop.stopping.is_set():
            try:
                self.fold_now()
            except Exception:  # a database hiccup must not end the thread: try at the next tick
                self.stats.failures += 1
                log.exception("rollup fold failed; trying again in %.1f s", self.interval)
            self._loop.wake.wait(self.interval)
            self._loop.wake.clear()


def rolled_up_to(session: Session) -> datetime | None:
    """When the rollups last read the events (clock time), None before the first fold."""
    state = session.get(RollupState, cursor.STATE)
    return state.updated_at if state is not None else None
