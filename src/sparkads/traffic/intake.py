"""Writing the traffic log and viewer profiles, off the decision path.

`TrafficRecorder.record` runs after each decision: it clips the viewer to the catalogue, keeps
the latest attributes per viewer key in memory (a viewer asking many times between two writes is
written once), and keeps a sampled share of requests with what was eligible and what won. A
background thread writes the log every second and profiles every 30 seconds (readers, tests and
the in-process simulator call `flush()` to write at once), in one transaction per batch: the
driver's executemany of an INSERT for the log and of an upsert for the profiles (`db/bulk.py`).
Rows older than the retention are deleted at most once an hour."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any, cast

from sqlalchemy import Table, delete

from sparkads.audiences.keys import viewer_key
from sparkads.clock import Clock
from sparkads.db.bulk import insert_many
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.engine import Decision
from sparkads.delivery.model import Behaviour, Snapshot, Viewer
from sparkads.delivery.targeting import bits
from sparkads.traffic.columns import BEHAVIOURS, MAX_BEHAVIOURS, MAX_INTERESTS, vocabulary
from sparkads.traffic.models import TrafficRequest, ViewerProfile

log = logging.getLogger(__name__)
LOG = cast(Table, TrafficRequest.__table__)
PROFILES = cast(Table, ViewerProfile.__table__)

MAX_ELIGIBLE_IDS = 20
MAX_BUFFER = 20_000  # requests or viewers waiting: flush now rather than on the next tick
PRUNE_EVERY = timedelta(hours=1)
ATTRIBUTES = (
    "country", "region", "language", "age", "gender", "os", "os_version", "network",
    "device_price", "interests", "behaviours",
)  # fmt: skip
LOG_COLUMNS = (
    "occurred_at", "viewer_key", "feed_id", "placement", "slots", "eligible", "eligible_ids", "won",
    "sample_rate", *ATTRIBUTES,
)  # fmt: skip
PROFILE_COLUMNS = ("viewer_key", "first_seen", "last_seen", "requests", *ATTRIBUTES)
# Both databases read this the same way: the latest attributes, requests added up.
PROFILE_UPSERT = "ON CONFLICT (viewer_key) DO UPDATE SET " + ", ".join(
    [f"{name} = excluded.{name}" for name in ("last_seen", *ATTRIBUTES)]
    + ["requests = viewer_profiles.requests + excluded.requests"]
)


@dataclass(frozen=True)
class TrafficSettings:
    sample_rate: float = 0.1  # share of decision requests written to the log
    retention_days: int = 30
    flush_seconds: float = 1.0  # the log
    # Profiles: a viewer asking many times within this is written once (readers in the same
    # process flush at once, so they always see the latest).
    profile_flush_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class Clipped:
    """A viewer attribute the intake could not keep as sent (outside the catalogue)."""

    field: str
    value: str


def _clean(viewer: Viewer, vocab: Any) -> bool:
    """Whether the viewer can be stored as sent (the common case, checked at set speed)."""
    interests = viewer.interests
    unique = set(interests)
    codes = vocab.interest_code.keys()
    return (
        viewer.country in vocab.country_code
        and (not viewer.region or (viewer.country, viewer.region) in vocab.region_code)
        and (not viewer.language or viewer.language in vocab.language_code)
        and len(unique) == len(interests) <= MAX_INTERESTS
        and codes >= unique
        and len(viewer.behaviours) <= MAX_BEHAVIOURS
        and all(
            (b.action_scene, b.action) in BEHAVIOURS and b.category_id in codes
            for b in viewer.behaviours
        )
    )


def sanitize(viewer: Viewer) -> tuple[Viewer, list[Clipped]]:
    """The viewer as it may be stored: values outside the catalogue dropped, lists cut to what a
    profile keeps. The clipped fields are returned so the feed is told."""
    vocab, clipped = vocabulary(), list[Clipped]()
    if _clean(viewer, vocab):
        return viewer, clipped
    country: str = viewer.country
    if country not in vocab.country_code:
        clipped.append(Clipped("viewer.country", country))
        country = ""
    region = viewer.region
    if region and (viewer.country, region) not in vocab.region_code:
        clipped.append(Clipped("viewer.region", region))
        region = None
    language = viewer.language
    if language and language not in vocab.language_code:
        clipped.append(Clipped("viewer.language", language))
        language = None
    interests = tuple(dict.fromkeys(viewer.interests))
    unknown = [i for i in interests if i not in vocab.interest_code]
    if unknown:
        clipped.append(Clipped("viewer.interests", ",".join(unknown[:5])))
        interests = tuple(i for i in interests if i in vocab.interest_code)
    if len(interests) > MAX_INTERESTS:
        clipped.append(Clipped("viewer.interests", f"{len(interests)} > {MAX_INTERESTS}"))
        interests = interests[:MAX_INTERESTS]
    behaviours = tuple(
        b
        for b in viewer.behaviours
        if (b.action_scene, b.action) in BEHAVIOURS and b.category_id in vocab.interest_code
    )
    if len(behaviours) < len(viewer.behaviours):
        clipped.append(Clipped("viewer.behaviours", "unknown action or category"))
    if len(behaviours) > MAX_BEHAVIOURS:
        behaviours = behaviours[:MAX_BEHAVIOURS]
    if not clipped:
        return viewer, clipped
    return (
        Viewer(
            viewer.viewer_id, country, region, viewer.age, viewer.gender, language, viewer.os,
            viewer.os_version, viewer.network, viewer.device_price, interests, behaviours,
        ),
        clipped,
    )  # fmt: skip


def attributes(viewer: Viewer) -> tuple[Any, ...]:
    """A clean viewer's stored columns, in the order of `ATTRIBUTES`."""
    return (
        viewer.country or None,
        viewer.region,
        viewer.language,
        viewer.age,
        viewer.gender,
        viewer.os,
        ".".join(map(str, viewer.os_version)) or None,
        viewer.network,
        viewer.device_price,
        ",".join(viewer.interests),
        ";".join(
            f"{b.action_scene}:{b.action}:{b.category_id}:{b.days_ago}" for b in viewer.behaviours
        ),
    )


def viewer_of(row: Any, viewer_id: str) -> Viewer:
    """A stored row (log or profile) back into an engine viewer."""
    behaviours = []
    for part in (row.behaviours or "").split(";"):
        if part:
            scene, action, category, days = part.split(":")
            behaviours.append(Behaviour(scene, action, category, int(days)))
    return Viewer(
        viewer_id=viewer_id,
        country=row.country or "",
        region=row.region,
        age=row.age,
        gender=row.gender,
        language=row.language,
        os=row.os,
        os_version=tuple(int(p) for p in row.os_version.split(".")) if row.os_version else (),
        network=row.network,
        device_price=row.device_price,
        interests=tuple(i for i in (row.interests or "").split(",") if i),
        behaviours=tuple(behaviours),
    )


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
        self._requests: list[tuple[Any, ...]] = []
        self._profiles: dict[str, list[Any]] = {}  # key -> [viewer, first, last, requests]
        # Viewers asking again before the profiles are written, by the id the feed sent (memory
        # only, dropped with each profile write): their clipping and key are not redone.
        self._seen: dict[str, tuple[Viewer, Viewer, str, tuple[Clipped, ...]]] = {}
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pruned_at: datetime | None = None
        self.written = 0

    def sample(self) -> list[int] | None:
        """Whether the next request goes to the log: a list for `decide(eligible=...)` to fill
        with the bitset of eligible ad groups, or None."""
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
        sampled: list[int] | bool | None = None,
    ) -> list[Clipped]:
        """`sampled`: what `sample()` returned, filled by `decide()` (or True to log the request
        and work out its eligible ad groups here; None to draw the sample here)."""
        seen = self._seen.get(viewer.viewer_id)
        if seen is not None and seen[0] == viewer:  # asked again as before: nothing to redo
            clean, key, clipped = seen[1], seen[2], list(seen[3])
        else:
            clean, clipped = sanitize(viewer)
            key = viewer_key(viewer.viewer_id)
            self._seen[viewer.viewer_id] = (viewer, clean, key, tuple(clipped))
        if sampled is None:
            sampled = self._rng.random() < self.settings.sample_rate
        row: tuple[Any, ...] | None = None
        if sampled is not False:
            mask = sampled[0] if isinstance(sampled, list) and sampled else None
            row = self._log_row(
                clean, key, decisions, snapshot, mask, at, slots, placement, feed_id
            )
        with self._lock:
            known = self._profiles.get(key)
            if known is None:  # the columns are made at write time, once per viewer
                self._profiles[key] = [clean, at, at, 1]
            else:
                known[0], known[2] = clean, at
                known[3] += 1
            if row is not None:
                self._requests.append(row)
            full = len(self._requests) >= MAX_BUFFER or len(self._seen) >= MAX_BUFFER
        if full:
            self._wake.set()
        return clipped

    def _log_row(
        self,
        viewer: Viewer,
        key: str,
        decisions: Sequence[Decision],
        snapshot: Snapshot,
        mask: int | None,
        at: datetime,
        slots: int,
        placement: str,
        feed_id: str | None,
    ) -> tuple[Any, ...]:
        if mask is None:  # decide() did not hand it over: the index again
            audiences = snapshot.audience_members.get(key, frozenset())
            mask = snapshot.index.candidates(viewer, audiences) if snapshot.groups else 0
        first = list(islice(bits(mask), MAX_ELIGIBLE_IDS))
        won = ";".join(
            f"{d.group.adgroup_id}:{d.ad.ad_id}:{d.event_price}:{d.group.billing}"
            for d in decisions
        )
        eligible_ids = ",".join(snapshot.groups[p].adgroup_id for p in first)
        return (
            at, key, feed_id, placement, slots, mask.bit_count(), eligible_ids, won,
            self.settings.sample_rate, *attributes(viewer),
        )  # fmt: skip

    def pending(self) -> tuple[int, int]:
        with self._lock:
            return len(self._requests), len(self._profiles)

    def flush(self, *, profiles_too: bool = True) -> int:
        """Write what is buffered (the log only, unless `profiles_too`); returns how many log
        rows were written."""
        with self._flushing:
            with self._lock:
                requests, self._requests = self._requests, []
                profiles: dict[str, list[Any]] = {}
                if profiles_too:
                    profiles, self._profiles = self._profiles, {}
                    self._seen = {}
            if not requests and not profiles:
                self._prune_if_due()
                return 0
            rows = [
                (key, first, last, count, *attributes(v))
                for key, (v, first, last, count) in sorted(profiles.items())
            ]
            with self.uow() as unit:  # clean values only: straight to the driver (db/bulk.py)
                insert_many(unit.session, LOG, LOG_COLUMNS, requests)
                insert_many(
                    unit.session, PROFILES, PROFILE_COLUMNS, rows, on_conflict=PROFILE_UPSERT
                )
                unit.commit()
            self.written += len(requests)
            self._prune_if_due()
            return len(requests)

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
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="traffic-log", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        profiles_at = time.monotonic()
        while not self._stop.is_set():
            woken = self._wake.wait(self.settings.flush_seconds)
            self._wake.clear()
            due = time.monotonic() - profiles_at >= self.settings.profile_flush_seconds
            try:
                self.flush(profiles_too=due or woken)
            except Exception:  # keep logging traffic after a failed batch (it is only a sample)
                log.exception("traffic log flush failed")
            if due or woken:
                profiles_at = time.monotonic()
