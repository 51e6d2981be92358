"""The live snapshot: compiled from the database, swapped atomically, rebuilt in the background
within a fraction of a second of a change (and every 30 s to catch changes made elsewhere).
Given the counters the engine decides with, a new snapshot is prepared for them before the swap
(`engine.prepare`), so no request pays for it.

After each background rebuild, everything alive is moved out of the cyclic GC's way
(`gc.freeze()`): a full collection then no longer traverses the snapshot (~9 objects per ad group;
~90 ms per full collection at 10k ad groups, ~270 ms at 50k), and an old snapshot is still freed
at once when replaced (reference counting; it holds no cycle). A garbage cycle that happens to be
alive at that instant is frozen too, so every `FULL_COLLECTION_EVERY` rebuilds the heap is
unfrozen and collected once."""

from __future__ import annotations

import gc
import logging
import secrets
import threading

from sqlalchemy.orm import Session

from sparkads.audiences.keys import install_secret
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import Compiled, compile_snapshot, geography
from sparkads.delivery.counters import Counters
from sparkads.delivery.engine import prepare
from sparkads.delivery.model import Snapshot
from sparkads.delivery.models import ServerSecret

log = logging.getLogger(__name__)
PERIODIC_REBUILD = 30.0
DIRTY_POLL = 0.1
FULL_COLLECTION_EVERY = 120  # background rebuilds: about an hour at the periodic rate


def signing_secret(session: Session, clock: Clock) -> bytes:
    row = session.get(ServerSecret, "decision_tokens")
    if row is None:
        row = ServerSecret(
            name="decision_tokens", value=secrets.token_hex(32), created_at=clock.now()
        )
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


def viewer_secret(session: Session, clock: Clock) -> bytes:
    """The deployment's secret for viewer keys (`audiences.keys`), created on first use and
    installed in this process."""
    row = session.get(ServerSecret, "viewer_keys")
    if row is None:
        row = ServerSecret(name="viewer_keys", value=secrets.token_hex(32), created_at=clock.now())
        session.add(row)
        session.flush()
    secret = bytes.fromhex(row.value)
    install_secret(secret)
    return secret


class SnapshotStore:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        base_url: str,
        counters: Counters | None = None,
    ) -> None:
        self._uow, self._clock, self._base_url = uow, clock, base_url
        self._counters = counters
        self._compiled: Compiled | None = None
        self._version = 0
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rebuilds = 0  # in the background
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
            prepare(compiled.snapshot, self._counters)
            self._compiled = compiled  # one reference swap: readers see old or new, whole
            return compiled

    def _settle(self) -> None:
        """Freeze what is alive (the new snapshot with it); now and then, collect everything."""
        self._rebuilds += 1
        if self._rebuilds % FULL_COLLECTION_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

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
                    self._settle()
            else:
                waited += DIRTY_POLL
