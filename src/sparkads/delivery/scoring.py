"""All candidates of one request checked and scored at once, on a snapshot's columns (pure apart
from the counters it reads).

The same rules and the same numbers as the one-by-one path in `engine.py`: schedule and daypart,
then device and audience rules (as bitsets), then each ad group's best valid ad by eCPM and
tie-break (`auction.tiebreak` of the request's seed and the ad's place, so nothing is drawn per ad).
The engine then walks the ad groups from the highest eCPM down (`Scored.ranked`) and computes
tie-breaks and `auction.Bidder`s only for the few it reaches; the others are counted as outbid
or below the reserve by whole arrays.

An ad's eCPM changes only when its statistics do, so it is kept per snapshot and counters
(`Estimates`) and recomputed for the ads whose statistics changed since the last request (with the
scalar `auction` functions when they are few, with NumPy when they are many); so is each ad
group's best eCPM among its ads valid in the current time window (`Estimates.bests`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
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


def tiebreaks(seed: int, groups: Ints, slots: Ints) -> Floats:
    """`auction.tiebreak(seed, auction.ad_key(group, slot))` for each ad: the same 64-bit
    arithmetic (NumPy's unsigned products wrap as the scalar code's masks do), hence the same
    floats (tested)."""
    keys = (groups.astype(np.uint64) << np.uint64(auction.SLOT_BITS)) | slots.astype(np.uint64)
    z = keys * np.uint64(auction.GOLDEN) + np.uint64(seed)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(auction.MIX1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(auction.MIX2)
    top: Floats = ((z ^ (z >> np.uint64(31))) >> np.uint64(11)).astype(np.float64)
    return top * _TWO_POW_MINUS_53


@dataclass(frozen=True)
class Early:
    """Candidates that cannot bid (positions, ascending), by reason, and those that can; and
    every candidate (the positions read out of the bitset, which the traffic log samples)."""

    schedule: Ints
    targeting: Ints
    authorization_expired: Ints
    bidding: Ints
    candidates: Ints


@dataclass
class Scored:
    """One request's bidding ad groups (`bidding`, ascending positions, with the eCPM of their
    best valid ad), plus the bitsets counted for the early reasons, and what ranking needs."""

    early: Early
    bidding: Ints
    best: Floats
    live: Live
    ads: AdColumns
    ecpm: Floats  # per ad of the snapshot (`Estimates`)
    p_event: Floats  # per ad of the snapshot
    seed: int  # this request's tie-breaks

    def ranked(self, snapshot: Snapshot, reserve: float) -> Iterator[tuple[int, auction.Bidder]]:
        """(position, bidder) of each ad group at or above the reserve, best eCPM first, ties by
        tie-break: the one-by-one engine's order. Works on a chunk of the best ad groups at a
        time (by their best eCPM, known before any tie-break is drawn), so a request draws
        tie-breaks and builds bidders only for the few ad groups its walk reaches."""
        reaching = self.best >= reserve
        pending, values = self.bidding[reaching], self.best[reaching]
        while pending.size:
            cut = max(0, pending.size - RANK_CHUNK)
            above = values >= np.partition(values, cut)[cut]
            chunk, pending, values = pending[above], pending[~above], values[~above]
            ads, _ = _valid_ads(self.live, chunk)  # every group's best ad is among them
            group, slot = self.ads.group[ads], self.ads.slot[ads]
            ecpm, tiebreak = self.ecpm[ads], tiebreaks(self.seed, group, slot)
            # each group's best ad (highest eCPM, then highest tie-break: engine._best_ad) ...
            order = np.lexsort((-tiebreak, -ecpm, group))
            firsts = np.ones(order.size, dtype=np.bool_)
            firsts[1:] = group[order[1:]] != group[order[:-1]]
            best = order[firsts]
            # ... then the groups by it: eCPM descending, ties by tie-break ascending
            for i in best[np.lexsort((tiebreak[best], -ecpm[best]))].tolist():
                n, g = int(ads[i]), int(group[i])
                entry = snapshot.groups[g]
                ad = entry.ads[int(slot[i])]
                p_event = float(self.p_event[n])
                yield g, auction.Bidder(entry, ad, p_event, float(ecpm[i]), float(tiebreak[i]))

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
    best_live: Live | None = None  # the window `best` was computed for
    best: Floats = field(default_factory=lambda: np.empty(0))  # per group: `group_best`
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def build(cls, snapshot: Snapshot, columns: SnapshotColumns, counters: Counters) -> Estimates:
        """The counters' rows of every ad and ad group; after a delta, those of the carried ones
        moved from the previous snapshot's estimates, if it is still alive."""
        ads = columns.ads
        origin = columns.origin
        previous = origin.previous() if origin is not None else None
        before = previous.attached_to(counters) if previous is not None else None
        if origin is not None and isinstance(before, Estimates):
            fresh_ads = [ads.ad_ids[n] for n in origin.ads.fresh]
            stat_rows = origin.ads.gather(before.stat_rows, _stat_rows(counters, fresh_ads))
            fresh_groups = [columns.adgroup_ids[p] for p in origin.groups.fresh]
            reason_rows = origin.groups.gather(
                before.reason_rows, counters.reason_rows(fresh_groups)
            )
        else:
            stat_rows = _stat_rows(counters, ads.ad_ids)
            reason_rows = counters.reason_rows(columns.adgroup_ids)
        real = np.flatnonzero(ads.slot >= 0)  # not the placeholder of a group without ads
        ad_of_row = np.full(int(stat_rows.max(initial=0)) + 1, -1, dtype=np.intp)
        ad_of_row[stat_rows[real]] = real
        return cls(snapshot.groups, ads, reason_rows, stat_rows, ad_of_row)

    def refresh(self, counters: Counters, reserve: float) -> None:
        """Bring every ad's estimate up to the counters' statistics (and this reserve)."""
        with self.lock:
            version, changed = counters.stat_changes(self.version)
            if reserve != self.reserve or changed is None:
                every = np.arange(self.stat_rows.size)
                self.p_event, self.ecpm = self._vectorised(counters, every, reserve)
                self.best_live = None
            elif changed.size:
                ads = self.ad_of_row[changed[changed < self.ad_of_row.size]]
                self._update(counters, np.unique(ads[ads >= 0]), reserve)
            self.version, self.reserve = version, reserve

    def bests(self, live: Live) -> Floats:
        """Per group position, the highest eCPM of its ads valid in `live` (-inf: none): kept
        for the window and updated with the estimates, so a request gathers it."""
        with self.lock:
            if self.best_live is not live:
                self.best = group_best(live, self.ecpm, np.arange(live.valid_count.size))
                self.best_live = live
            return self.best

    def _update(self, counters: Counters, ads: Ints, reserve: float) -> None:
        self._update_ads(counters, ads, reserve)
        if self.best_live is not None:
            groups = np.unique(self.ads.group[ads])
            self.best[groups] = group_best(self.best_live, self.ecpm, groups)

    def _update_ads(self, counters: Counters, ads: Ints, reserve: float) -> None:
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


def _stat_rows(counters: Counters, ad_ids: Sequence[str | None]) -> Ints:
    """The counters' statistics rows of these ads (0 for a placeholder: never read)."""
    rows = np.zeros(len(ad_ids), dtype=np.intp)
    real = [n for n, ad_id in enumerate(ad_ids) if ad_id is not None]
    rows[real] = counters.ad_stat_rows([str(ad_ids[n]) for n in real])
    return rows


def estimates(snapshot: Snapshot, columns: SnapshotColumns, counters: Counters) -> Estimates:
    """The snapshot's estimates for these counters, built on first use."""
    return columns.attached(counters, lambda c: Estimates.build(snapshot, columns, c))


def group_best(live: Live, ecpm: Floats, groups: Ints) -> Floats:
    """For these group positions, the highest `ecpm` of their ads valid in `live` (-inf: none)."""
    result = np.full(groups.size, -np.inf)
    having = live.valid_count[groups] > 0
    if having.any():
        ads, starts = _valid_ads(live, groups[having])
        values = ecpm[ads]
        result[having] = values if starts is None else np.maximum.reduceat(values, starts)
    return result


def score(
    columns: SnapshotColumns,
    known: Estimates,
    counters: Counters,
    viewer: Viewer,
    audiences: frozenset[str],
    candidates: int,
    now: float,
    local: LocalTime,
    reserve: float,
    seed: int,
) -> Scored:
    known.refresh(counters, reserve)
    live = columns.live(now, local)
    early = _early(columns, live, viewer, audiences, candidates)
    # a window that holds for this instant only (an odd offset, a time change) is not kept:
    # only this request's bidding groups are worth computing for it
    kept = live.holds(now)
    return Scored(
        early=early,
        bidding=early.bidding,
        best=known.bests(live)[early.bidding]
        if kept
        else group_best(live, known.ecpm, early.bidding),
        live=live,
        ads=columns.ads,
        ecpm=known.ecpm,
        p_event=known.p_event,
        seed=seed,
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
        candidates=candidates,
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
