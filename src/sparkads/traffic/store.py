"""Reading what the traffic told: viewer profiles and the sampled request log as columns.

Both are cached per database and reloaded only when the table changed (row count and newest
time), so an audience estimate over a million profiles costs the version query and a few NumPy
passes. Aggregates shown to advertisers are suppressed below `MIN_AGGREGATE` viewers, so no
count can single out a person."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.clock import as_utc
from sparkads.traffic.columns import ViewerColumns, encode
from sparkads.traffic.intake import ATTRIBUTES, viewer_of
from sparkads.traffic.models import TrafficRequest, ViewerProfile

T = TypeVar("T")
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
_logs: dict[str, tuple[Any, RequestLog]] = {}


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
    rows = session.execute(
        select(
            ViewerProfile.viewer_key,
            ViewerProfile.last_seen,
            *(getattr(ViewerProfile, a) for a in ATTRIBUTES),
        ).order_by(ViewerProfile.viewer_key)
    ).all()
    keys = [r.viewer_key for r in rows]
    return Profiles(
        keys,
        {k: i for i, k in enumerate(keys)},
        encode([viewer_of(r, "") for r in rows]),
        np.array([as_utc(r.last_seen).timestamp() for r in rows], np.float64),
    )


def request_log(session: Session, since: datetime, until: datetime) -> RequestLog:
    """The sampled requests logged in (since, until], oldest first (cached by table version)."""
    version = (
        *session.execute(select(func.count(), func.max(TrafficRequest.id))).one(),
        since,
        until,
    )
    return _cached(_logs, session, version, lambda: _load_log(session, since, until))


def _load_log(session: Session, since: datetime, until: datetime) -> RequestLog:
    rows = session.execute(
        select(
            TrafficRequest.viewer_key,
            TrafficRequest.occurred_at,
            TrafficRequest.sample_rate,
            TrafficRequest.won,
            *(getattr(TrafficRequest, a) for a in ATTRIBUTES),
        )
        .where(TrafficRequest.occurred_at > since, TrafficRequest.occurred_at <= until)
        .order_by(TrafficRequest.occurred_at, TrafficRequest.id)
    ).all()
    return RequestLog(
        [r.viewer_key for r in rows],
        encode([viewer_of(r, "") for r in rows]),
        np.array([as_utc(r.occurred_at).timestamp() for r in rows], np.float64),
        np.array([1.0 / max(r.sample_rate, 1e-9) for r in rows], np.float64),
        [r.won for r in rows],
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
