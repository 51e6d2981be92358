"""The traffic log as `traffic.store` holds it in memory (`HeldLog`): read from the table a column
at a time, extended with the rows logged since, checked against the table, and saved to or
restored from a columnar checkpoint (`traffic.checkpoint`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property, partial
from operator import itemgetter
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sparkads.clock import as_utc
from sparkads.db.dialect import epoch_micros_of
from sparkads.traffic import checkpoint
from sparkads.traffic.attributes import encode_packed
from sparkads.traffic.columns import PER_VIEWER, ViewerColumns, concat, empty
from sparkads.traffic.models import TrafficRequest, ViewerProfile

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
G = TypeVar("G", bound=np.generic)


def micros(moment: datetime) -> int:
    """An instant as whole microseconds since 1970 (exact, unlike a float timestamp)."""
    return (as_utc(moment) - EPOCH) // timedelta(microseconds=1)


def utc(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True, eq=False)
class HeldLog:
    since: int  # microseconds since 1970, as `us`
    ids: NDArray[np.int64]
    keys: list[str]
    columns: ViewerColumns
    us: NDArray[np.int64]  # when each request was logged, exactly (microseconds since 1970)
    weight: NDArray[np.float64]
    won: list[str]

    def extended(self, *more: Any) -> HeldLog:
        ids, keys, columns, us, weight, won = more
        if not ids.size:
            return self
        merged = HeldLog(
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

    def rows(self, order: NDArray[np.intp]) -> HeldLog:
        picked = order.tolist()
        return HeldLog(
            self.since, self.ids[order], [self.keys[i] for i in picked], self.columns.take(order),
            self.us[order], self.weight[order], [self.won[i] for i in picked],
        )  # fmt: skip

    def from_(self, start: int) -> HeldLog:
        """Without the rows before `start` (a later call may only ask for newer windows)."""
        first = int(np.searchsorted(self.us, start, "right"))
        if first == 0:
            return self
        return HeldLog(
            start, self.ids[first:], self.keys[first:],
            self.columns.part(first, self.us.size), self.us[first:],
            self.weight[first:], self.won[first:],
        )  # fmt: skip

    def arrays(self) -> checkpoint.Arrays:
        """What a checkpoint keeps of it (ValueError if a text cannot be kept)."""
        return {
            "ids": self.ids, "us": self.us, "weight": self.weight,
            "keys": checkpoint.texts(self.keys), "won": checkpoint.texts(self.won),
            **checkpoint.column_arrays(self.columns),
        }  # fmt: skip


def log_of(meta: checkpoint.Meta, arrays: checkpoint.Arrays) -> HeldLog:
    """A log saved by `HeldLog.arrays` (ValueError, KeyError or TypeError if it is not whole)."""
    since, count = meta["since"], meta["rows"]
    if not isinstance(since, int) or not isinstance(count, int):
        raise ValueError("no window in the checkpoint")
    ids, us, weight = arrays["ids"], arrays["us"], arrays["weight"]
    for name, array, dtype in (("ids", ids, np.int64), ("us", us, np.int64),
                               ("weight", weight, np.float64)):  # fmt: skip
        if array.dtype != dtype or array.shape != (count,):
            raise ValueError(f"{name}: {array.dtype}{array.shape}")
    return HeldLog(
        since, np.asarray(ids, np.int64), checkpoint.texts_of(arrays["keys"], count),
        checkpoint.columns_of(arrays, count), np.asarray(us, np.int64),
        np.asarray(weight, np.float64), checkpoint.texts_of(arrays["won"], count),
    )  # fmt: skip


def without_deleted(session: Session, held: HeldLog) -> HeldLog:
    """Without the rows older than the table's oldest: retention deletes the log from its old
    end, so what it cut is dropped here rather than the window read again."""
    if not held.us.size:
        return held
    oldest = session.execute(select(func.min(TrafficRequest.occurred_at))).scalar()
    if oldest is None:
        return replace(held.from_(int(held.us[-1])), since=held.since)
    cut = micros(oldest)
    if held.us[0] >= cut:
        return held
    return replace(held.from_(cut - 1), since=held.since)


def still_there(session: Session, held: HeldLog, start: int) -> bool:
    """Whether the table still holds, from `start`, the rows held (a cheap count on the index)."""
    if not held.ids.size:
        return True
    top = int(held.ids.max())
    expected = int(np.count_nonzero(held.us > start))
    count = session.execute(
        select(func.count()).where(
            TrafficRequest.id <= top, TrafficRequest.occurred_at > utc(start)
        )
    ).scalar_one()
    return int(count) == expected


def same_rows(session: Session, held: HeldLog) -> bool:
    """Whether the first and last rows held are those rows of the table (same id, key, time)."""
    if not held.ids.size:
        return True
    log = TrafficRequest
    ends = {0, held.ids.size - 1}
    found = session.execute(
        select(log.id, log.viewer_key, epoch_micros_of(session, log.occurred_at)).where(
            log.id.in_([int(held.ids[i]) for i in ends])
        )
    ).all()
    held_rows = {(int(held.ids[i]), held.keys[i], int(held.us[i])) for i in ends}
    return {(int(i), k, int(u)) for i, k, u in found} == held_rows


def read_log(
    session: Session, after: int, until: int | None, skip: set[int]
) -> tuple[
    NDArray[np.int64], list[str], ViewerColumns, NDArray[np.int64], NDArray[np.float64], list[str]
]:
    log = TrafficRequest
    query = select(
        log.id, log.viewer_key, epoch_micros_of(session, log.occurred_at), log.sample_rate, log.won,
        log.attributes,
    ).where(log.occurred_at > utc(after))  # fmt: skip
    if until is not None:
        query = query.where(log.occurred_at <= utc(until))
    rows = session.connection().execute(query.order_by(log.occurred_at, log.id)).all()  # Core rows
    if skip:
        rows = [r for r in rows if r[0] not in skip]
    if not rows:
        return (np.zeros(0, np.int64), [], empty(), np.zeros(0, np.int64), np.zeros(0), [])
    cols = list(zip(*rows, strict=True))
    return (
        np.array(cols[0], np.int64),
        list(cols[1]),
        encode_packed(cols[5]),
        np.array(cols[2], np.int64),
        1.0 / np.maximum(np.array(cols[3], np.float64), 1e-9),
        list(cols[4]),
    )


@dataclass(frozen=True, eq=False)
class Profiles:
    """Every profile, in key order. The keys are made on first use (`key_list`): an estimate or a
    forecast without audiences never needs a million of them."""

    columns: ViewerColumns
    last_seen: NDArray[np.float64]  # epoch seconds
    key_list: Callable[[], list[str]]

    @cached_property
    def keys(self) -> list[str]:
        return self.key_list()

    @cached_property
    def row_of(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.keys)}

    @property
    def size(self) -> int:
        return int(self.last_seen.size)

    def seen_since(self, since: datetime) -> NDArray[np.bool_]:
        return np.asarray(self.last_seen >= since.timestamp(), np.bool_)

    def rows(self, keys: set[str] | frozenset[str]) -> NDArray[np.intp]:
        found = [self.row_of[k] for k in keys if k in self.row_of]
        return np.array(sorted(found), np.intp)

    def mask_of(self, keys: set[str] | frozenset[str]) -> NDArray[np.bool_]:
        mask = np.zeros(self.size, np.bool_)
        mask[self.rows(keys)] = True
        return mask


Version = tuple[int, int, int, int]  # profiles, newest and oldest last_seen (µs), requests
PROFILE_OVERLAP = 7_200_000_000  # µs re-read behind the newest last_seen held (see `caught_up`)


def profile_version(session: Session) -> Version:
    """A cheap query's answer that changes whenever the table does."""
    p = ViewerProfile
    count, newest, oldest, requests = session.execute(
        select(func.count(), func.max(p.last_seen), func.min(p.last_seen), func.sum(p.requests))
    ).one()
    return (int(count), micros(newest) if newest else 0, micros(oldest) if oldest else 0,
            int(requests or 0))  # fmt: skip


@dataclass(frozen=True, eq=False)
class HeldProfiles:
    version: Version
    people: Profiles
    us: NDArray[np.int64]  # last seen (µs)
    requests: NDArray[np.int64]
    sorted_keys: NDArray[np.bytes_] | None  # the keys as bytes, bytewise sorted (else None)

    def arrays(self) -> checkpoint.Arrays:
        if self.sorted_keys is None:
            raise ValueError("keys that are not sorted bytes")
        return {"keys": self.sorted_keys, "us": self.us, "requests": self.requests,
                **checkpoint.column_arrays(self.people.columns)}  # fmt: skip

    def caught_up(self, session: Session, version: Version) -> HeldProfiles | None:
        """These profiles with the rows written since (and without those retention deleted), if
        that gives the table's `version`; else None (read the table whole). A profile's row is
        written again with the time its viewer was last seen, which can be up to an hour (the
        intake's rewrite period) behind the newest: `PROFILE_OVERLAP` re-reads two hours."""
        if self.sorted_keys is None:
            return None
        keys, us, requests, columns = read_profiles(session, self.version[1] - PROFILE_OVERLAP)
        new_keys = _sorted_bytes(keys)
        if new_keys is None:
            return None
        old = self if not self.us.size or self.us.min() >= version[2] else self._from(version[2])
        old_keys = old.sorted_keys if old.sorted_keys is not None else new_keys[:0]
        at = np.searchsorted(old_keys, new_keys)
        known = at < old_keys.size
        known[known] = old_keys[at[known]] == new_keys[known]
        added, fresh = at[~known], np.flatnonzero(~known)
        # where the known rows are once the new ones are inserted before them
        moved = at[known] + np.searchsorted(added, at[known], "right")

        def merged(old: NDArray[G], new: NDArray[G]) -> NDArray[G]:
            out = np.insert(old, added, new[fresh], axis=0)
            out[moved] = new[known]
            return out

        us_all, requests_all = merged(old.us, us), merged(old.requests, requests)
        ends = (int(us_all.max()), int(us_all.min())) if us_all.size else (0, 0)
        if (us_all.size, *ends, int(requests_all.sum())) != version:
            return None
        names, start = [], 0  # the key list spliced (the known keys are the same strings)
        for position, index in zip(added.tolist(), fresh.tolist(), strict=True):
            names += old.people.keys[start:position]
            names.append(keys[index])
            start = position
        names += old.people.keys[start:]
        merged_columns = ViewerColumns(
            columns.countries, columns.regions, columns.languages, columns.interest_ids,
            columns.interest_top,
            *(merged(getattr(old.people.columns, n), getattr(columns, n)) for n in PER_VIEWER),
        )  # fmt: skip
        people = Profiles(merged_columns, us_all / 1e6, partial(list, names))
        keys_all = np.insert(old_keys, added, new_keys[fresh])
        return HeldProfiles(version, people, us_all, requests_all, keys_all)

    def _from(self, oldest: int) -> HeldProfiles:
        """Without the profiles last seen before `oldest` (deleted by retention)."""
        kept = np.flatnonzero(self.us >= oldest)
        people = self.people
        return HeldProfiles(
            self.version,
            Profiles(people.columns.take(kept), people.last_seen[kept],
                     partial(list, [people.keys[i] for i in kept.tolist()])),
            self.us[kept], self.requests[kept],
            None if self.sorted_keys is None else self.sorted_keys[kept],
        )  # fmt: skip


def _sorted_bytes(keys: list[str]) -> NDArray[np.bytes_] | None:
    """The keys as a bytes array if they are ASCII and strictly increasing as bytes (what
    merging by binary search needs), else None."""
    try:
        array = np.array(keys, np.bytes_) if keys else np.zeros(0, "S32")
    except UnicodeEncodeError:
        return None
    if array.size > 1 and not np.all(array[1:] > array[:-1]):
        return None
    return array


def read_profiles(
    session: Session, after: int | None
) -> tuple[list[str], NDArray[np.int64], NDArray[np.int64], ViewerColumns]:
    """Keys, last seen (µs), requests and columns of the profiles last seen after `after` (µs;
    None: all), in key order."""
    p = ViewerProfile
    query = select(p.viewer_key, epoch_micros_of(session, p.last_seen), p.requests, p.attributes)
    if after is None:
        rows = session.connection().execute(query.order_by(p.viewer_key)).all()  # Core rows
    else:  # sorted here: ordered by key, the database would walk every key for a few rows
        found = session.connection().execute(query.where(p.last_seen > utc(after))).all()
        rows = sorted(found, key=itemgetter(0))
    return (
        [r[0] for r in rows],
        np.array([r[1] for r in rows], np.int64),
        np.array([r[2] for r in rows], np.int64),
        encode_packed([r[3] for r in rows]),
    )


def load_profiles(session: Session, version: Version) -> HeldProfiles:
    keys, us, requests, columns = read_profiles(session, None)
    return HeldProfiles(version, Profiles(columns, us / 1e6, partial(list, keys)), us, requests,
                        _sorted_bytes(keys))  # fmt: skip


def profiles_of(meta: checkpoint.Meta, arrays: checkpoint.Arrays) -> HeldProfiles:
    """Profiles saved by `HeldProfiles.arrays` (ValueError, KeyError or TypeError if not whole)."""
    version, count = meta["version"], meta["rows"]
    if not isinstance(version, list) or len(version) != 4 or not isinstance(count, int):
        raise ValueError("no version in the checkpoint")
    keys, us, requests = arrays["keys"], arrays["us"], arrays["requests"]
    if keys.dtype.kind != "S" or keys.shape != (count,) or np.any(keys.view(np.uint8) > 127):
        raise ValueError(f"keys: {keys.dtype}{keys.shape}")
    for name, array in (("us", us), ("requests", requests)):
        if array.dtype != np.int64 or array.shape != (count,):
            raise ValueError(f"{name}: {array.dtype}{array.shape}")
    last_us = np.asarray(us, np.int64)
    names = np.asarray(keys, np.bytes_)
    people = Profiles(checkpoint.columns_of(arrays, count), last_us / 1e6, partial(_decoded, names))
    held_version = (int(version[0]), int(version[1]), int(version[2]), int(version[3]))
    return HeldProfiles(held_version, people, last_us, np.asarray(requests, np.int64), names)


def _decoded(keys: NDArray[np.bytes_]) -> list[str]:
    names: list[str] = keys.astype(str).tolist()
    return names
