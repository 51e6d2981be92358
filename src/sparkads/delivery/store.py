"""The live snapshot: compiled from the database, swapped atomically, and kept current from the
change feed (`db/change_feed.py`): every 0.1 s (at once after a write in this process) the store
reads the changes committed since it last looked, by any process, finds the ad groups they touch
and compiles only those again (`compile.apply_changes`). A full rebuild remains the fallback (a
change that names no rows, a reader too far behind) and runs every `PERIODIC_REBUILD` s as a check
(time alone also changes what is live: an audience that expires).
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
import time
from collections.abc import Callable

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from sparkads import keys
from sparkads.audiences.keys import install_secret
from sparkads.campaigns.models import Ad, AdGroup
from sparkads.clock import Clock
from sparkads.db.change_feed import WILDCARD, Change, ChangeCursor, ChangeLog, latest, prune
from sparkads.db.dialect import insert_ignoring_duplicates
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.compile import Compiled, apply_changes, compile_snapshot, geography
from sparkads.delivery.counters import Counters
from sparkads.delivery.engine import prepare
from sparkads.delivery.model import Snapshot
from sparkads.delivery.models import ServerSecret
from sparkads.delivery.reasons import Excluded
from sparkads.keys import KeySet
from sparkads.posts.models import Post

log = logging.getLogger(__name__)
PERIODIC_REBUILD = 300.0
DIRTY_POLL = 0.1
CLOCK_JUMP = 1.0  # seconds the clock may run ahead of real time between two looks
FULL_COLLECTION_EVERY = 120  # background rebuilds: about an hour at the periodic rate


def touched(session: Session, changes: list[Change]) -> set[str] | None:
    """The ad groups these changes touch (enabled or not), or None when only a full rebuild
    covers them. Audience changes touch none: `assemble` reads memberships again each time."""
    keys: dict[str, set[str]] = {}
    for entity, key in changes:
        keys.setdefault(entity, set()).add(key)
    if WILDCARD[0] in keys:
        return None
    found = set(keys.get("adgroup", ()))
    queries: dict[str, Callable[[list[str]], Select[str]]] = {
        "campaign": lambda ids: select(AdGroup.adgroup_id).where(AdGroup.campaign_id.in_(ids)),
        "advertiser": lambda ids: select(AdGroup.adgroup_id).where(AdGroup.advertiser_id.in_(ids)),
        "post": lambda ids: select(Ad.adgroup_id).where(Ad.tiktok_item_id.in_(ids)),
        "identity": lambda ids: select(Ad.adgroup_id).where(Ad.identity_id.in_(ids)),
        "creator": lambda ids: select(Ad.adgroup_id).where(
            Ad.tiktok_item_id.in_(select(Post.item_id).where(Post.creator_id.in_(ids)))
        ),
    }
    for entity, query in queries.items():
        ids = sorted(keys.get(entity, ()))
        for start in range(0, len(ids), 500):
            found.update(session.scalars(query(ids[start : start + 500]).distinct()))
    return found


def signing_secret(session: Session, clock: Clock) -> bytes:
    row = session.get(ServerSecret, "decision_tokens")
    if row is None:
        row = ServerSecret(
            name="decision_tokens", value=secrets.token_hex(32), created_at=clock.now()
        )
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


VIEWER_KEYS = "viewer_keys"


def viewer_secret(session: Session, clock: Clock, sealing: KeySet | None = None) -> bytes:
    """The deployment's secret for viewer keys (`audiences.keys`), created on first use and
    installed in this process.

    With the server's `sealing` keys (outside the database) it is stored sealed, so a copy of the
    database alone cannot tell which key stands for which viewer id: a secret stored in the clear
    (before sealing existed, or by a tool run without the keys) is sealed on the next start, and
    one sealed with a key that is no longer current is sealed again with the current one (so the
    older key can then be dropped). It never changes: every profile and audience member is a key
    made with it."""
    row = session.get(ServerSecret, VIEWER_KEYS)
    if row is None:  # first use: made once, whichever process gets there first
        made = secrets.token_bytes(32)
        value = keys.seal(sealing, made, context=VIEWER_KEYS) if sealing else made.hex()
        table = ServerSecret.__table__
        assert isinstance(table, Table)
        session.execute(
            insert_ignoring_duplicates(session, table, ["name"]).values(
                name=VIEWER_KEYS, value=value, created_at=clock.now()
            )
        )
        row = session.get_one(ServerSecret, VIEWER_KEYS, populate_existing=True)
    if keys.sealed_with(row.value) is None:  # in the clear
        secret = bytes.fromhex(row.value)
        if sealing:
            row.value = keys.seal(sealing, secret, context=VIEWER_KEYS)
            session.flush()
    else:
        opened = keys.unseal(sealing, row.value, context=VIEWER_KEYS) if sealing else None
        if opened is None:
            raise keys.KeyFileError(
                f"the viewer-key secret is sealed with key {keys.sealed_with(row.value)}, "
                + ("which the key file no longer has" if sealing else "and no key file was given")
                + ": restore that key in the `sealing` key set (docs/security.md)"
            )
        secret = opened
        if sealing and keys.sealed_with(row.value) != sealing.current:
            row.value = keys.seal(sealing, secret, context=VIEWER_KEYS)
            session.flush()
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
        self._cursor = ChangeCursor()
        self._lock = threading.Lock()
        self._dirty = threading.Event()
        self._full = False  # the next refresh rebuilds everything
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rebuilds = 0  # in the background
        self._geo = geography()
        self.deltas = 0  # snapshots made from the change feed (diagnostics, tests)
        self._seen_time = (clock.now(), time.monotonic())

    @property
    def snapshot(self) -> Snapshot:
        """The live snapshot. Without the background thread (tests, scripts), a stale snapshot is
        brought up to date here, synchronously, so a change is always seen by the next decision."""
        compiled = self._compiled
        if compiled is None:
            compiled = self.rebuild()
        elif self._thread is None and self._dirty.is_set():
            compiled = self.refresh()
        return compiled.snapshot

    def peek(self) -> Snapshot | None:
        return self._compiled.snapshot if self._compiled else None

    @property
    def excluded(self) -> dict[str, Excluded]:
        return self._compiled.excluded if self._compiled else {}

    def rebuild(self) -> Compiled:
        """Compile everything again (the fallback, and the periodic check)."""
        with self._lock:
            self._dirty.clear()
            self._full = False
            return self._rebuild()

    def _rebuild(self) -> Compiled:
        self._version += 1
        with self._uow() as uow:
            # changes committed from here on are read again by the next refresh: applying a
            # change twice gives the same snapshot
            cursor = ChangeCursor(latest(uow.session))
            compiled = compile_snapshot(
                uow.session, self._clock.now(), self._base_url, self._version, self._geo
            )
        return self._swap(compiled, cursor)

    def _swap(self, compiled: Compiled, cursor: ChangeCursor) -> Compiled:
        prepare(compiled.snapshot, self._counters)
        self._cursor = cursor
        self._compiled = compiled  # one reference swap: readers see old or new, whole
        return compiled

    def refresh(self) -> Compiled:
        """Apply the changes committed since the last look (by any process); the same snapshot
        object when there were none."""
        with self._lock:
            self._dirty.clear()
            compiled = self._compiled
            if compiled is None or self._full or self._clock_jumped():
                self._full = False
                return self._rebuild()
            # the common case, every 0.1 s: one indexed MAX on a pooled connection, no session
            if not self._cursor.waiting_since and self._newest() <= self._cursor.position:
                return compiled
            with self._uow() as uow:
                cursor = ChangeCursor(
                    self._cursor.position, set(self._cursor.seen), dict(self._cursor.waiting_since)
                )
                changes = cursor.read(uow.session)
                if not changes:
                    self._cursor = cursor
                    return compiled
                adgroup_ids = touched(uow.session, changes)
                if adgroup_ids is None or len(adgroup_ids) > max(1_000, len(compiled.parts) // 2):
                    self._cursor = cursor
                    return self._rebuild()
                self._version += 1
                updated = apply_changes(
                    compiled,
                    uow.session,
                    adgroup_ids,
                    self._clock.now(),
                    self._base_url,
                    self._version,
                    self._geo,
                )
            self.deltas += 1
            return self._swap(updated, cursor)

    def _newest(self) -> int:
        with self._uow.engine.connect() as connection:
            return connection.execute(select(func.max(ChangeLog.id))).scalar() or 0

    def _clock_jumped(self) -> bool:
        """Whether the clock moved ahead of real time since the last look (the sandbox clock was
        advanced): schedules end and codes expire without a change row, so rebuild it all."""
        now, real = self._clock.now(), time.monotonic()
        then, real_then = self._seen_time
        self._seen_time = (now, real)
        return (now - then).total_seconds() - (real - real_then) > CLOCK_JUMP

    def _settle(self) -> None:
        """Freeze what is alive (the new snapshot with it); now and then, collect everything."""
        self._rebuilds += 1
        if self._rebuilds % FULL_COLLECTION_EVERY == 0:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    def mark_dirty(self) -> None:
        """Something may have changed: read the change feed now rather than at the next poll."""
        self._dirty.set()

    def invalidate(self) -> None:
        """What is live changed without a change row (the sandbox clock moved): rebuild it all."""
        self._full = True
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
            self._dirty.wait(DIRTY_POLL)
            waited += DIRTY_POLL
            before = self._compiled
            try:
                if waited >= PERIODIC_REBUILD:
                    waited = 0.0
                    with self._uow() as uow:
                        prune(uow.session)
                        uow.commit()
                    self.rebuild()
                else:
                    self.refresh()
            except Exception:  # keep serving the last good snapshot
                log.exception("snapshot refresh failed")
            if self._compiled is not before:
                self._settle()
