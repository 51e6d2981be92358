"""Pure delivery builders: ad groups and snapshots in memory, no database."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from sparkads.delivery.columns import AdColumns, SnapshotColumns
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot
from sparkads.delivery.targeting import Geography, TargetingIndex

PARIS = ZoneInfo("Europe/Paris")


def ad(ad_id: str = "a1", item_id: str = "i1", auth_ends_at: float | None = None) -> AdEntry:
    return AdEntry(ad_id, item_id, auth_ends_at, 0.02, 0.05, 0.3, 0.002, {"item_id": item_id})


def group(
    index: int,
    *,
    billing: str = "CPM",
    goal: str = "REACH",
    bid: int = 5_000_000,
    daily: int | None = 100_000_000,
    frequency: int | None = None,
    smooth: bool = False,
    ads: tuple[AdEntry, ...] | None = None,
    bid_type: str = "BID_TYPE_CUSTOM",
    **extra: Any,
) -> GroupEntry:
    fields: dict[str, Any] = {
        "index": index,
        "adgroup_id": f"g{index}",
        "campaign_id": f"c{index}",
        "advertiser_id": "adv",
        "eur_rate": 1.0,
        "goal": goal,
        "billing": billing,
        "bid_type": bid_type,
        "bid": bid,
        "daily_budget": daily,
        "lifetime_budget": None,
        "campaign_daily_budget": None,
        "start": 0.0,
        "end": None,
        "dayparting": None,
        "timezone": PARIS,
        "frequency": frequency,
        "frequency_window": 86_400.0,
        "min_os_version": {},
        "price_range": None,
        "included_audiences": frozenset(),
        "excluded_audiences": frozenset(),
        "pacing_smooth": smooth,
        "ads": ads or (ad(f"a{index}", f"i{index}"),),
    }
    fields.update(extra)
    return GroupEntry(**fields)


def snapshot(
    groups: list[GroupEntry], targetings: list[dict[str, Any]], geo: Geography
) -> Snapshot:
    return Snapshot(tuple(groups), TargetingIndex.build(targetings, geo), version=1, built_at=0.0)


def assert_same_columns(carried: SnapshotColumns, built: SnapshotColumns) -> None:
    """A delta's columns (carried over by position) as a full build lays them out: ids, ad
    columns, schedules, dayparts and rules (rule entries and time zones may come in another
    order: compared by value)."""
    assert carried.adgroup_ids == built.adgroup_ids
    for name in AdColumns.__dataclass_fields__:
        left, right = getattr(carried.ads, name), getattr(built.ads, name)
        if isinstance(left, tuple):
            assert left == right, name
        else:
            assert left.dtype == right.dtype, name
            assert np.array_equal(left, right, equal_nan=left.dtype.kind == "f"), name
    for name in ("start", "end", "dayparted", "dayparts", "first_ad", "auth_end", "changes"):
        assert np.array_equal(getattr(carried.timing, name), getattr(built.timing, name)), name
    zones = [carried.timing.zones[z] for z in carried.timing.daypart_zone.tolist()]
    assert zones == [built.timing.zones[z] for z in built.timing.daypart_zone.tolist()]
    rules, full = carried.rules, built.rules
    assert {os: dict(v) for os, v in rules.min_os.items()} == {
        os: dict(v) for os, v in full.min_os.items()
    }
    assert dict(rules.price_ranges) == dict(full.price_ranges)
    assert rules.excluded_by == full.excluded_by
