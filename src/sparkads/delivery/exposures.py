"""Exposures per (viewer, ad group) for frequency caps, in a few dozen bytes per pair, forgotten
without a sweep (`MemoryCounters` keeps them here).

A pair is a 64-bit hash of (viewer, ad group) (`pair_key`; two pairs that collide, a chance of
about 3 in 10^8 among a million pairs, share their count: a cap may then stop an ad early, never
let it exceed). Time is cut into *generations* of `SPAN` seconds; each has its own open-addressing table
(`array` of 64-bit keys, linear probing) with `INLINE` exposure times per slot, as 16-bit ticks of
1/`TICKS` s from the generation's start (0 = empty); a pair with more exposures in one generation
keeps the rest in a small dict. A slot is 14 bytes, and tables are 47–70 % full (a new one is
sized from the previous generation's count, so it rarely grows), hence 20–30 bytes per pair and
generation.

A generation is dropped whole once its last instant is older than the longest `keep` recorded in
it: forgetting costs one dict deletion per generation, whatever the number of pairs, instead of
a sweep over every pair under the decision lock. Counting exposures `since` an instant probes the
generations that end after it (a 1-day cap window: 5 of them); a window's edge is rounded to
1/`TICKS` s in the cap's favour (an exposure that close before it may still count).
"""

from __future__ import annotations

from array import array

import numpy as np

SPAN = 6 * 3_600.0  # seconds per generation
TICKS = 3  # stamps per second within a generation: SPAN * TICKS + 1 must fit in 16 bits
INLINE = 3  # exposure times kept in the slot itself
LOAD = 0.7  # a table grows past this share of its slots...
GROWTH = 1.5  # ...to this many times its slots
FILL = 0.55  # a new table is sized for the previous generation's pairs at this share
SPILL = 64  # slots past the end, so linear probing never wraps around (the last stays empty)
SMALLEST = 1_024  # slots of a new table at least
_MASK64 = (1 << 64) - 1
assert SPAN * TICKS + 1 < 2**16  # ticks are 16-bit
assert INLINE == 3  # `count_from` reads three


def pair_key(viewer_id: str, adgroup_id: str) -> int:
    """A non-zero 64-bit key for the pair (this process's string hashes: the store is local)."""
    return (hash((viewer_id, adgroup_id)) & _MASK64) or 1


class _Generation:
    __slots__ = ("count", "end", "extra", "index", "keep", "keys", "slots", "stamps", "start")

    def __init__(self, index: int, slots: int) -> None:
        self.index = index
        self.start = index * SPAN
        self.end = self.start + SPAN
        self.keep = 0.0  # the longest keep of the exposures recorded in it
        self.count = 0
        self.slots = slots
        self.keys = array("Q", bytes(8 * (slots + SPILL)))
        self.stamps = array("H", bytes(2 * INLINE * (slots + SPILL)))
        self.extra: dict[int, list[int]] = {}  # slot -> stamps past the first INLINE

    def add(self, key: int, tick: int) -> None:
        keys, at, last = self.keys, key % self.slots, len(self.keys) - 1
        while True:
            found = keys[at]
            if found == key:
                break
            if found == 0:
                if at == last:  # the last slot stays empty, so probing stops without a bound
                    self._grow()
                    self.add(key, tick)
                    return
                keys[at] = key
                self.count += 1
                break
            at += 1
        stamps, base = self.stamps, at * INLINE
        for n in range(base, base + INLINE):
            if stamps[n] == 0:
                stamps[n] = tick
                break
        else:
            self.extra.setdefault(at, []).append(tick)
        if self.count > LOAD * self.slots:
            self._grow()

    def count_from(self, key: int, tick: int) -> int:
        """Exposures of `key` at or after `tick` (1 = the generation's start)."""
        keys, at = self.keys, key % self.slots
        while True:
            found = keys[at]
            if found == key:
                break
            if found == 0:
                return 0
            at += 1
        stamps, base = self.stamps, at * INLINE  # INLINE == 3; empty stamps (0) never count
        counted = (stamps[base] >= tick) + (stamps[base + 1] >= tick) + (stamps[base + 2] >= tick)
        more = self.extra.get(at)
        return counted + (sum(1 for stamp in more if stamp >= tick) if more else 0)

    def _grow(self) -> None:
        """`GROWTH` times the slots, placed at once with NumPy (no Python loop over the pairs): keys in
        order of their new home slot, each at its home or right after the previous one, which is
        what inserting them one by one with linear probing gives."""
        slots = int(self.slots * GROWTH)
        keys = np.frombuffer(self.keys, dtype=np.uint64)
        used = np.flatnonzero(keys)
        while True:
            home = (keys[used] % np.uint64(slots)).astype(np.intp)
            order = np.argsort(home, kind="stable")
            steps = np.arange(used.size, dtype=np.intp)
            placed = np.maximum.accumulate(home[order] - steps) + steps
            if not placed.size or int(placed[-1]) < slots + SPILL - 1:
                break
            slots = int(slots * GROWTH)
        moved = used[order]
        new_keys = np.zeros(slots + SPILL, dtype=np.uint64)
        new_keys[placed] = keys[moved]
        old_stamps = np.frombuffer(self.stamps, dtype=np.uint16).reshape(-1, INLINE)
        new_stamps = np.zeros((slots + SPILL, INLINE), dtype=np.uint16)
        new_stamps[placed] = old_stamps[moved]
        if self.extra:
            where = dict(zip(moved.tolist(), placed.tolist(), strict=True))
            self.extra = {where[slot]: more for slot, more in self.extra.items()}
        self.keys = array("Q", new_keys.tobytes())
        self.stamps = array("H", new_stamps.tobytes())
        self.slots = slots

    def nbytes(self) -> int:
        return len(self.keys) * 8 + len(self.stamps) * 2


class ExposureStore:
    """Exposure times per (viewer, ad group) pair, by generation (see the module docstring). Not
    thread-safe: `MemoryCounters` calls it under its lock."""

    def __init__(self) -> None:
        self._generations: dict[int, _Generation] = {}
        self._latest = float("-inf")  # the latest exposure recorded
        self._next_drop = float("inf")  # when the oldest generation may go
        self._last_count = (
            0  # pairs of the last generation dropped: sizes a new one if none is left
        )

    def record(self, viewer_id: str, adgroup_id: str, at: float, keep: float) -> None:
        index = int(at // SPAN)
        generation = self._generations.get(index)
        if generation is None:
            generation = self._generations[index] = _Generation(index, self._slots_for_new())
        generation.keep = max(generation.keep, keep)
        self._next_drop = min(self._next_drop, generation.end + generation.keep)
        tick = int((at - generation.start) * TICKS) + 1
        generation.add(pair_key(viewer_id, adgroup_id), tick)
        if at > self._latest:
            self._latest = at
            if at >= self._next_drop:
                self._drop_expired()

    def count(self, viewer_id: str, adgroup_id: str, since: float) -> int:
        """Exposures of the pair at or after `since` that are still kept."""
        key = pair_key(viewer_id, adgroup_id)
        total, latest = 0, self._latest
        for generation in self._generations.values():
            if generation.end <= since:
                continue
            # what a generation keeps counts while younger than its keep (`_drop_expired` lets
            # the whole generation go once its last instant is older)
            start = latest - generation.keep
            if since > start:
                start = since
            if start <= generation.start:
                total += generation.count_from(key, 1)
            else:
                total += generation.count_from(key, int((start - generation.start) * TICKS) + 1)
        return total

    def _slots_for_new(self) -> int:
        newest = max(self._generations.values(), key=lambda g: g.index, default=None)
        expected = max(self._last_count, newest.count if newest is not None else 0)
        return max(SMALLEST, int(expected / FILL))

    def _drop_expired(self) -> None:
        """Generations whose last instant is older than their keep go whole: one dict deletion
        each, nothing per pair."""
        for index, generation in list(self._generations.items()):
            if generation.end + generation.keep <= self._latest:
                self._last_count = generation.count
                del self._generations[index]
        self._next_drop = min(
            (g.end + g.keep for g in self._generations.values()), default=float("inf")
        )

    def generations(self) -> int:
        return len(self._generations)

    def nbytes(self) -> int:
        """Bytes of the tables (the overflow dicts left out: `tracemalloc` measures everything)."""
        return sum(g.nbytes() for g in self._generations.values())
