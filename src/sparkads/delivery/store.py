"""The live snapshot: compiled from the database, swapped atomically, rebuilt in the background
within a fraction of a second of a change (and every 30 s to catch changes made elsewhere)."""

from __future__ import annotations

import logging
import secrets
import threading

from sqlalchemy.orm import Session

from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import Compiled, compile_snapshot, geography
from sparkads.delivery.model import Snapshot
from sparkads.delivery.models import ServerSecret

log = logging.getLogger(__name__)
PERIODIC_REBUILD = 30.0
DIRTY_POLL = 0.1


def signing_secret(session: Session, clock: Clock) -> bytes:
    row = session.get(ServerSecret, "decision_tokens")
    if row is None:
        row = ServerSecret(
            name="decision_tokens", value=secrets.token_hex(32), created_at=clock.now()
        )
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


class SnapshotStore:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, base_url: str) -> None:
        self._uow, self._clock, self._base_url = uow, clock, base_url
        self._compiled: Compiled | None = None
        self._version = 0
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._geo = geography()

    @property
    def snapshot(self) -> Snapshot:
        """The live snapshot. Without the background thread (tests, scripts), a stale snapshot is
        rebuilt here, synchronously, so a change is always seen by the next decision."""
        compiled = self._compiled
        if compiled is None or (self._thread is None and self._dirty.is_set()):
            compiled = self.rebuild()
        return compiled.snapshot

    def peek(self) -> Snapshot | None:
        return self._compiled.snapshot if self._compiled else None

    @property
    def excluded(self) -> dict[str, str]:
        return self._compiled.excluded if self._compiled else {}

    def rebuild(self) -> Compiled:
        with self._lock:
            self._dirty.clear()
            self._version += 1
            with self._uow() as uow:
                compiled = compile_snapshot(
                    uow.session, self._clock.now(), self._base_url, self._version, self._geo
                )
            self._compiled = compiled  # one reference swap: readers see old or new, whole
            return compiled

    def mark_dirty(self) -> None:
        self._dirty.set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="snapshot", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        waited = 0.0
        while not self._stop.is_set():
            if self._dirty.wait(DIRTY_POLL) or waited >= PERIODIC_REBUILD:
                waited = 0.0
                try:
                    self.rebuild()
                except Exception:  # keep serving the last good snapshot
                    log.exception("snapshot rebuild failed")
            else:
                waited += DIRTY_POLL
