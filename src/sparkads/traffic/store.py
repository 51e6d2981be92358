"""Reading what the traffic told: viewer profiles and the sampled request log as columns.

Profiles are held per database and caught up when the table changed (row count, newest and
oldest time, requests): only the profiles written since are read (`held.HeldProfiles`), so an
audience estimate over a million profiles costs the version query and a few NumPy passes. The
log is held in memory and followed: each read adds only the rows logged since the last one. A
serve process reads the forecasts' window and the profiles at start (`warm`) and, with a
checkpoint directory, saves both every few minutes as a columnar checkpoint
(`traffic.checkpoint`) that the next process starts from, reading from the tables only what
came after it. Rows are read a column at a time (`columns.encode_stored`), never as one object
per row. Aggregates shown to advertisers are suppressed below `MIN_AGGREGATE` viewers, so no
count can single out a person."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.traffic import checkpoint
from sparkads.traffic.columns import ViewerColumns
from sparkads.traffic.held import (
    HeldLog,
    HeldProfiles,
    load_profiles,
    log_of,
    profile_version,
    profiles_of,
    read_log,
    same_rows,
    still_there,
    without_deleted,
)
from sparkads.traffic.held import Profiles as Profiles
from sparkads.traffic.held import micros as _micros

T = TypeVar("T")
logger = logging.getLogger(__name__)
MIN_AGGREGATE = 100  # no audience count between 1 and 99 is ever shown
AUDIENCE_WINDOW_DAYS = 30
LOG, PROFILES = "log", "profiles"  # the checkpoints' names


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
_profiles: dict[str, HeldProfiles] = {}
_logs: dict[str, HeldLog] = {}
_checkpoints: dict[str, Path] = {}  # where each database's checkpoints are (serve's `warm`)
_loaded: dict[tuple[str, str], object] = {}  # what was read from them (not saved again)


def _where(session: Session) -> str:
    bind = session.get_bind()
    return str(bind.engine.url)


def _restored(
    session: Session, kind: str, build: Callable[[checkpoint.Meta, checkpoint.Arrays], T]
) -> T | None:
    """What this database's checkpoint of `kind` holds, if there is one made from it."""
    directory = _checkpoints.get(_where(session))
    expected = checkpoint.identity(session) if directory is not None else None
    found = checkpoint.load(directory, kind, expected) if directory and expected else None
    if found is None:
        return None
    try:
        held = build(*found)
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("traffic checkpoint %s of %s unusable (%s); reading the tables",
                       kind, directory, error)  # fmt: skip
        return None
    _loaded[_where(session), kind] = held
    return held


def profiles(session: Session) -> Profiles:
    """Every stored profile, as columns (held until the table changes, then caught up)."""
    version, where = profile_version(session), _where(session)
    with _lock:
        held = _profiles.get(where)
    if held is not None and held.version == version:
        return held.people
    if held is None:
        held = _restored(session, PROFILES, profiles_of)
    if held is not None and held.version != version:
        held = held.caught_up(session, version)
    if held is None:
        held = load_profiles(session, version)
    with _lock:
        _profiles[where] = held
    return held.people


def request_log(session: Session, since: datetime, until: datetime) -> RequestLog:
    """The sampled requests logged in (since, until], oldest first.

    Kept in memory per database and followed incrementally: each call reads only the rows logged
    since the newest it holds (with an overlap of `LOG_OVERLAP`, since on PostgreSQL a row can
    commit after a newer one), so a forecast on a server receiving traffic does not read the whole
    window again. A process that holds nothing yet starts from the database's checkpoint, if any.
    Rows older than the table's oldest (retention) are dropped; a call reaching further back than
    what is held, or a table that no longer holds what was read (rows lost, another database at
    the same address), loads the window afresh."""
    where, start, end = _where(session), _micros(since), _micros(until)
    with _log_lock:
        held = _logs.get(where)
        restored = held is None
        if restored:
            held = _restored(session, LOG, log_of)
        if held is not None:
            held = without_deleted(session, held)
            if (
                held.since > start
                or not still_there(session, held, start)
                or (restored and not same_rows(session, held))
            ):
                if restored:
                    logger.info("traffic checkpoint of the log does not match the table: read")
                held = None
        if held is None:
            held = HeldLog(start, *read_log(session, start, None, set()))
        else:
            newest = int(held.us[-1]) if held.us.size else start
            recent = set(held.ids[held.us > newest - LOG_OVERLAP].tolist())
            held = held.extended(*read_log(session, newest - LOG_OVERLAP, None, recent))
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
CHECKPOINT_SECONDS = 300.0  # how often serve saves what it holds (when it changed)
_log_lock = threading.Lock()


def save_checkpoints(session: Session, directory: Path, saved: dict[str, object]) -> None:
    """Save what this process holds of the database as checkpoints, unless `saved` (what was
    saved last, by kind) shows it did not change since."""
    where, expected = _where(session), checkpoint.identity(session)
    if expected is None:
        return
    with _lock:
        people = _profiles.get(where)
    with _log_lock:
        log = _logs.get(where)
    for kind, held in ((LOG, log), (PROFILES, people)):
        if held is None or saved.get(kind) is held or _loaded.get((where, kind)) is held:
            continue
        meta: checkpoint.Meta = {"identity": expected, "rows": _rows(held)}
        meta |= (
            {"since": held.since} if isinstance(held, HeldLog) else {"version": list(held.version)}
        )
        try:
            checkpoint.save(directory, kind, meta, held.arrays())
        except ValueError as error:  # a text it cannot keep: the tables are read at start
            logger.info("no traffic checkpoint of the %s (%s)", kind, error)
        saved[kind] = held


def _rows(held: HeldLog | HeldProfiles) -> int:
    return int(held.ids.size) if isinstance(held, HeldLog) else held.people.size


class Follower(threading.Thread):
    """Reads the forecasts' window of the log and the profiles at start (from the checkpoint when
    there is one: see `request_log`); with a checkpoint directory, then keeps them current and
    saves them every `every` seconds, and once more when stopped."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, directory: Path | None, every: float
    ) -> None:
        super().__init__(name="traffic-log-warm", daemon=True)
        self.uow, self.clock, self.directory, self.every = uow, clock, directory, every
        self._halt = threading.Event()
        self._saved: dict[str, object] = {}

    def run(self) -> None:
        self.step(save=False)
        while self.directory is not None and not self._halt.wait(self.every):
            self.step(save=True)

    def step(self, *, save: bool) -> None:
        try:
            with self.uow() as unit:
                now = self.clock.now()
                request_log(unit.session, now - timedelta(days=WARM_DAYS), now)
                profiles(unit.session)
                if save and self.directory is not None:
                    save_checkpoints(unit.session, self.directory, self._saved)
        except Exception:  # a cold cache is only slower
            logger.exception("reading the traffic log failed")

    def stop(self) -> None:
        """Stop following; with a checkpoint directory, save what is held once more (after the
        intake's last write, the next start then has nothing newer to read)."""
        self._halt.set()
        if self.directory is None:
            return
        if self.is_alive():
            self.join(timeout=30)
        self.step(save=True)


def use_checkpoints(uow: UnitOfWorkFactory, directory: Path | None) -> None:
    """Start this database's reads from the checkpoints in `directory` (what `warm` does; None:
    from the tables)."""
    if directory is None:
        _checkpoints.pop(str(uow.engine.url), None)
    else:
        _checkpoints[str(uow.engine.url)] = directory


def warm(
    uow: UnitOfWorkFactory,
    clock: Clock,
    checkpoints: Path | None = None,
    every: float = CHECKPOINT_SECONDS,
) -> Follower:
    """Read the forecasts' window of the log and the profiles in the background, so the first
    forecast a server answers does not pay for reading them (seconds per million rows without a
    checkpoint); `checkpoints`: the directory they are saved to and started from."""
    if checkpoints is not None:
        use_checkpoints(uow, checkpoints)
    follower = Follower(uow, clock, checkpoints, every)
    follower.start()
    return follower


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
