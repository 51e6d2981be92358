"""A snapshot prepared for deciding on many candidates at once (pure).

Built once per snapshot (`columns_of`; `compile_snapshot` calls it so that requests never pay for
it), then only read:
- eligibility as bitsets over snapshot positions, like the targeting index: device and audience
  rules grouped by distinct value (a viewer's OS version is compared with each distinct minimum
  once, with Python's own comparison), and the time-dependent part (schedule, daypart,
  authorizations) as a `Live` window that holds until the next instant anything changes;
- per-ad NumPy columns for eCPM, with ads flattened in snapshot order (group by group, each group's
  ads in order): the order in which the one-by-one engine draws tie-breaks. The numbers are stored
  as the scalar code computes them (e.g. prior × 1,000 as one rounded product), so the vectorised
  eCPM is the scalar eCPM bit for bit.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from sparkads.delivery.auction import PRIOR_CLICKS, PRIOR_IMPRESSIONS
from sparkads.delivery.counters import Counters
from sparkads.delivery.model import GroupEntry, Snapshot, Viewer
from sparkads.delivery.snapshot_shift import Shift

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]
LocalTime = Callable[[ZoneInfo], datetime]
T = TypeVar("T")

# What one billed event is (auction.p_billed_event), and which statistic counts it
KIND_IMPRESSION, KIND_CLICK, KIND_VIEW, KIND_FOLLOW, KIND_CONVERSION = range(5)
EVENT_COLUMN = {KIND_IMPRESSION: 0, KIND_CLICK: 1, KIND_VIEW: 3, KIND_FOLLOW: 4, KIND_CONVERSION: 1}
DAYPART_SLOTS = 7 * 48
QUARTER_HOUR = 900.0  # every UTC offset in use is a multiple: local half hours start on these
ROUNDING = 1e-6  # datetime.fromtimestamp rounds to the microsecond


def billed_kind(group: GroupEntry) -> int:
    if group.billing == "CPM":
        return KIND_IMPRESSION
    if group.billing == "CPC":
        return KIND_CLICK
    if group.billing == "CPV":
        return KIND_VIEW
    if group.goal in ("FOLLOWERS", "PROFILE_VIEWS"):
        return KIND_FOLLOW
    return KIND_CONVERSION


def bools_to_bitset(flags: Bools) -> int:
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


@dataclass(frozen=True)
class Rules:
    """Device and audience rules (engine._ineligible's "targeting"), each distinct value once."""

    min_os: dict[str, tuple[tuple[tuple[int, ...], int], ...]]  # OS -> (minimum, groups)
    price_ranges: tuple[tuple[tuple[int, int], int], ...]  # (low, high), groups
    excluded_by: dict[str, int]  # audience -> groups excluding it

    def refusing(self, viewer: Viewer, audiences: frozenset[str]) -> int:
        """Bitset of the ad groups whose device or audience rules refuse this viewer."""
        refused = 0
        for minimum, groups in self.min_os.get(viewer.os or "", ()):
            if viewer.os_version < minimum:
                refused |= groups
        price = viewer.device_price
        for (low, high), groups in self.price_ranges:
            if price is None or not low <= price <= high:
                refused |= groups
        for audience in self.excluded_by.keys() & audiences:
            refused |= self.excluded_by[audience]
        return refused


def _bitset(positions: list[int], size: int) -> int:
    flags = np.zeros(size, dtype=np.bool_)
    flags[positions] = True
    return bools_to_bitset(flags)


RuleMembers = tuple[
    dict[str, dict[tuple[int, ...], list[int]]],  # OS -> minimum -> positions
    dict[tuple[int, int], list[int]],  # price range -> positions
    dict[str, list[int]],  # excluded audience -> positions
]


def rule_members(groups: Iterable[tuple[int, GroupEntry]]) -> RuleMembers:
    """The positions of these (position, group) under each distinct device or audience rule."""
    min_os: dict[str, dict[tuple[int, ...], list[int]]] = {}
    prices: dict[tuple[int, int], list[int]] = {}
    excluded: dict[str, list[int]] = {}
    for position, g in groups:
        for os, minimum in g.min_os_version.items():
            if minimum:
                min_os.setdefault(os, {}).setdefault(minimum, []).append(position)
        if g.price_range is not None:
            prices.setdefault(g.price_range, []).append(position)
        for audience in g.excluded_audiences:
            excluded.setdefault(audience, []).append(position)
    return min_os, prices, excluded


def _rules(groups: tuple[GroupEntry, ...]) -> Rules:
    min_os, prices, excluded = rule_members(enumerate(groups))
    size = len(groups)
    return Rules(
        min_os={
            os: tuple((minimum, _bitset(p, size)) for minimum, p in versions.items())
            for os, versions in min_os.items()
        },
        price_ranges=tuple((price, _bitset(p, size)) for price, p in prices.items()),
        excluded_by={audience: _bitset(p, size) for audience, p in excluded.items()},
    )


@dataclass(frozen=True)
class Live:
    """What can serve at every instant of [start, end): ad groups in their schedule and daypart,
    those whose every authorization has ended, and the valid ads of each group (CSR)."""

    start: float
    end: float
    groups: int  # bitset
    no_valid_ad: int  # bitset
    in_schedule: Bools  # `groups` as one flag per position (a request gathers its candidates')
    no_valid: Bools  # `no_valid_ad` likewise
    first_valid: Ints  # per group: where its valid ads start in `valid_ads`
    valid_count: Ints
    valid_ads: Ints  # ad indices, in snapshot order

    def holds(self, now: float) -> bool:
        return self.start <= now < self.end


@dataclass(frozen=True)
class Timing:
    """The time-dependent columns: schedules, dayparts, authorization ends."""

    start: Floats
    end: Floats  # +inf: no end
    dayparted: Ints  # positions of the groups with a daypart
    daypart_zone: Ints  # their time zone (index into `zones`)
    zones: tuple[ZoneInfo, ...]
    dayparts: Bools  # (len(dayparted), 336): may run in this half hour of the week
    first_ad: Ints  # per group: its first ad in the ad columns
    auth_end: Floats  # per ad; +inf: no end; -inf: placeholder of a group without ads
    changes: Floats  # sorted instants at which a schedule or an authorization starts or ends

    def live(self, now: float, local: LocalTime) -> Live:
        in_schedule = (self.start <= now) & (now < self.end)
        start, end = self._window(now)
        if self.dayparted.size:
            slots = np.zeros(len(self.zones), dtype=np.intp)
            for zone in np.unique(self.daypart_zone).tolist():
                at = local(self.zones[zone])
                slots[zone] = at.weekday() * 48 + at.hour * 2 + at.minute // 30
                if not _steady_offset(self.zones[zone], at, start, end):
                    end = start  # an odd offset or a change inside: valid for this instant only
            allowed = self.dayparts[np.arange(self.dayparted.size), slots[self.daypart_zone]]
            in_schedule[self.dayparted] &= allowed
        valid = self.auth_end > now
        valid_count = (
            np.add.reduceat(valid, self.first_ad, dtype=np.intp)
            if valid.size
            else np.zeros(0, dtype=np.intp)
        )
        return Live(
            start=start,
            end=end,
            groups=bools_to_bitset(in_schedule),
            no_valid_ad=bools_to_bitset(valid_count == 0),
            in_schedule=in_schedule,
            no_valid=valid_count == 0,
            first_valid=np.cumsum(valid_count) - valid_count,
            valid_count=valid_count,
            valid_ads=np.flatnonzero(valid),
        )

    def _window(self, now: float) -> tuple[float, float]:
        at = int(np.searchsorted(self.changes, now, side="right"))
        start = float(self.changes[at - 1]) if at else -math.inf
        end = float(self.changes[at]) if at < self.changes.size else math.inf
        if self.dayparted.size:
            quarter = math.floor(now / QUARTER_HOUR) * QUARTER_HOUR
            start, end = max(start, quarter), min(end, quarter + QUARTER_HOUR - ROUNDING)
        return start, end


def _steady_offset(zone: ZoneInfo, at: datetime, start: float, end: float) -> bool:
    offset = at.utcoffset()
    if offset is None or offset.total_seconds() % QUARTER_HOUR:
        return False
    return all(
        datetime.fromtimestamp(t, zone).utcoffset() == offset
        for t in (start, end)
        if math.isfinite(t)
    )


Schedules = tuple[tuple[ZoneInfo, ...], Floats, Floats, Ints, Ints, Bools]


def schedules(groups: Sequence[GroupEntry], zones: tuple[ZoneInfo, ...] = ()) -> Schedules:
    """For these groups: the time zones (`zones` and any new ones), starts, ends, which of the
    groups have a daypart (indices into `groups`), their zone (index into the zones) and their
    dayparts."""
    zones = tuple(dict.fromkeys((*zones, *(g.timezone for g in groups))))
    zone_index = {z: i for i, z in enumerate(zones)}
    dayparted = [n for n, g in enumerate(groups) if g.dayparting is not None]
    dayparts = np.zeros((len(dayparted), DAYPART_SLOTS), dtype=np.bool_)
    for row, position in enumerate(dayparted):
        text = (groups[position].dayparting or "").encode()[:DAYPART_SLOTS]
        dayparts[row, : len(text)] = np.frombuffer(text, dtype=np.uint8) == ord("1")
    return (
        zones,
        np.array([g.start for g in groups], dtype=np.float64),
        np.array([math.inf if g.end is None else g.end for g in groups], dtype=np.float64),
        np.array(dayparted, dtype=np.intp),
        np.array([zone_index[groups[n].timezone] for n in dayparted], dtype=np.intp),
        dayparts,
    )


def changes(start: Floats, end: Floats, auth_end: Floats) -> Floats:
    """The sorted instants at which a schedule or an authorization starts or ends."""
    instants = np.concatenate([start, end, auth_end])
    return np.unique(instants[np.isfinite(instants)])


def _timing(groups: tuple[GroupEntry, ...], first_ad: Ints, auth_end: Floats) -> Timing:
    zones, start, end, dayparted, daypart_zone, dayparts = schedules(groups)
    return Timing(
        start=start,
        end=end,
        dayparted=dayparted,
        daypart_zone=daypart_zone,
        zones=zones,
        dayparts=dayparts,
        first_ad=first_ad,
        auth_end=auth_end,
        changes=changes(start, end, auth_end),
    )


@dataclass(frozen=True)
class AdColumns:
    ad_ids: tuple[str | None, ...]  # None: placeholder of a group without ads
    group: Ints  # position of the ad's group
    slot: Ints  # index in the group's `ads`
    auth_end: Floats
    kind: Ints  # KIND_*
    event_column: Ints  # which statistic counts the billed event (EVENT_COLUMN)
    event_prior: Floats  # prior rate of that event × PRIOR_IMPRESSIONS, as auction.p_* rounds it
    cvr_prior: Floats  # prior × PRIOR_CLICKS
    fixed: Bools  # eCPM does not depend on statistics: custom CPM or lowest cost
    fixed_ecpm: Floats  # custom CPM: bid × rate; lowest cost: NaN (it depends on the reserve)
    bid: Floats  # the group's bid, as a float (exact: bids are far below 2**53)
    eur_rate: Floats


AD_FIELDS = (
    ("ad_ids", None),
    ("slot", np.intp),
    ("auth_end", np.float64),
    ("event_prior", np.float64),
    ("cvr_prior", np.float64),
    ("group", np.intp),
    ("kind", np.intp),
    ("event_column", np.intp),
    ("fixed", np.bool_),
    ("fixed_ecpm", np.float64),
    ("bid", np.float64),
    ("eur_rate", np.float64),
)


def ad_columns(groups: tuple[GroupEntry, ...]) -> AdColumns:
    """One row per ad in `AD_FIELDS` order, then transposed into columns."""
    rows: list[tuple[Any, ...]] = []
    for position, g in enumerate(groups):
        kind, custom = billed_kind(g), g.bid_type != "BID_TYPE_NO_BID"
        fixed = not custom or kind == KIND_IMPRESSION
        fixed_ecpm = g.bid * g.eur_rate if custom else math.nan
        common = (position, kind, EVENT_COLUMN[kind], fixed, fixed_ecpm, float(g.bid), g.eur_rate)
        for slot, ad in enumerate(g.ads):
            # in KIND_* order: impression, click, view, follow, conversion (its click part)
            rate = (0.0, ad.prior_ctr, ad.prior_view, ad.prior_follow, ad.prior_ctr)[kind]
            prior = rate * PRIOR_IMPRESSIONS
            end = math.inf if ad.auth_ends_at is None else ad.auth_ends_at
            cvr = ad.prior_cvr * PRIOR_CLICKS
            rows.append((ad.ad_id, slot, end, prior, cvr, *common))
        if not g.ads:
            rows.append((None, -1, -math.inf, 0.0, 0.0, *common))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(AD_FIELDS)
    fields: dict[str, Any] = {
        name: values if dtype is None else np.array(values, dtype=dtype)
        for (name, dtype), values in zip(AD_FIELDS, columns, strict=True)
    }
    return AdColumns(**fields)


@dataclass(frozen=True)
class Origin:
    """What a delta derived these columns from: the previous snapshot's columns (weakly: they
    go with it), and where its ad groups and ad rows went (so the estimates carry over too)."""

    previous: weakref.ref[SnapshotColumns]
    groups: Shift
    ads: Shift


@dataclass(frozen=True)
class SnapshotColumns:
    adgroup_ids: tuple[str, ...]
    rules: Rules
    timing: Timing
    ads: AdColumns
    origin: Origin | None = field(default=None, repr=False, compare=False)
    _live: list[Live] = field(default_factory=list, repr=False, compare=False)
    _attached: weakref.WeakKeyDictionary[Counters, Any] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False, compare=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def size(self) -> int:
        return len(self.adgroup_ids)

    def live(self, now: float, local: LocalTime) -> Live:
        """What can serve now: the last window if it still holds, else a new one (kept)."""
        cached = self._live[-1] if self._live else None
        if cached is not None and cached.holds(now):
            return cached
        live = self.timing.live(now, local)
        if live.holds(now):
            self._live[:] = [live]
        return live

    def attached_to(self, counters: Counters) -> object | None:
        """What `attached` made for these counters, if anything (nothing is built)."""
        return self._attached.get(counters)

    def attached(self, counters: Counters, build: Callable[[Counters], T]) -> T:
        """What `build(counters)` made for this snapshot and these counters, made once."""
        found = self._attached.get(counters)
        if found is None:
            with self._lock:
                found = self._attached.get(counters)
                if found is None:
                    found = self._attached[counters] = build(counters)
        return found


def build_columns(snapshot: Snapshot) -> SnapshotColumns:
    """The snapshot's columns, from every ad group (a delta carries them over instead:
    `columns_delta.carried_columns`)."""
    groups = snapshot.groups
    ads = ad_columns(groups)
    counts = np.bincount(ads.group, minlength=len(groups))  # a placeholder row if no ads
    return SnapshotColumns(
        adgroup_ids=tuple(g.adgroup_id for g in groups),
        rules=_rules(groups),
        timing=_timing(groups, np.cumsum(counts) - counts, ads.auth_end),
        ads=ads,
    )


def columns_of(snapshot: Snapshot) -> SnapshotColumns:
    """The snapshot's columns, built on first use and kept with it (the snapshot is immutable)."""
    columns = snapshot.caches.columns
    if columns is None:
        columns = snapshot.caches.columns = build_columns(snapshot)
    return columns
