"""The traffic log as `traffic.store` holds it in memory (`HeldLog`): read from the table a column
at a time, extended with the rows logged since, checked against the table, and saved to or
restored from a columnar checkpoint (`traffic.checkpoint`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property, partial
from operator import itemgetter
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import false, func, select
from sqlalchemy.orm import Session

from sparkads.clock import as_utc
from sparkads.db.dialect import epoch_micros_of
from sparkads.traffic import checkpoint
from sparkads.traffic.attributes import encode_packed
from sparkads.traffic.columns import ViewerColumns, concat, empty
from sparkads.traffic.key_merge import Merge, Read, decoded, joined, sorted_bytes
from sparkads.traffic.models import TrafficRequest, ViewerProfile

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


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
    """The log's rows logged after `after` and up to `until` (µs; None: no end) but those whose
    id is in `skip` (held already: only their ids are read, then the rows from the lowest id
    not held on)."""
    log = TrafficRequest
    where = [log.occurred_at > utc(after)]
    if until is not None:
        where.append(log.occurred_at <= utc(until))
    if skip:
        ids = session.connection().execute(select(log.id).where(*where)).scalars()
        new = [i for i in ids if i not in skip]
        where.append(log.id >= min(new) if new else false())
    query = select(
        log.id, log.viewer_key, epoch_micros_of(session, log.occurred_at), log.sample_rate, log.won,
        log.attributes,
    ).where(*where)  # fmt: skip
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

    def made_keys(self) -> list[str] | None:
        """The keys if they were made already (else None)."""
        return cast("list[str] | None", self.__dict__.get("keys"))

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
PROFILE_RECENT = 120_000_000  # µs read first behind it (`caught_up`)


def profile_version(session: Session) -> Version:
    """A cheap query's answer that changes whenever the table does (the newest and oldest in
    subqueries of their own, so that each is read from the index's end: asked beside the count,
    SQLite reads every row for them)."""
    p = ViewerProfile
    top, bottom = (select(f(p.last_seen)).scalar_subquery() for f in (func.max, func.min))
    count, newest, oldest, requests = session.execute(
        select(func.count(), top, bottom, func.sum(p.requests)).select_from(p)
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
        that gives the table's `version`; else None (read the table whole).

        A profile's row is written again with the time its viewer was last seen: within the
        intake's profile write period (30 s) of the write, or, for a returning viewer's last
        requests, up to an hour (its rewrite period) behind. So the rows last seen in the
        `PROFILE_RECENT` before the newest held are read first; if that does not give the
        table's version, the rest of `PROFILE_OVERLAP` too. Reading too little cannot pass the
        check: every write of a row adds at least one request to it (and only retention deletes
        rows, the oldest), so a row written since but not read leaves the requests or the count
        short of the table's."""
        keys = self.sorted_keys
        if keys is None:
            return None
        old = (
            self
            if not self.us.size or self.us.min() >= version[2]
            else self._from(version[2], keys)
        )
        recent = self.version[1] - PROFILE_RECENT
        first = read_profiles(session, recent)
        found = old._with(first, version)
        if found is None:  # a returning viewer's late rows: the rest of the overlap
            rest = read_profiles(session, self.version[1] - PROFILE_OVERLAP, recent)
            found = old._with(joined(first, rest), version)
        return found

    def _with(self, read: Read, version: Version) -> HeldProfiles | None:
        """These profiles with `read`'s rows put in, if that gives `version`."""
        new_keys, old_keys = sorted_bytes(read.keys), self.sorted_keys
        if new_keys is None or old_keys is None:
            return None
        merge = Merge(old_keys, new_keys)
        if merge.total(self.requests, read.requests) != (version[0], version[3]):
            return None  # known before merging a million rows
        us, requests = merge.merged(self.us, read.us), merge.merged(self.requests, read.requests)
        ends = (int(us.max()), int(us.min())) if us.size else (0, 0)
        if (us.size, *ends, int(requests.sum())) != version:
            return None
        key_list = merge.key_list(self.people.made_keys(), read.keys)
        people = Profiles(merge.columns(self.people.columns, read.columns), us / 1e6, key_list)
        return HeldProfiles(version, people, us, requests, merge.keys)

    def _from(self, oldest: int, keys: NDArray[np.bytes_]) -> HeldProfiles:
        """Without the profiles last seen before `oldest` (deleted by retention)."""
        kept, people = np.flatnonzero(self.us >= oldest), self.people
        made = people.made_keys()
        key_list = (partial(list, [made[i] for i in kept.tolist()]) if made is not None
                    else partial(decoded, keys[kept]))  # fmt: skip
        return HeldProfiles(
            self.version, Profiles(people.columns.take(kept), people.last_seen[kept], key_list),
            self.us[kept], self.requests[kept], keys[kept],
        )  # fmt: skip


def read_profiles(session: Session, after: int | None, until: int | None = None) -> Read:
    """Keys, last seen (µs), requests and columns of the profiles last seen after `after` (µs;
    None: all) and up to `until`, in key order."""
    p = ViewerProfile
    query = select(p.viewer_key, epoch_micros_of(session, p.last_seen), p.requests, p.attributes)
    if until is not None:
        query = query.where(p.last_seen <= utc(until))
    if after is None:
        rows = session.connection().execute(query.order_by(p.viewer_key)).all()  # Core rows
    else:  # sorted here: ordered by key, the database would walk every key for a few rows
        found = session.connection().execute(query.where(p.last_seen > utc(after))).all()
        rows = sorted(found, key=itemgetter(0))
    return Read(
        [r[0] for r in rows],
        np.array([r[1] for r in rows], np.int64),
        np.array([r[2] for r in rows], np.int64),
        encode_packed([r[3] for r in rows]),
    )


def load_profiles(session: Session, version: Version) -> HeldProfiles:
    keys, us, requests, columns = read_profiles(session, None)
    return HeldProfiles(version, Profiles(columns, us / 1e6, partial(list, keys)), us, requests,
                        sorted_bytes(keys))  # fmt: skip


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
    people = Profiles(checkpoint.columns_of(arrays, count), last_us / 1e6, partial(decoded, names))
    held_version = (int(version[0]), int(version[1]), int(version[2]), int(version[3]))
    return HeldProfiles(held_version, people, last_us, np.asarray(requests, np.int64), names)
