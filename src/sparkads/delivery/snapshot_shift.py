"""Where the ad groups of a snapshot go in the next one, after a delta (pure).

A delta removes a few ad groups (those a change touched) and places a few (those compiled again,
in creation order among the others); every other ad group keeps its entry and its order. `Shift`
names both sets of positions, and from them carries what is per position (lists, NumPy columns,
bitsets) over to the new snapshot in C-speed slices and gathers plus a Python step per change,
so that applying a delta costs in proportion to the change, not to the number of ad groups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.intp]
T = TypeVar("T")
A = TypeVar("A", bound=np.generic)


@dataclass(frozen=True)
class Shift:
    """`removed`: positions in the old snapshot of the ad groups taken out (ascending);
    `fresh`: positions in the new one of the ad groups placed (ascending)."""

    old_size: int
    size: int
    removed: tuple[int, ...]
    fresh: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.old_size - len(self.removed) + len(self.fresh) != self.size:
            raise ValueError("a shift keeps every ad group it does not remove")

    @property
    def kept_old(self) -> Ints:
        """Old positions of the ad groups carried over, ascending."""
        return np.delete(np.arange(self.old_size, dtype=np.intp), list(self.removed))

    @property
    def kept_new(self) -> Ints:
        """Their new positions, in the same order."""
        return np.delete(np.arange(self.size, dtype=np.intp), list(self.fresh))

    def new_of_old(self) -> Ints:
        """Per old position, its new position (-1: removed)."""
        mapping = np.full(self.old_size, -1, dtype=np.intp)
        mapping[self.kept_old] = self.kept_new
        return mapping

    def apply(self, old: Sequence[T], fresh: Sequence[T]) -> list[T]:
        """`old` without the removed items, with `fresh` (one per placed position, in order)."""
        kept: list[T] = []
        start = 0
        for position in self.removed:
            kept += old[start:position]
            start = position + 1
        kept += old[start:]
        result: list[T] = []
        start = 0
        for position, item in zip(self.fresh, fresh, strict=True):
            stop = position - len(result) + start
            result += kept[start:stop]
            result.append(item)
            start = stop
        result += kept[start:]
        return result

    def gather(self, old: npt.NDArray[A], fresh: npt.NDArray[A]) -> npt.NDArray[A]:
        """A per-position column: the kept values moved, the placed ones from `fresh`."""
        result = np.empty((self.size, *old.shape[1:]), dtype=old.dtype)
        result[self.kept_new] = old[self.kept_old]
        result[list(self.fresh)] = fresh
        return result

    def runs(self) -> list[tuple[int, int, int]]:
        """(old position, new position, length) of each stretch of ad groups carried over."""
        old, new = self.kept_old, self.kept_new
        if not old.size:
            return []
        breaks = np.flatnonzero((np.diff(old) != 1) | (np.diff(new) != 1)) + 1
        starts = np.concatenate([[0], breaks])
        lengths = np.diff(np.concatenate([starts, [old.size]]))
        return list(zip(old[starts].tolist(), new[starts].tolist(), lengths.tolist(), strict=True))

    def mover(self) -> Callable[[int], int]:
        """A function moving a bitset over old positions to the new ones (placed bits clear)."""
        moves = [(old, new, (1 << length) - 1) for old, new, length in self.runs()]

        def move(bitset: int) -> int:
            moved = 0
            for old, new, mask in moves:
                moved |= ((bitset >> old) & mask) << new
            return moved

        return move


MOVED_STRETCHES = 64  # above this many stretches of carried ad groups, bitsets are built anew
