"""A delta's columns, carried over by position (`Shift`, `columns_delta`), are the columns a full
build of the new snapshot lays out: for random ad groups (schedules, dayparts in several zones,
device and audience rules, zero to three ads) and random removals and placements."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from factories.delivery import ad, assert_same_columns, group
from sparkads.delivery.columns import build_columns
from sparkads.delivery.columns_delta import carried_columns
from sparkads.delivery.model import GroupEntry, Snapshot
from sparkads.delivery.snapshot_shift import Shift
from sparkads.delivery.targeting import Geography, TargetingIndex

ZONES = tuple(ZoneInfo(z) for z in ("Europe/Paris", "Asia/Kathmandu", "America/New_York"))
BILLING = (("CPM", "REACH"), ("CPC", "CLICK"), ("OCPM", "CONVERT"), ("CPV", "VIDEO_VIEW"))


@st.composite
def entries(draw: st.DrawFn, n: int) -> GroupEntry:
    billing, goal = draw(st.sampled_from(BILLING))
    ads = draw(st.integers(0, 3))
    g = group(
        n,
        billing=billing,
        goal=goal,
        bid=draw(st.integers(1, 9_000_000)),
        bid_type=draw(st.sampled_from(("BID_TYPE_CUSTOM", "BID_TYPE_NO_BID"))),
        start=draw(st.sampled_from((0.0, 100.0, 5_000.0))),
        end=draw(st.sampled_from((None, 200.0, 9_000.0))),
        timezone=draw(st.sampled_from(ZONES)),
        dayparting=draw(st.sampled_from((None, "1" * 336, ("01" * 168)))),
        min_os_version=draw(st.sampled_from(({}, {"ANDROID": (10,)}, {"IOS": (15, 0)}))),
        price_range=draw(st.sampled_from((None, (200, 800), (100, 300)))),
        excluded_audiences=draw(st.sampled_from((frozenset(), frozenset({"fans", "x"})))),
    )
    made = tuple(
        ad(f"a{n}-{k}", f"i{n}", draw(st.sampled_from((None, 50.0, 7_000.0)))) for k in range(ads)
    )
    return replace(g, ads=made)


def _snapshot(groups: list[GroupEntry], geo: Geography) -> Snapshot:
    return Snapshot(tuple(groups), TargetingIndex(geo), version=1, built_at=0.0)


@st.composite
def deltas(draw: st.DrawFn) -> tuple[list[GroupEntry], Shift, list[GroupEntry]]:
    old = [draw(entries(n)) for n in range(draw(st.integers(0, 40)))]
    removed = sorted(draw(st.sets(st.integers(0, len(old) - 1))) if old else set())
    kept = len(old) - len(removed)
    placed = draw(st.integers(0, 6))
    size = kept + placed
    fresh = sorted(draw(st.permutations(range(size)))[:placed]) if size else []
    new_groups = [draw(entries(1_000 + k)) for k in range(placed)]
    return old, Shift(len(old), size, tuple(removed), tuple(fresh)), new_groups


@settings(max_examples=80, deadline=None)
@given(deltas())
def test_carried_columns_are_a_full_build(
    geo: Geography, delta: tuple[list[GroupEntry], Shift, list[GroupEntry]]
) -> None:
    old, shift, placed = delta
    new = shift.apply(old, placed)
    previous = build_columns(_snapshot(old, geo))
    carried = carried_columns(_snapshot(new, geo), previous, shift)
    assert_same_columns(carried, build_columns(_snapshot(new, geo)))
    assert carried.origin is not None
    assert carried.origin.previous() is previous


@settings(max_examples=40, deadline=None)
@given(deltas())
def test_a_shift_moves_lists_columns_and_bitsets_alike(
    delta: tuple[list[GroupEntry], Shift, list[GroupEntry]],
) -> None:
    old, shift, placed = delta
    new: list[Any] = shift.apply(old, placed)
    assert [new[p] for p in shift.fresh] == placed
    kept = [g for n, g in enumerate(old) if n not in shift.removed]
    assert [g for n, g in enumerate(new) if n not in shift.fresh] == kept
    index = np.arange(len(old))
    moved = shift.gather(index, np.full(len(placed), -1))
    assert moved.tolist() == shift.apply(index.tolist(), [-1] * len(placed))
    bitset = sum(1 << n for n in range(len(old)) if n % 3 == 0)
    expected = sum(1 << p for p, q in enumerate(moved.tolist()) if q >= 0 and q % 3 == 0)
    assert shift.mover()(bitset) == expected
