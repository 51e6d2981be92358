"""Profiles read from the table merged into those held in key order (`held.HeldProfiles`), with
NumPy: the held keys are kept as a bytewise sorted bytes array, each read key is found in them by
binary search, a known one's row replaced and a new one's inserted. The key texts a million
profiles would need are made only when asked for (`key_list`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from sparkads.traffic.columns import PER_VIEWER, ViewerColumns, concat

G = TypeVar("G", bound=np.generic)


class Read(NamedTuple):
    """Profiles read from the table, in key order: keys, last seen (µs), requests, columns."""

    keys: list[str]
    us: NDArray[np.int64]
    requests: NDArray[np.int64]
    columns: ViewerColumns


def joined(a: Read, b: Read) -> Read:
    """Two reads of different rows as one, in key order."""
    keys = a.keys + b.keys
    order = np.array(sorted(range(len(keys)), key=keys.__getitem__), np.intp)
    return Read(
        [keys[i] for i in order.tolist()], np.concatenate([a.us, b.us])[order],
        np.concatenate([a.requests, b.requests])[order], concat([a.columns, b.columns]).take(order),
    )  # fmt: skip


def sorted_bytes(keys: list[str]) -> NDArray[np.bytes_] | None:
    """The keys as a bytes array if they are ASCII and strictly increasing as bytes (what
    merging by binary search needs), else None."""
    try:
        array = np.array(keys, np.bytes_) if keys else np.zeros(0, "S32")
    except UnicodeEncodeError:
        return None
    if array.size > 1 and not np.all(array[1:] > array[:-1]):
        return None
    return array


def decoded(keys: NDArray[np.bytes_]) -> list[str]:
    names: list[str] = keys.astype(str).tolist()
    return names


class Merge:
    """Where the rows of `new` (sorted keys) go among those of `old` (sorted keys)."""

    def __init__(self, old: NDArray[np.bytes_], new: NDArray[np.bytes_]) -> None:
        at = np.searchsorted(old, new)
        known = at < old.size
        known[known] = old[at[known]] == new[known]
        self.known, self.added, self.fresh = known, at[~known], np.flatnonzero(~known)
        self.replaced = at[known]  # the old rows of the known keys
        # where the known rows are once the new ones are inserted before them
        self.moved = self.replaced + np.searchsorted(self.added, self.replaced, "right")
        self.old, self.new = old, new

    @cached_property
    def keys(self) -> NDArray[np.bytes_]:
        return inserted(self.old, self.added, self.new[self.fresh])

    def total(self, old: NDArray[np.int64], new: NDArray[np.int64]) -> tuple[int, int]:
        """How many rows, and the sum of their values, `merged(old, new)` would give (at the
        cost of the rows read, not of the rows held)."""
        replaced = int(old[self.replaced].sum())
        return old.size + self.added.size, int(old.sum()) - replaced + int(new.sum())

    def merged(self, old: NDArray[G], new: NDArray[G]) -> NDArray[G]:
        out = inserted(old, self.added, new[self.fresh])
        out[self.moved] = new[self.known]
        return out

    def columns(self, old: ViewerColumns, new: ViewerColumns) -> ViewerColumns:
        return ViewerColumns(
            new.countries, new.regions, new.languages, new.interest_ids, new.interest_top,
            *(self.merged(getattr(old, n), getattr(new, n)) for n in PER_VIEWER),
        )  # fmt: skip

    def key_list(self, old: list[str] | None, new: list[str]) -> Callable[[], list[str]]:
        """What makes the merged key texts: `old`'s strings with the new ones spliced in, if the
        old texts were made (`old`), else decoded from the merged bytes."""
        if old is None:
            return partial(decoded, self.keys)
        added = [new[i] for i in self.fresh.tolist()]
        return partial(_spliced, old, self.added.tolist(), added)


def inserted(old: NDArray[G], at: NDArray[np.intp], rows: NDArray[G]) -> NDArray[G]:
    """`np.insert(old, at, rows, axis=0)`, each row moved as one opaque item: NumPy inserts into
    a 2-D or bytes array several times faster so (a million rows of 8 interests: 15 against
    55 ms)."""
    row = np.dtype((np.void, old.itemsize * int(np.prod(old.shape[1:], dtype=np.int64))))
    flat = np.insert(
        np.ascontiguousarray(old).view(row).ravel(),
        at,
        np.ascontiguousarray(rows).view(row).ravel(),
    )
    out: NDArray[G] = flat.view(old.dtype).reshape(-1, *old.shape[1:])
    return out


def _spliced(old: list[str], positions: list[int], added: list[str]) -> list[str]:
    names, start = [], 0
    for position, key in zip(positions, added, strict=True):
        names += old[start:position]
        names.append(key)
        start = position
    names += old[start:]
    return names
