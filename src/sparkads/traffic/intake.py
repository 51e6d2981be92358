"""Writing the traffic log and viewer profiles, off the decision path.

`TrafficRecorder.record` runs after each decision. A viewer is learnt once: clipped to the
catalogue, keyed and turned into the stored columns, then kept in memory by the id the feed sent.
A viewer asking again as before costs a dict lookup and a comparison (and its profile is written
again at most once `profile_rewrite_seconds`, with the requests counted meanwhile); a viewer whose
attributes changed is learnt again and written at the next profile write. A sampled share of
requests also keeps what was eligible and what won, as the references the decision already holds;
their text columns are made when written. A background thread writes the log every second and
profiles every 30 seconds (readers, tests and the in-process simulator call `flush()` to write at
once), in one transaction per batch: multi-row INSERT statements for the log and multi-row
upserts for the profiles, on the driver's cursor (`db/bulk.py`). Viewers not seen for `profile_rewrite_seconds` are
forgotten (after their last requests are written), and at most `MAX_VIEWERS` are remembered.
Rows older than the retention are deleted at most once an hour."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Column, MetaData, String, Table, delete

from sparkads.audiences.keys import key_of_new_viewer, keys_of_new_viewers
from sparkads.background import Background
from sparkads.campaigns.minors import below_minimum_age
from sparkads.clock import Clock
from sparkads.db.bulk import insert_many
from sparkads.db.dialect import instant_as_stored
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.columns import Ints
from sparkads.delivery.engine import Decision, Eligible
from sparkads.delivery.model import Snapshot, Viewer
from sparkads.traffic.attributes import NOTHING_CLIPPED, Clipped, packed, sanitize
from sparkads.traffic.log_text import first_bits, texts_by_second
from sparkads.traffic.models import TrafficRequest, ViewerProfile

log = logging.getLogger(__name__)
LOG = cast(Table, TrafficRequest.__table__)
PROFILES = cast(Table, ViewerProfile.__table__)

MAX_ELIGIBLE_IDS = 20
MAX_BUFFER = 20_000  # requests or profiles waiting: flush now rather than on the next tick
MAX_VIEWERS = 50_000  # viewers remembered between requests (~0.6 KB each + the viewer as sent)
PRUNE_EVERY = timedelta(hours=1)
LOG_COLUMNS = (
    "occurred_at", "viewer_key", "feed_id", "placement", "slots", "eligible", "eligible_ids", "won",
    "sample_rate", "attributes",
)  # fmt: skip
PROFILE_COLUMNS = ("viewer_key", "first_seen", "last_seen", "requests", "attributes")
# Both databases read this the same way: the latest attributes, requests added up.
PROFILE_UPSERT = "ON CONFLICT (viewer_key) DO UPDATE SET " + ", ".join(
    [f"{name} = excluded.{name}" for name in ("last_seen", "attributes")]
    + ["requests = viewer_profiles.requests + excluded.requests"]
)
TimeOf = Callable[[datetime], datetime | str]


def _as_given(table: Table, columns: Sequence[str]) -> Table:
    """`table` as `insert_many` writes it with every value given as the driver takes it (times
    made by `instant_as_stored`): no column converts anything row by row."""
    return Table(table.name, MetaData(), *(Column(name, String) for name in columns))


LOG_WRITTEN = _as_given(LOG, LOG_COLUMNS)
PROFILES_WRITTEN = _as_given(PROFILES, PROFILE_COLUMNS)


@dataclass(frozen=True)
class TrafficSettings:
    sample_rate: float = 0.1  # share of decision requests written to the log
    retention_days: int = 30
    flush_seconds: float = 1.0  # the log
    # Profiles of new or changed viewers: a viewer asking many times within this is written once
    # (readers in the same process flush at once, so they always see the latest).
    profile_flush_seconds: float = 30.0
    # An unchanged returning viewer's profile (last seen, requests) is written at most this often.
    profile_rewrite_seconds: float = 3_600.0
    enabled: bool = True  # off: nothing is kept about viewers (no log, no profiles)


class _Seen:
    """A viewer as last sent, and what of it is not written yet. Its key and stored text are
    made when first written (in the writer's batch, not on the decision path)."""

    __slots__ = ("clean", "clipped", "due", "first", "key", "last", "queued", "requests",
                 "stored", "stored_of", "viewer", "written")  # fmt: skip

    def __init__(
        self, viewer: Viewer, clean: Viewer, clipped: tuple[Clipped, ...], at: datetime
    ) -> None:
        self.viewer, self.clean, self.clipped = viewer, clean, clipped
        self.first = self.last = self.due = at
        self.requests, self.written, self.queued = 1, 0, True  # queued by its creator
        self.key: str | None = None
        self.stored: str | None = None
        self.stored_of: Viewer | None = None  # the clean viewer `stored` was made from

    def key_now(self) -> str:
        if self.key is None:
            self.key = key_of_new_viewer(self.viewer.viewer_id)
        return self.key

    def columns(self, clean: Viewer) -> str:
        """The stored attributes of `clean` (this viewer as some request sent it), packed."""
        if self.stored is not None and self.stored_of is clean:
            return self.stored
        stored = packed(clean)
        self.stored, self.stored_of = stored, clean
        return stored


# A sampled request: when, who (as that request sent them), feed, placement, slots, the eligible
# bitset, its count and the positions `decide()` read out of it (None: not handed over), the
# decisions and the snapshot they came from; the text columns are made when written.
_Sampled = tuple[
    datetime, _Seen, Viewer, str | None, str, int, int, int, Ints | list[int] | None,
    Sequence[Decision], Snapshot, float,
]  # fmt: skip


class TrafficRecorder:
    """Buffers what decision requests tell about viewers, and writes it in batches."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        settings: TrafficSettings | None = None,
        seed: int | None = None,
    ) -> None:
        self.uow, self.clock = uow, clock
        self.settings = settings or TrafficSettings()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._requests: list[_Sampled] = []
        self._viewers: dict[str, _Seen] = {}  # by the id the feed sent (memory only)
        self._dirty: list[_Seen] = []  # profiles to write at the next profile write
        self._loop = Background("traffic-log", join_seconds=10)
        self._pruned_at: datetime | None = None
        self._ids: tuple[Snapshot, list[str]] | None = None
        self.written = 0

    def sample(self) -> Eligible | None:
        """Whether the next request goes to the log: a list for `decide(eligible=...)` to fill
        with the bitset of eligible ad groups, its count and their positions, or None."""
        if not self.settings.enabled:
            return None
        return [] if self._rng.random() < self.settings.sample_rate else None

    def record(
        self,
        viewer: Viewer,
        decisions: Sequence[Decision],
        snapshot: Snapshot,
        *,
        at: datetime,
        slots: int = 1,
        placement: str = "PLACEMENT_TIKTOK",
        feed_id: str | None = None,
        sampled: Eligible | bool | None = None,
    ) -> tuple[Clipped, ...]:
        """`sampled`: what `sample()` returned, filled by `decide()` (or True to log the request
        and work out its eligible ad groups here; None to draw the sample here). With the log
        off, or for a viewer under the minimum age (no sponsored post, `campaigns/minors`):
        nothing is kept, so nothing is clipped."""
        if not self.settings.enabled or below_minimum_age(viewer.age):  # nothing kept
            return NOTHING_CLIPPED
        seen = self._viewers.get(viewer.viewer_id)
        if seen is None:  # a new viewer: clipped now (the feed is told), keyed when written
            seen = _Seen(viewer, *sanitize(viewer), at)
            with self._lock:
                self._viewers[viewer.viewer_id] = seen
                self._dirty.append(seen)
                if len(self._dirty) >= MAX_BUFFER or len(self._viewers) > MAX_VIEWERS:
                    self._loop.wake.set()
        elif seen.viewer is viewer or seen.viewer == viewer:  # asked again as before: counted
            with self._lock:
                seen.last = at
                seen.requests += 1
                if not seen.queued and at >= seen.due:
                    seen.queued = True
                    self._dirty.append(seen)
        else:
            self._changed(seen, viewer, at)
        if sampled is None:
            sampled = self._rng.random() < self.settings.sample_rate
        if sampled is not False:
            if isinstance(sampled, list) and len(sampled) == 3:  # what decide() handed over
                mask, count, positions = cast(tuple[int, int, Ints | list[int]], sampled)
            else:  # decide() did not hand it over: the index again
                audiences = snapshot.audience_members.get(seen.key_now(), frozenset())
                mask = snapshot.index.candidates(viewer, audiences) if snapshot.groups else 0
                count, positions = mask.bit_count(), None
            row = (at, seen, seen.clean, feed_id, placement, slots, mask, count, positions,
                   decisions, snapshot, self.settings.sample_rate)  # fmt: skip
            with self._lock:
                self._requests.append(row)
                if len(self._requests) >= MAX_BUFFER:
                    self._loop.wake.set()
        return seen.clipped

    def _changed(self, seen: _Seen, viewer: Viewer, at: datetime) -> None:
        """A viewer whose attributes changed: written at the next profile write."""
        clean, clipped = sanitize(viewer)
        with self._lock:
            seen.viewer, seen.clean, seen.clipped = viewer, clean, clipped
            seen.last = at
            seen.requests += 1
            if not seen.queued:
                seen.queued = True
                self._dirty.append(seen)

    def pending(self) -> tuple[int, int]:
        with self._lock:
            return len(self._requests), len(self._dirty)

    def flush(self, *, profiles_too: bool = True, everything: bool = False) -> int:
        """Write what is buffered (the log only, unless `profiles_too`; with `everything`, the
        requests of unchanged returning viewers too, whenever written last); returns how many
        log rows were written."""
        with self._flushing:
            with self._lock:
                requests, self._requests = self._requests, []
                dirty: list[_Seen] = []
                if profiles_too:
                    dirty, self._dirty = self._dirty, []
                if everything:
                    dirty += [s for s in self._viewers.values() if s.requests > s.written]
            if not requests and not dirty:
                self._prune_if_due()
                return 0
            self._write(requests, dirty)
            self.written += len(requests)
            self._prune_if_due()
            return len(requests)

    def _write(self, requests: list[_Sampled], dirty: list[_Seen]) -> None:
        with self.uow() as unit:  # clean values only: straight to the driver (db/bulk.py)
            time_of = instant_as_stored(unit.session)
            if unit.session.get_bind().dialect.name == "sqlite":
                time_of = texts_by_second()
            profiles = self._profile_rows(dirty, time_of)
            insert_many(unit.session, LOG_WRITTEN, LOG_COLUMNS, self._log_rows(requests, time_of))
            insert_many(
                unit.session,
                PROFILES_WRITTEN,
                PROFILE_COLUMNS,
                profiles,
                on_conflict=PROFILE_UPSERT,
            )
            unit.commit()

    def _log_rows(self, requests: list[_Sampled], time_of: TimeOf) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        for (
            at,
            seen,
            clean,
            feed_id,
            placement,
            slots,
            mask,
            count,
            positions,
            decisions,
            snapshot,
            rate,
        ) in requests:
            ids = self._ids_of(snapshot)
            if positions is None:
                first = first_bits(mask, MAX_ELIGIBLE_IDS)
            elif isinstance(positions, list):
                first = positions[:MAX_ELIGIBLE_IDS]
            else:
                first = positions[:MAX_ELIGIBLE_IDS].tolist()
            eligible = ",".join([ids[p] for p in first])
            won = ";".join(
                f"{d.group.adgroup_id}:{d.ad.ad_id}:{d.event_price}:{d.group.billing}"
                for d in decisions
            )
            rows.append((
                time_of(at), seen.key_now(), feed_id, placement, slots, count, eligible,
                won, rate, seen.columns(clean),
            ))  # fmt: skip
        return rows

    def _ids_of(self, snapshot: Snapshot) -> list[str]:
        """The ad group ids of the snapshot, by position (made once a snapshot)."""
        held = self._ids
        if held is None or held[0] is not snapshot:
            held = self._ids = (snapshot, [group.adgroup_id for group in snapshot.groups])
        return held[1]

    def _profile_rows(self, dirty: list[_Seen], time_of: TimeOf) -> list[tuple[object, ...]]:
        """Each viewer once, in key order (so concurrent writers lock rows in the same order).
        What a request changes while this runs is written next time."""
        rewrite, rows = timedelta(seconds=self.settings.profile_rewrite_seconds), {}
        unkeyed = [seen for seen in dirty if seen.key is None]  # new viewers: keyed at once
        for seen, key in zip(unkeyed, keys_of_new_viewers([s.viewer.viewer_id for s in unkeyed]),
                             strict=True):  # fmt: skip
            seen.key = key
        for seen in dirty:
            seen.queued = False  # first: a change from now on queues it again
            requests, first, last, clean, key = (
                seen.requests, seen.first, seen.last, seen.clean, cast(str, seen.key)
            )  # fmt: skip
            if requests > seen.written or key not in rows:
                when = time_of(last)
                rows[key] = (
                    key, when if first is last else time_of(first), when, requests - seen.written,
                    seen.columns(clean),
                )  # fmt: skip
            seen.written, seen.due = requests, last + rewrite
        return [rows[key] for key in sorted(rows)]

    def forget(self, idle_since: datetime) -> None:
        """Forget viewers not seen since `idle_since` (their last requests written at the next
        profile write), and the least recent beyond `MAX_VIEWERS`."""
        with self._lock:
            viewers = dict(self._viewers)
        idle = [(i, s) for i, s in viewers.items() if s.last < idle_since]
        if len(viewers) - len(idle) > MAX_VIEWERS:
            busy = sorted((s.last, i) for i, s in viewers.items() if s.last >= idle_since)
            idle += [(i, viewers[i]) for _, i in busy[: len(busy) - MAX_VIEWERS // 2]]
        with self._lock:
            for viewer_id, seen in idle:
                if self._viewers.get(viewer_id) is seen:
                    del self._viewers[viewer_id]
                if seen.requests > seen.written and not seen.queued:
                    seen.queued = True
                    self._dirty.append(seen)

    def _prune_if_due(self) -> None:
        now = self.clock.now()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        cutoff = now - timedelta(days=self.settings.retention_days)
        with self.uow() as unit:
            unit.session.execute(delete(TrafficRequest).where(TrafficRequest.occurred_at < cutoff))
            unit.session.execute(delete(ViewerProfile).where(ViewerProfile.last_seen < cutoff))
            unit.commit()

    def start(self) -> None:
        self._loop.start(self._run)

    def stop(self) -> None:
        self._loop.stop()
        self.flush(everything=True)

    def _run(self) -> None:
        profiles_at = time.monotonic()
        while not self._loop.stopping.is_set():
            woken = self._loop.wake.wait(self.settings.flush_seconds)
            self._loop.wake.clear()
            due = time.monotonic() - profiles_at >= self.settings.profile_flush_seconds
            try:
                if due or woken:
                    idle = timedelta(seconds=self.settings.profile_rewrite_seconds)
                    self.forget(self.clock.now() - idle)
                self.flush(profiles_too=due or woken)
            except Exception:  # keep logging traffic after a failed batch (it is only a sample)
                log.exception("traffic log flush failed")
            if due or woken:
                profiles_at = time.monotonic()
