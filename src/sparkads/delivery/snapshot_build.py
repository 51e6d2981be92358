"""Compiled parts → the snapshot, in full or as a delta (no queries of its own except audience
members, through `audiences.membership`).

A full assembly sorts every enabled ad group's part into creation order and builds the targeting
index and the columns. A delta (`assemble_delta`) removes the parts of the ad groups a change
touched and places their new parts in creation order among the others (`Shift`); everything per
position is carried over from the previous snapshot (entries, targetings, targeting keys, index
bitsets, columns, the counters' rows), so its cost follows the change, not the snapshot."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from sparkads.audiences.membership import memberships
from sparkads.delivery.columns import columns_of
from sparkads.delivery.columns_delta import carried_columns
from sparkads.delivery.model import GroupEntry, Snapshot
from sparkads.delivery.reasons import Excluded
from sparkads.delivery.snapshot_shift import MOVED_STRETCHES, Shift
from sparkads.delivery.targeting import Geography, TargetingIndex


@dataclass(frozen=True)
class Part:
    """One enabled ad group as compiled: its entry (position not yet assigned), or why it is left
    out. A snapshot is its parts in creation order; a delta replaces the parts of the ad groups a
    change touches."""

    order: tuple[datetime, str]  # (create_time, adgroup_id): the order of the snapshot
    group: GroupEntry | None
    targeting: dict[str, Any]
    reason: Excluded | None = None
    keys: dict[str, set[Any]] = field(default_factory=dict)  # targeting.group_keys, once


@dataclass
class Compiled:
    snapshot: Snapshot
    excluded: dict[str, Excluded] = field(default_factory=dict)  # adgroup_id -> reason
    parts: dict[str, Part] = field(default_factory=dict)  # enabled ad groups, for deltas
    # per position of the snapshot: each ad group's order and targeting keys (for deltas)
    orders: list[tuple[datetime, str]] = field(default_factory=list)
    keys: list[dict[str, set[Any]]] = field(default_factory=list)
    audiences: Counter[str] = field(default_factory=Counter)  # ad groups naming each audience


def _audiences(groups: Iterable[GroupEntry]) -> Counter[str]:
    return Counter(a for g in groups for a in g.included_audiences | g.excluded_audiences)


def assemble(
    session: Session, parts: dict[str, Part], now: datetime, version: int, geo: Geography
) -> Compiled:
    """The snapshot of these parts: positions in creation order, the targeting index, audience
    members (one query while no audience changed), and the columns."""
    excluded = {adgroup_id: p.reason for adgroup_id, p in parts.items() if p.reason is not None}
    placed = sorted((p for p in parts.values() if p.group is not None), key=lambda p: p.order)
    groups = [replace(p.group, index=n) for n, p in enumerate(placed) if p.group is not None]
    keys = [p.keys for p in placed]
    audiences = _audiences(groups)
    snapshot = Snapshot(
        groups=tuple(groups),
        index=TargetingIndex.from_keys(keys, geo),
        version=version,
        built_at=time.time(),
        audience_members=memberships(session, audiences, now),
        targetings=tuple(p.targeting for p in placed),
    )
    columns_of(snapshot)  # here, not in the first request that decides on it
    kept = dict(parts)
    kept.update({g.adgroup_id: replace(p, group=g) for p, g in zip(placed, groups, strict=True)})
    return Compiled(snapshot, excluded, kept, [p.order for p in placed], keys, audiences)


def assemble_delta(
    session: Session,
    compiled: Compiled,
    touched: Collection[str],
    fresh: dict[str, Part],
    now: datetime,
    version: int,
    geo: Geography,
) -> Compiled:
    """`compiled` with the parts of the `touched` ad groups replaced by `fresh` (those still
    enabled): the snapshot a full assembly of the resulting parts gives (tested)."""
    old = compiled.snapshot
    parts, excluded = dict(compiled.parts), dict(compiled.excluded)
    audiences = Counter(compiled.audiences)
    removed = []
    for adgroup_id in touched:
        part = parts.pop(adgroup_id, None)
        excluded.pop(adgroup_id, None)
        if part is not None and part.group is not None:
            removed.append(bisect_left(compiled.orders, part.order))
            audiences.subtract(part.group.included_audiences | part.group.excluded_audiences)
    removed.sort()
    kept_orders = Shift(old.size, old.size - len(removed), tuple(removed), ()).apply(
        compiled.orders, []
    )
    placing = sorted((p for p in fresh.values() if p.group is not None), key=lambda p: p.order)
    positions = [bisect_left(kept_orders, p.order) + n for n, p in enumerate(placing)]
    shift = Shift(old.size, len(kept_orders) + len(placing), tuple(removed), tuple(positions))
    placed = [
        replace(p, group=replace(p.group, index=n))
        for n, p in zip(positions, placing, strict=True)
        if p.group is not None
    ]
    parts.update(fresh)
    parts.update({p.order[1]: p for p in placed})
    excluded.update({i: p.reason for i, p in fresh.items() if p.reason is not None})
    new_groups = [p.group for p in placed if p.group is not None]
    audiences.update(_audiences(new_groups))
    keys = shift.apply(compiled.keys, [p.keys for p in placed])
    snapshot = Snapshot(
        groups=tuple(shift.apply(old.groups, new_groups)),
        index=_index(old, shift, keys, geo),
        version=version,
        built_at=time.time(),
        audience_members=memberships(session, +audiences, now),
        targetings=tuple(shift.apply(old.targetings, [p.targeting for p in placed])),
    )
    previous = old.caches.columns
    if previous is not None:  # here, not in the first request that decides on it
        snapshot.caches.columns = carried_columns(snapshot, previous, shift)
    else:
        columns_of(snapshot)
    orders = shift.apply(compiled.orders, [p.order for p in placed])
    return Compiled(snapshot, excluded, parts, orders, keys, +audiences)


def _index(
    old: Snapshot, shift: Shift, keys: list[dict[str, set[Any]]], geo: Geography
) -> TargetingIndex:
    """The previous index with the carried ad groups' bits moved and the placed ones' added
    (`TargetingIndex.carried`), as long as the carried ad groups form few stretches; else built
    from every ad group's keys."""
    if not isinstance(old.index, TargetingIndex) or len(shift.runs()) > MOVED_STRETCHES:
        return TargetingIndex.from_keys(keys, geo)
    return old.index.carried(shift.mover(), [(p, keys[p]) for p in shift.fresh])
