"""Reading what the traffic told: viewer profiles and the sampled request log as columns.

Profiles are cached per database and reloaded only when the table changed (row count, newest
time, requests), so an audience estimate over a million profiles costs the version query and a
few NumPy passes. The log is held in memory and followed: each read adds only the rows logged
since the last one, and a serve process reads the forecasts' window once at start (`warm`).
Rows are read a column at a time (`columns.encode_stored`), never as one object per row.
Aggregates shown to advertisers are suppressed below `MIN_AGGREGATE` viewers, so no count can
single out a person."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.clock import Clock
from sparkads.db.dialect import epoch_micros_of
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.traffic.attributes import ATTRIBUTES
from sparkads.traffic.columns import ViewerColumns, concat, empty, encode_stored
from sparkads.traffic.models import TrafficRequest, ViewerProfile

T = TypeVar("T")
logger = logging.getLogger(__name__)
MIN_AGGREGATE = 100  # no audience count between 1 and 99 is ever shown
AUDIENCE_WINDOW_DAYS = 30


@dataclass(frozen=True, eq=False)
class Profiles:
    keys: list[str]
    row_of: dict[str, int]
    columns: ViewerColumns
    last_seen: NDArray[np.float64]  # epoch seconds

    @property
    def size(self) -> int:
        return len(self.keys)

    def seen_since(self, since: datetime) -> NDArray[np.bool_]:
        return np.asarray(self.last_seen >= since.timestamp(), np.bool_)

    def rows(self, keys: set[str] | frozenset[str]) -> NDArray[np.intp]:
        found = [self.row_of[k] for k in keys if k in self.row_of]
        return np.array(sorted(found), np.intp)

    def mask_of(self, keys: set[str] | frozenset[str]) -> NDArray[np.bool_]:
        mask = np.zeros(self.size, np.bool_)
        mask[self.rows(keys)] = True
        return mask


@dataclass(frozen=True, eq=False)
class RequestLog:
    keys: list[str]
    columns: ViewerColumns
    at: NDArray[np.float64]  # epoch seconds
    weight: NDArray[np.float64]  # requests each row stands for (1 / sample rate)
    won: list[str]

    @property
    def size(self) -> int:
        return len(self.keys)


_lock = threading.Lock()
_profiles: dict[str, tuple[Any, Profiles]] = {}
_logs: dict[str, _HeldLog] = {}


def _where(session: Session) -> str:
    bind = session.get_bind()
    return str(bind.engine.url)


def _cached(
    cache: dict[str, tuple[Any, T]], session: Session, version: Any, load: Callable[[], T]
) -> T:
    """What `load` reads, kept per database until `version` (a cheap query's answer) changes."""
    where = _where(session)
    with _lock:
        cached = cache.get(where)
        if cached is not None and cached[0] == version:
            return cached[1]
    loaded = load()
    with _lock:
        cache[where] = (version, loaded)
    return loaded


def profiles(session: Session) -> Profiles:
    """Every stored profile, as columns (cached until the table changes)."""
    count, newest, requests = session.execute(
        select(func.count(), func.max(ViewerProfile.last_seen), func.sum(ViewerProfile.requests))
    ).one()
    return _cached(_profiles, session, (count, newest, requests), lambda: _load_profiles(session))


def _load_profiles(session: Session) -> Profiles:
    rows = (
        session.connection()
        .execute(  # Core rows, not the ORM's
            select(
                ViewerProfile.viewer_key,
                epoch_micros_of(session, ViewerProfile.last_seen),
                *(getattr(ViewerProfile, a) for a in ATTRIBUTES),
            ).order_by(ViewerProfile.viewer_key)
        )
        .all()
    )
    keys = [r[0] for r in rows]
    return Profiles(
        keys,
        {k: i for i, k in enumerate(keys)},
        encode_stored([r[2:] for r in rows]),
        np.array([r[1] for r in rows], np.int64) / 1e6,
    )


def request_log(session: Session, since: datetime, until: datetime) -> RequestLog:
    """The sampled requests logged in (since, until], oldest first.

    Kept in memory per database and followed incrementally: each call reads only the rows logged
    since the newest it holds (with an overlap of `LOG_OVERLAP`, since on PostgreSQL a row can
    commit after a newer one), so a forecast on a server receiving traffic does not read the whole
    window again. A call reaching further back than what is held, or a table that no longer holds
    what was read (pruned or another database at the same address), loads the window afresh."""
    where, start, end = _where(session), _micros(since), _micros(until)
    with _log_lock:
        held = _logs.get(where)
        if held is not None and (held.since > start or not _still_there(session, held, start)):
            held = None
        if held is None:
            held = _HeldLog(start, *_read_log(session, start, None, set()))
        else:
            newest = int(held.us[-1]) if held.us.size else start
            recent = set(held.ids[held.us > newest - LOG_OVERLAP].tolist())
            held = held.extended(*_read_log(session, newest - LOG_OVERLAP, None, recent))
        held = held.from_(start)
        _logs[where] = held
    lo, hi = np.searchsorted(held.us, start, "right"), np.searchsorted(held.us, end, "right")
    return RequestLog(
        held.keys[lo:hi],
        held.columns.part(int(lo), int(hi)),
        held.us[lo:hi] / 1e6,
        held.weight[lo:hi],
        held.won[lo:hi],
    )


LOG_OVERLAP = 120_000_000  # microseconds re-read behind the newest row held
WARM_DAYS = 7  # what a serve process reads at start (the forecasts' window)


def warm(uow: UnitOfWorkFactory, clock: Clock) -> threading.Thread:
    """Read the forecasts' window of the log in the background, so the first forecast a server
    answers does not pay for reading it (seconds per million rows); then it is followed."""

    def read() -> None:
        try:
            with uow() as unit:
                now = clock.now()
                request_log(unit.session, now - timedelta(days=WARM_DAYS), now)
        except Exception:  # a cold cache is only slower
            logger.exception("reading the traffic log at start failed")

    thread = threading.Thread(target=read, name="traffic-log-warm", daemon=True)
    thread.start()
    return thread


_log_lock = threading.Lock()


@dataclass(frozen=True, eq=False)
class _HeldLog:
    since: int  # microseconds since 1970, as `us`
    ids: NDArray[np.int64]
    keys: list[str]
    columns: ViewerColumns
    us: NDArray[np.int64]  # when each request was logged, exactly (microseconds since 1970)
    weight: NDArray[np.float64]
    won: list[str]

    def extended(self, *more: Any) -> _HeldLog:
        ids, keys, columns, us, weight, won = more
        if not ids.size:
            return self
        merged = _HeldLog(
            self.since,
            np.concatenate([self.ids, ids]),
            self.keys + keys,
            concat([self.columns, columns]),
            np.concatenate([self.us, us]),
            np.concatenate([self.weight, weight]),
            self.won + won,
        )
        if self.us.size and us.size and us[0] < self.us[-1]:  # out of order: sort again
            order = np.lexsort((merged.ids, merged.us))
            return merged.rows(order)
        return merged

    def rows(self, order: NDArray[np.intp]) -> _HeldLog:
        picked = order.tolist()
        return _HeldLog(
            self.since, self.ids[order], [self.keys[i] for i in picked], self.columns.take(order),
            self.us[order], self.weight[order], [self.won[i] for i in picked],
        )  # fmt: skip

    def from_(self, start: int) -> _HeldLog:
        """Without the rows before `start` (a later call may only ask for newer windows)."""
        first = int(np.searchsorted(self.us, start, "right"))
        if first == 0:
            return self
        return _HeldLog(
            start, self.ids[first:], self.keys[first:],
            self.columns.part(first, self.us.size), self.us[first:],
            self.weight[first:], self.won[first:],
        )  # fmt: skip


def _still_there(session: Session, held: _HeldLog, start: int) -> bool:
    """Whether the table still holds, from `start`, the rows held (a cheap count on the index)."""
    if not held.ids.size:
        return True
    top = int(held.ids.max())
    expected = int(np.count_nonzero(held.us > start))
    count = session.execute(
        select(func.count()).where(
            TrafficRequest.id <= top, TrafficRequest.occurred_at > _utc(start)
        )
    ).scalar_one()
    return int(count) == expected


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    """An instant as whole microseconds since 1970 (exact, unlike a float timestamp)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _utc(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def _read_log(
    session: Session, after: int, until: int | None, skip: set[int]
) -> tuple[
    NDArray[np.int64], list[str], ViewerColumns, NDArray[np.int64], NDArray[np.float64], list[str]
]:
    log = TrafficRequest
    query = select(
        log.id, log.viewer_key, epoch_micros_of(session, log.occurred_at), log.sample_rate, log.won,
        *(getattr(log, a) for a in ATTRIBUTES),
    ).where(log.occurred_at > _utc(after))  # fmt: skip
    if until is not None:
        query = query.where(log.occurred_at <= _utc(until))
    rows = session.connection().execute(query.order_by(log.occurred_at, log.id)).all()  # Core rows
    if skip:
        rows = [r for r in rows if r[0] not in skip]
    if not rows:
        return (np.zeros(0, np.int64), [], empty(), np.zeros(0, np.int64), np.zeros(0), [])
    cols = list(zip(*rows, strict=True))
    return (
        np.array(cols[0], np.int64),
        list(cols[1]),
        encode_stored([r[5:] for r in rows]),
        np.array(cols[2], np.int64),
        1.0 / np.maximum(np.array(cols[3], np.float64), 1e-9),
        list(cols[4]),
    )


@dataclass(frozen=True)
class AudienceEstimate:
    """Distinct viewers seen in the window whom a targeting accepts. `size` is None when the
    count is between 1 and MIN_AGGREGATE - 1 (shown as "fewer than 100")."""

    size: int | None
    known_viewers: int  # profiles seen in the window, whatever the targeting
    window_days: int
    minimum: int = MIN_AGGREGATE

    @property
    def has_basis(self) -> bool:
        return self.known_viewers > 0


def suppressed(count: int) -> int | None:
    return count if count == 0 or count >= MIN_AGGREGATE else None


def estimate(
    session: Session,
    mask_of_targeting: Any,
    now: datetime,
    included: list[frozenset[str]] | None = None,
    excluded: list[frozenset[str]] | None = None,
    window_days: int = AUDIENCE_WINDOW_DAYS,
) -> AudienceEstimate:
    """`mask_of_targeting(columns)` gives the rows a targeting accepts; `included` audiences (as
    sets of viewer keys) must hold the viewer in at least one, `excluded` in none."""
    people = profiles(session)
    seen = people.seen_since(now - timedelta(days=window_days))
    known = int(seen.sum())
    if not known:
        return AudienceEstimate(None, 0, window_days)
    mask = seen & mask_of_targeting(people.columns)
    if included:
        mask &= people.mask_of(frozenset().union(*included))
    if excluded:
        mask &= ~people.mask_of(frozenset().union(*excluded))
    return AudienceEstimate(suppressed(int(mask.sum())), known, window_days)
