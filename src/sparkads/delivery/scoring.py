"""All candidates of one request checked and scored at once, on a snapshot's columns (pure apart
from the counters it reads and the random generator it draws from).

The same rules and the same numbers as the one-by-one path in `engine.py`, in the same order:
schedule and daypart, then device and audience rules (as bitsets), then one tie-break draw per
valid ad of each eligible ad group in snapshot order, then each ad's eCPM. The engine then walks
the ad groups from the highest eCPM down (`Scored.ranked`) and turns only the few it reaches into
`auction.Bidder`s; the others are counted as outbid or below the reserve by whole arrays.

An ad's eCPM changes only when its statistics do, so it is kept per snapshot and counters
(`Estimates`) and recomputed for the ads whose statistics changed since the last request (with the
scalar `auction` functions when they are few, with NumPy when they are many).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from sparkads.delivery import auction
from sparkads.delivery.columns import (
    KIND_CONVERSION,
    KIND_IMPRESSION,
    AdColumns,
    Bools,
    Floats,
    Ints,
    Live,
    LocalTime,
    SnapshotColumns,
)
from sparkads.delivery.counters import Counters, Rows
from sparkads.delivery.model import GroupEntry, Snapshot, Viewer
from sparkads.delivery.reasons import NotServed
from sparkads.delivery.targeting import bits

RANK_CHUNK = 8  # ads ranked per step of the walk: it rarely needs more than slots + 1 groups
FEW_BITS = 8  # below this many set bits, reading them one by one beats NumPy's fixed cost
FEW_CHANGES = 16  # below this many changed ads, the scalar auction functions beat NumPy
_TWO_POW_26 = 67_108_864.0
_TWO_POW_MINUS_53 = 1.0 / 9_007_199_254_740_992.0


def positions(mask: int, size: int) -> Ints:
    """Positions of the set bits of a bitset over `size` ad groups, ascending."""
    if mask.bit_count() < FEW_BITS:
        return np.fromiter(bits(mask), dtype=np.intp)
    return flags(mask, size).nonzero()[0]


def flags(mask: int, size: int) -> Bools:
    """A bitset over `size` ad groups as one flag per position."""
    packed = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return np.unpackbits(packed, count=size, bitorder="little").view(np.bool_)


def uniforms(rng: random.Random, count: int) -> Floats:
    """The next `count` values of `rng.random()`, drawn in one call.

    CPython's `random()` is (a >> 5, b >> 6) of two successive 32-bit outputs of the Mersenne
    Twister, and `getrandbits(64 n)` returns 2 n successive outputs, first in the lowest bits: the
    arithmetic below is the C code's, so the values and the generator's state afterwards are the
    ones `count` calls to `rng.random()` give (tested). A generator whose methods are overridden
    is called once per value."""
    cls = type(rng)
    if cls.random is not random.Random.random or cls.getrandbits is not random.Random.getrandbits:
        return np.fromiter((rng.random() for _ in range(count)), np.float64, count)
    if count == 0:
        return np.empty(0, dtype=np.float64)
    words = np.frombuffer(rng.getrandbits(64 * count).to_bytes(8 * count, "little"), "<u4")
    high, low = words[0::2] >> 5, words[1::2] >> 6
    result: Floats = (high * _TWO_POW_26 + low) * _TWO_POW_MINUS_53
    return result


@dataclass(frozen=True)
class Early:
    """Candidates that cannot bid (positions, ascending), by reason, and those that can."""

    schedule: Ints
    targeting: Ints
    authorization_expired: Ints
    bidding: Ints


@dataclass
class Scored:
    """One request's bidding ad groups (`bidding`, ascending positions, with their best eCPM) and
    their valid ads (`ad`, `group`, ...), plus the bitsets counted for the early reasons."""

    early: Early
    bidding: Ints
    best: Floats
    ad: Ints  # index in the ad columns
    ecpm: Floats
    tiebreak: Floats
    ad_group: Ints  # per ad of the snapshot: its group position (gathered only for the walk)
    ad_slot: Ints  # per ad of the snapshot: its index in the group's `ads`
    ad_p_event: Floats  # per ad of the snapshot

    def ranked(self, snapshot: Snapshot, reserve: float) -> Iterator[tuple[int, auction.Bidder]]:
        """(position, bidder) of each ad group at or above the reserve, best eCPM first, ties by
        tie-break: the one-by-one engine's order. Works on a chunk of the best ads at a time, so
        a request builds only the few bidders its walk reaches."""
        pending = np.flatnonzero(self.ecpm >= reserve)
        seen: set[int] = set()
        while pending.size:
            values = self.ecpm[pending]
            cut = max(0, pending.size - RANK_CHUNK)
            threshold = np.partition(values, cut)[cut]
            above = values >= threshold
            chunk, pending = pending[above], pending[~above]
            # every group with an ad in the chunk has its best ad there: that ad's eCPM is at
            # least the threshold, and all ads at or above it are in the chunk
            best: dict[int, tuple[float, float, int]] = {}
            for i, g, e, t in zip(
                chunk.tolist(),
                self.ad_group[self.ad[chunk]].tolist(),
                self.ecpm[chunk].tolist(),
                self.tiebreak[chunk].tolist(),
                strict=True,
            ):
                if g not in seen and (g not in best or (e, t) > best[g][:2]):
                    best[g] = (e, t, i)
            seen.update(best)
            for g, (e, t, i) in sorted(best.items(), key=lambda item: (-item[1][0], item[1][1])):
                group = snapshot.groups[g]
                n = int(self.ad[i])
                ad = group.ads[int(self.ad_slot[n])]
                yield g, auction.Bidder(group, ad, float(self.ad_p_event[n]), e, t)

    def count_reasons(
        self, counters: Counters, rows: Rows, settled: list[int], reserve: float
    ) -> None:
        """One reason for every candidate ad group, except the `settled` ones (the walk counted
        them: served, or stopped by a cap, budget or pacing)."""
        outbid = self.best >= reserve
        outbid[np.searchsorted(self.bidding, settled)] = False
        early = self.early
        for reason, at in (
            (NotServed.SCHEDULE, early.schedule),
            (NotServed.TARGETING, early.targeting),
            (NotServed.AUTHORIZATION_EXPIRED, early.authorization_expired),
            (NotServed.OUTBID, self.bidding[outbid]),
            (NotServed.BELOW_RESERVE, self.bidding[self.best < reserve]),
        ):
            if at.size:
                counters.count_reasons(rows[at], reason)


@dataclass
class Estimates:
    """Per ad of one snapshot, with one counters: p(billed event) and eCPM from its statistics,
    kept current by `refresh`; and the counters' rows of the snapshot's ad groups and ads.

    Kept with the snapshot's columns, keyed weakly by the counters: it refers to neither, so an
    old snapshot is freed as soon as it is replaced, without waiting for the cyclic GC."""

    groups: tuple[GroupEntry, ...]
    ads: AdColumns
    reason_rows: Rows  # per group position
    stat_rows: Rows  # per ad
    ad_of_row: Ints  # per row of the counters' statistics (-1: not in this snapshot)
    reserve: float = float("nan")
    version: int = -1
    p_event: Floats = field(default_factory=lambda: np.empty(0))
    ecpm: Floats = field(default_factory=lambda: np.empty(0))
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, snapshot: Snapshot, columns: SnapshotColumns, counters: Counters) -> Estimates:
        ad_ids = columns.ads.ad_ids
        real = np.array([n for n, ad_id in enumerate(ad_ids) if ad_id is not None], dtype=np.intp)
        stat_rows = np.zeros(len(ad_ids), dtype=np.intp)
        stat_rows[real] = counters.ad_stat_rows([str(ad_ids[n]) for n in real.tolist()])
        ad_of_row = np.full(int(stat_rows.max(initial=0)) + 1, -1, dtype=np.intp)
        ad_of_row[stat_rows[real]] = real
        reason_rows = counters.reason_rows(columns.adgroup_ids)
        return cls(snapshot.groups, columns.ads, reason_rows, stat_rows, ad_of_row)

    def refresh(self, counters: Counters, reserve: float) -> None:
        """Bring every ad's estimate up to the counters' statistics (and this reserve)."""
        with self.lock:
            version, changed = counters.stat_changes(self.version)
            if reserve != self.reserve or changed is None:
                every = np.arange(self.stat_rows.size)
                self.p_event, self.ecpm = self._vectorised(counters, every, reserve)
            elif changed.size:
                ads = self.ad_of_row[changed[changed < self.ad_of_row.size]]
                self._update(counters, np.unique(ads[ads >= 0]), reserve)
            self.version, self.reserve = version, reserve

    def _update(self, counters: Counters, ads: Ints, reserve: float) -> None:
        if ads.size >= FEW_CHANGES:
            self.p_event[ads], self.ecpm[ads] = self._vectorised(counters, ads, reserve)
            return
        for ad_index, position, slot in zip(
            ads.tolist(), self.ads.group[ads].tolist(), self.ads.slot[ads].tolist(), strict=True
        ):
            group = self.groups[position]
            ad = group.ads[slot]
            p_event = auction.p_billed_event(group, ad, counters.ad_stats(ad.ad_id))
            self.p_event[ad_index] = p_event
            self.ecpm[ad_index] = auction.ecpm(group, p_event, reserve)

    def _vectorised(self, counters: Counters, ads: Ints, reserve: float) -> tuple[Floats, Floats]:
        """auction.p_billed_event and auction.ecpm for many ads: the same operations in the same
        order, so the same floats (tested)."""
        c, rows, table = self.ads, self.stat_rows[ads], counters.stats_table()
        kind = c.kind[ads]
        # p_ctr, p_view, p_follow: (events + prior × 1,000) / (impressions + 1,000)
        p_event = (table[rows, c.event_column[ads]] + c.event_prior[ads]) / (
            table[rows, 0] + auction.PRIOR_IMPRESSIONS
        )
        converting = kind == KIND_CONVERSION
        if converting.any():
            p_cvr = (table[rows, 2] + c.cvr_prior[ads]) / (table[rows, 1] + auction.PRIOR_CLICKS)
            p_event = np.where(converting, p_event * p_cvr, p_event)
        p_event = np.where(kind == KIND_IMPRESSION, 1.0, p_event)
        ecpm = ((c.bid[ads] * p_event) * 1_000.0) * c.eur_rate[ads]
        lowest_cost = reserve * auction.LOWEST_COST_RESERVE_MULTIPLE
        fixed_ecpm = np.where(np.isnan(c.fixed_ecpm[ads]), lowest_cost, c.fixed_ecpm[ads])
        return p_event, np.where(c.fixed[ads], fixed_ecpm, ecpm)


def estimates(snapshot: Snapshot, columns: SnapshotColumns, counters: Counters) -> Estimates:
    """The snapshot's estimates for these counters, built on first use."""
    return columns.attached(counters, lambda c: Estimates.build(snapshot, columns, c))


def score(
    columns: SnapshotColumns,
    known: Estimates,
    counters: Counters,
    viewer: Viewer,
    audiences: frozenset[str],
    candidates: int,
    now: float,
    local: LocalTime,
    rng: random.Random,
    reserve: float,
) -> Scored:
    known.refresh(counters, reserve)
    live = columns.live(now, local)
    early = _early(columns, live, viewer, audiences, candidates)
    bidding = early.bidding
    ads, starts = _valid_ads(live, bidding)
    tiebreak = uniforms(rng, ads.size)  # before anything else draws: the one-by-one order
    ecpm = known.ecpm[ads]
    return Scored(
        early=early,
        bidding=bidding,
        best=ecpm if starts is None else np.maximum.reduceat(ecpm, starts),
        ad=ads,
        ecpm=ecpm,
        tiebreak=tiebreak,
        ad_group=columns.ads.group,
        ad_slot=columns.ads.slot,
        ad_p_event=known.p_event,
    )


def _early(
    columns: SnapshotColumns, live: Live, viewer: Viewer, audiences: frozenset[str], mask: int
) -> Early:
    """engine._ineligible and the authorization check, for every candidate: the candidates'
    positions are read out of the bitset once, then each test is a gather of flags."""
    candidates = positions(mask, columns.size)
    in_time = live.in_schedule[candidates]
    refusing = columns.rules.refusing(viewer, audiences) & mask
    if refusing:
        refused = flags(refusing, columns.size)[candidates]
        eligible = in_time & ~refused
        targeting = candidates[in_time & refused]
    else:
        eligible, targeting = in_time, candidates[:0]
    expired = live.no_valid[candidates]
    return Early(
        schedule=candidates[~in_time],
        targeting=targeting,
        authorization_expired=candidates[eligible & expired],
        bidding=candidates[eligible & ~expired],
    )


def _valid_ads(live: Live, bidding: Ints) -> tuple[Ints, Ints | None]:
    """The valid ads of these ad groups in snapshot order, and where each group's ads start
    (None: one ad each)."""
    first, count = live.first_valid[bidding], live.valid_count[bidding]
    if not count.size or int(count.max()) == 1:
        return live.valid_ads[first], None
    starts = np.cumsum(count) - count
    spread = np.arange(int(count.sum()), dtype=np.intp) + np.repeat(first - starts, count)
    return live.valid_ads[spread], starts
