"""A delta's snapshot columns, carried over from the previous snapshot's (pure).

After a delta, only the ad groups it placed (`Shift.fresh`) are laid out again; for every other
ad group the per-position columns (schedules, ad rows, rule bitsets, ids) are moved from the
previous columns by slices, gathers and big-int shifts. The result equals `build_columns` of the
new snapshot (tested: `tests/integration/test_snapshot_deltas.py`), up to the order of rule
entries and of unused time zones, which no decision reads."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any, TypeVar

import numpy as np

from sparkads.delivery.columns import (
    AD_FIELDS,
    AdColumns,
    Ints,
    Origin,
    Rules,
    SnapshotColumns,
    Timing,
    ad_columns,
    changes,
    rule_members,
    schedules,
)
from sparkads.delivery.model import GroupEntry, Snapshot
from sparkads.delivery.snapshot_shift import Shift

K = TypeVar("K")


def carried_columns(snapshot: Snapshot, previous: SnapshotColumns, shift: Shift) -> SnapshotColumns:
    """`build_columns(snapshot)` for the snapshot `shift` made from the one of `previous`."""
    fresh = [snapshot.groups[p] for p in shift.fresh]
    ads, ad_shift = _carried_ads(previous.ads, shift, fresh)
    counts = np.bincount(ads.group, minlength=shift.size)
    return SnapshotColumns(
        adgroup_ids=tuple(shift.apply(previous.adgroup_ids, [g.adgroup_id for g in fresh])),
        rules=_carried_rules(previous.rules, shift, fresh),
        timing=_carried_timing(previous.timing, shift, fresh, np.cumsum(counts) - counts, ads),
        ads=ads,
        origin=Origin(weakref.ref(previous), shift, ad_shift),
    )


def _carried_ads(old: AdColumns, shift: Shift, fresh: list[GroupEntry]) -> tuple[AdColumns, Shift]:
    """The ad rows: those of the carried ad groups moved, the placed ones' laid out; and where
    the old rows went (an ad-row `Shift`)."""
    placed = ad_columns(tuple(fresh))
    old_counts = np.bincount(old.group, minlength=shift.old_size)
    old_first = np.cumsum(old_counts) - old_counts
    counts = shift.gather(old_counts, np.bincount(placed.group, minlength=len(fresh)))
    first = np.cumsum(counts) - counts
    removed = [r for p in shift.removed for r in range(old_first[p], old_first[p] + old_counts[p])]
    rows = [r for p in shift.fresh for r in range(first[p], first[p] + counts[p])]
    ad_shift = Shift(old.group.size, int(counts.sum()), tuple(removed), tuple(rows))
    fields: dict[str, Any] = {}
    for name, _ in AD_FIELDS:
        if name == "ad_ids":
            fields[name] = tuple(ad_shift.apply(old.ad_ids, placed.ad_ids))
        elif name == "group":
            fields[name] = np.repeat(np.arange(shift.size, dtype=np.intp), counts)
        else:
            fields[name] = ad_shift.gather(getattr(old, name), getattr(placed, name))
    return AdColumns(**fields), ad_shift


def _carried_timing(
    old: Timing, shift: Shift, fresh: list[GroupEntry], first_ad: Ints, ads: AdColumns
) -> Timing:
    zones, start, end, dayparted, zone, dayparts = schedules(fresh, old.zones)
    moved = shift.new_of_old()[old.dayparted]
    kept = moved >= 0
    positions = np.concatenate([moved[kept], np.array(shift.fresh, dtype=np.intp)[dayparted]])
    order = np.argsort(positions, kind="stable")
    start, end = shift.gather(old.start, start), shift.gather(old.end, end)
    return Timing(
        start=start,
        end=end,
        dayparted=positions[order],
        daypart_zone=np.concatenate([old.daypart_zone[kept], zone])[order],
        zones=zones,
        dayparts=np.concatenate([old.dayparts[kept], dayparts])[order],
        first_ad=first_ad,
        auth_end=ads.auth_end,
        changes=changes(start, end, ads.auth_end),
    )


def _carried_rules(old: Rules, shift: Shift, fresh: list[GroupEntry]) -> Rules:
    move = shift.mover()
    min_os, prices, excluded = rule_members(zip(shift.fresh, fresh, strict=True))

    def merged(kept: Iterable[tuple[K, int]], added: dict[K, list[int]]) -> dict[K, int]:
        result = {value: move(bitset) for value, bitset in kept}
        for value, positions in added.items():
            result[value] = result.get(value, 0) | sum(1 << p for p in positions)
        return {value: bitset for value, bitset in result.items() if bitset}

    by_os = {
        os: merged(old.min_os.get(os, ()), min_os.get(os, {}))
        for os in old.min_os.keys() | min_os.keys()
    }
    return Rules(
        min_os={os: tuple(versions.items()) for os, versions in by_os.items() if versions},
        price_ranges=tuple(merged(old.price_ranges, prices).items()),
        excluded_by=merged(old.excluded_by.items(), excluded),
    )
