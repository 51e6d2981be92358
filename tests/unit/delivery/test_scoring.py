"""Scoring all candidates at once on NumPy columns decides exactly as scoring them one by one:
same winners, prices, decision ids and tokens, same reasons, same random generator afterwards."""

from __future__ import annotations

import gc
import random
import sys
import weakref
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories.delivery import ad, group
from sparkads.audiences.keys import install_secret, viewer_key
from sparkads.delivery import auction, scoring
from sparkads.delivery.auction import Stats
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import Eligible, EngineConfig, budget_lines, decide, prepare
from sparkads.delivery.model import AdEntry, GroupEntry, Snapshot, Viewer
from sparkads.delivery.targeting import Geography, TargetingIndex, bits

install_secret(b"unit-tests")  # audience members are viewer keys

NOON = 1_767_265_200.0  # 2026-01-01 12:00 Paris
DST = 1_774_746_000.0  # 2026-03-29 01:00 UTC: Paris moves from +1 to +2
MONROVIA_1960 = -302_443_200.0  # 12:00 UTC, 11:15:30 in Monrovia (UTC-0:44:30)
FRANCE = {"location_ids": ["3017382"]}
ZONES = tuple(
    ZoneInfo(z) for z in ("Europe/Paris", "America/New_York", "Asia/Kathmandu", "Africa/Monrovia")
)
KINDS = (
    ("CPM", "REACH"),
    ("CPC", "CLICK"),
    ("CPV", "VIDEO_VIEW"),
    ("OCPM", "CONVERT"),
    ("OCPM", "FOLLOWERS"),
)
# instants around which something changes: schedules, authorizations, half hours (in Monrovia
# 1960: 870 s after the base), a DST switch; 1,799.999_999_7 is shown as the next half hour
MOMENTS = st.sampled_from(
    (0.0, 5.0, 10.0, 30.0, 59.0, 60.0, 600.0, 860.0, 880.0, 899.0, 900.0, 1_799.999_999_7, 1_800.0)
)
NEVER = sys.maxsize  # columns_from out of reach: one by one
CONFIG_COLUMNS = EngineConfig(secret=b"s" * 32, columns_from=0)

ads = st.lists(
    st.builds(
        lambda item, ends, ctr, view: AdEntry(
            f"a{item}", f"i{item % 4}", ends, ctr, 0.05, view, 0.002, {}
        ),
        st.integers(0, 10**6),
        st.one_of(st.none(), st.sampled_from((-60.0, 30.0, 900.0, 7_200.0))),
        st.floats(0.001, 0.2),
        st.floats(0.05, 0.9),
    ),
    max_size=3,  # an ad group may have none left
    unique_by=lambda a: a.ad_id,
)


@st.composite
def groups(draw: st.DrawFn, base: float) -> dict[str, Any]:
    billing, goal = draw(st.sampled_from(KINDS))
    end = draw(st.one_of(st.none(), st.sampled_from((5.0, 600.0, 86_400.0))))
    return {
        "billing": billing,
        "goal": goal,
        "bid": draw(st.one_of(st.integers(0, 20_000_000), st.sampled_from((500_000, 2_000_000)))),
        "bid_type": draw(
            st.sampled_from(("BID_TYPE_CUSTOM", "BID_TYPE_CUSTOM", "BID_TYPE_NO_BID"))
        ),
        "eur_rate": draw(st.sampled_from((1.0, 0.92, 1.17))),
        "daily": draw(st.sampled_from((None, 2_000, 100_000_000))),
        "smooth": draw(st.booleans()),
        "frequency": draw(st.one_of(st.none(), st.integers(1, 3))),
        "start": base + draw(st.sampled_from((-86_400.0, -10.0, 0.0, 10.0, 3_600.0))),
        "end": None if end is None else base + end,
        "timezone": draw(st.sampled_from(ZONES)),
        "dayparting": draw(
            st.one_of(st.none(), st.text(alphabet="01", min_size=336, max_size=336))
        ),
        "min_os_version": draw(st.sampled_from(({}, {"ANDROID": (10,)}, {"IOS": (15, 0)}))),
        "price_range": draw(st.sampled_from((None, (200, 800)))),
        "excluded_audiences": draw(st.sampled_from((frozenset(), frozenset({"fans"})))),
        "ads": tuple(replace(a, auth_ends_at=_at(base, a.auth_ends_at)) for a in draw(ads)),
    }


def _at(base: float, offset: float | None) -> float | None:
    return None if offset is None else base + offset


viewers = st.builds(
    lambda n, os, version, price: Viewer(
        f"v{n}", "FR", os=os, os_version=version, device_price=price
    ),
    st.integers(0, 5),
    st.sampled_from(("ANDROID", "IOS", None)),
    st.sampled_from(((), (9,), (10,), (12, 1), (15,), (15, 0), (15, 0, 1), (17, 2))),
    st.sampled_from((None, 150, 500, 1_200)),
)


@st.composite
def worlds(draw: st.DrawFn) -> dict[str, Any]:
    base = draw(st.sampled_from((NOON, DST - 1_800.0, MONROVIA_1960)))
    specs = draw(st.lists(groups(base), min_size=1, max_size=60))
    entries = [_entry(n, spec) for n, spec in enumerate(specs)]
    return {
        "base": base,
        "groups": entries,
        "requests": draw(st.lists(st.tuples(viewers, MOMENTS, st.integers(1, 3)), max_size=25)),
        "stats": draw(st.dictionaries(st.sampled_from(_ad_ids(entries) or ["-"]), stats_rows)),
        "billed": draw(st.sets(st.integers(0, len(entries) - 1))),
        "seed": draw(st.integers(0, 10_000)),
        "events": draw(st.lists(st.sampled_from(("impressions", "clicks", "conversions")))),
    }


stats_rows = st.tuples(*(st.integers(0, 3_000) for _ in range(5)))


def _entry(n: int, spec: dict[str, Any]) -> GroupEntry:
    entries = spec.pop("ads")
    g = group(n, **spec)
    return replace(g, ads=tuple(replace(a, ad_id=f"{a.ad_id}-{n}") for a in entries))


def _ad_ids(entries: list[GroupEntry]) -> list[str]:
    return [a.ad_id for g in entries for a in g.ads]


def _run(world: dict[str, Any], geo: Geography, columns_from: int) -> tuple[Any, ...]:
    entries: list[GroupEntry] = world["groups"]
    snapshot = Snapshot(
        tuple(entries),
        TargetingIndex.build([FRANCE] * len(entries), geo),
        version=1,
        built_at=0.0,
        audience_members={
            viewer_key("v1"): frozenset({"fans"}),
            viewer_key("v2"): frozenset({"others"}),
        },
    )
    counters, rng = MemoryCounters(), random.Random(world["seed"])
    counters.load_stats({ad_id: Stats(*row) for ad_id, row in world["stats"].items()})
    for n in world["billed"]:  # some budgets already spent
        g = entries[n]
        day = datetime.fromtimestamp(world["base"], g.timezone).date()
        counters.try_bill(budget_lines(g, day), 50_000_000)
    config = EngineConfig(secret=b"s" * 32, columns_from=columns_from)
    decisions, handed = [], []
    for n, (viewer, moment, slots) in enumerate(world["requests"]):
        now = world["base"] + moment
        eligible: Eligible = []  # what the traffic log is handed: mask, count, positions
        chosen = decide(viewer, slots, snapshot, counters, now, rng, config, eligible=eligible)
        mask, count, positions = eligible
        assert isinstance(mask, int)
        assert count == mask.bit_count()
        # as the auction read them out (an array on columns, a list one by one): every candidate
        assert isinstance(positions, np.ndarray if columns_from == 0 else list)
        assert list(positions) == list(bits(mask))
        handed.append((mask, count))
        for d in chosen:
            decisions.append((d.decision_id, d.ad.ad_id, d.event_price, d.price_ecpm, d.token))
            for event in world["events"][n % 3 :: 3]:  # statistics move between requests
                counters.add_ad_stat(d.ad.ad_id, event)
    reasons = {g.adgroup_id: counters.reasons(g.adgroup_id) for g in entries}
    return decisions, reasons, counters.request_count(), rng.getstate(), handed


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_columns_decide_exactly_as_one_by_one(geo: Geography, world: dict[str, Any]) -> None:
    assert _run(world, geo, columns_from=0) == _run(world, geo, columns_from=NEVER)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 3), st.integers(3, 12))
def test_ties_are_broken_alike_on_both_paths_and_spread(
    geo: Geography, seed: int, slots: int, tied: int
) -> None:
    """Ad groups of equal eCPM (the same CPM bid, or lowest cost), several ads each: both paths
    rank them by the request's tie-breaks, and over requests the ties go to different groups."""
    entries = [
        group(n, bid_type="BID_TYPE_NO_BID" if n % 2 else "BID_TYPE_CUSTOM", bid=750_000)
        for n in range(tied)
    ]
    entries = [
        replace(g, ads=tuple(ad(f"a{g.index}-{k}", f"i{g.index}-{k}") for k in range(1 + n % 3)))
        for n, g in enumerate(entries)
    ]
    world = {
        "base": NOON,
        "groups": entries,
        "requests": [(Viewer(f"v{n}", "FR"), 0.0, slots) for n in range(30)],
        "stats": {},
        "billed": set(),
        "seed": seed,
        "events": [],
    }
    columns = _run(world, geo, columns_from=0)
    assert columns == _run(world, geo, columns_from=NEVER)
    winners = {ad_id for _, ad_id, *_ in columns[0]}
    assert len(winners) > slots  # not always the same ones


@pytest.mark.parametrize("columns_from", [0, NEVER])
def test_an_ad_group_whose_statistics_lift_it_above_the_reserve_bids_next_request(
    geo: Geography, columns_from: int
) -> None:
    """Each ad group's best eCPM is kept between requests: it follows statistics that change."""
    cpc = group(0, billing="CPC", goal="CLICK", bid=20_000)  # 0.02 × 20,000 × 1,000 < reserve
    snapshot = Snapshot((cpc,), TargetingIndex.build([FRANCE], geo), version=1, built_at=0.0)
    counters, rng = MemoryCounters(), random.Random(1)
    config = replace(CONFIG_COLUMNS, columns_from=columns_from)
    assert decide(Viewer("v1", "FR"), 1, snapshot, counters, NOON, rng, config) == []
    counters.add_ad_stat(cpc.ads[0].ad_id, "clicks", 1_000)
    [served] = decide(Viewer("v2", "FR"), 1, snapshot, counters, NOON + 1, rng, config)
    assert served.group is cpc
    assert counters.reasons(cpc.adgroup_id) == {"below_reserve": 1, "served": 1}


def _decide_twice(
    g: GroupEntry, geo: Geography, first: float, second: float
) -> tuple[int, int, dict[str, int]]:
    snapshot = Snapshot((g,), TargetingIndex.build([FRANCE], geo), version=1, built_at=0.0)
    counters, rng = MemoryCounters(), random.Random(1)
    config = CONFIG_COLUMNS
    served = [
        len(decide(Viewer("v", "FR"), 1, snapshot, counters, t, rng, config))
        for t in (first, second)
    ]
    return served[0], served[1], counters.reasons(g.adgroup_id)


def test_daypart_switches_at_local_half_hours_off_the_utc_quarter_hours(geo: Geography) -> None:
    monrovia = ZoneInfo("Africa/Monrovia")  # UTC-0:44:30 in 1960: half hours start at :14:30
    only = "0" * 118 + "1" + "0" * 217  # Wednesdays 11:00-11:30 only
    g = group(0, timezone=monrovia, dayparting=only, start=MONROVIA_1960 - 86_400)
    # 12:14:20 and 12:14:40 UTC are 11:29:50 and 11:30:10 in Monrovia
    assert _decide_twice(g, geo, MONROVIA_1960 + 860, MONROVIA_1960 + 880) == (
        1,
        0,
        {"served": 1, "schedule": 1},
    )


def test_daypart_switches_when_the_time_rounds_to_the_next_half_hour(geo: Geography) -> None:
    paris = ZoneInfo("Europe/Paris")
    thursday_noon = 3 * 48 + 24
    only = "0" * thursday_noon + "1" + "0" * (335 - thursday_noon)  # 12:00-12:30 only
    g = group(0, timezone=paris, dayparting=only)
    # 0.3 µs before 12:30 reads as 12:30:00.000000 (datetime rounds to the microsecond)
    assert _decide_twice(g, geo, NOON + 1_000, NOON + 1_799.999_999_7) == (
        1,
        0,
        {"served": 1, "schedule": 1},
    )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 2**64 - 1),
    st.lists(st.tuples(st.integers(0, 2**40), st.integers(0, 2**20 - 1)), max_size=50),
)
def test_tiebreaks_are_the_scalar_tiebreaks(seed: int, ads: list[tuple[int, int]]) -> None:
    groups = np.array([g for g, _ in ads], dtype=np.intp)
    slots = np.array([s for _, s in ads], dtype=np.intp)
    vectorised = scoring.tiebreaks(seed, groups, slots).tolist()
    assert vectorised == [auction.tiebreak(seed, auction.ad_key(g, s)) for g, s in ads]
    assert all(0.0 <= t < 1.0 for t in vectorised)


def test_tiebreaks_differ_by_request_and_by_ad() -> None:
    keys = [auction.ad_key(position, slot) for position in range(100) for slot in range(2)]
    first = [auction.tiebreak(1, key) for key in keys]
    again = [auction.tiebreak(2, key) for key in keys]
    assert len(set(first)) == len(keys)
    assert sum(a < b for a, b in zip(first, again, strict=True)) in range(70, 131)


@given(st.sets(st.integers(0, 2_999)))
def test_positions_read_back_a_bitset(chosen: set[int]) -> None:
    mask = sum(1 << p for p in chosen)
    assert scoring.positions(mask, 3_000).tolist() == sorted(chosen)


def test_an_old_snapshot_is_freed_without_the_cyclic_gc(geo: Geography) -> None:
    snapshot = Snapshot((group(0),), TargetingIndex.build([FRANCE], geo), 1, 0.0)
    counters = MemoryCounters()
    prepare(snapshot, counters)
    decide(Viewer("v", "FR"), 1, snapshot, counters, NOON, random.Random(1), CONFIG_COLUMNS)
    gone = weakref.ref(snapshot)
    gc.disable()
    try:
        del snapshot
        assert gone() is None  # so freezing the heap (store.py) never keeps one alive
    finally:
        gc.enable()


def test_an_empty_snapshot_serves_nothing(geo: Geography) -> None:
    snapshot = Snapshot((), TargetingIndex.build([], geo), version=1, built_at=0.0)
    counters = MemoryCounters()
    prepare(snapshot, counters)
    assert (
        decide(Viewer("v", "FR"), 1, snapshot, counters, NOON, random.Random(1), CONFIG_COLUMNS)
        == []
    )
