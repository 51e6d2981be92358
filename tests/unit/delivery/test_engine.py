from __future__ import annotations

import random
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from factories.delivery import ad, group, snapshot
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, budget_lines, decide
from sparkads.delivery.model import Viewer
from sparkads.delivery.targeting import Geography

FRANCE = {"location_ids": ["3017382"]}
CONFIG = EngineConfig(secret=b"s" * 32)
NOON = 1_767_265_200.0  # 2026-01-01 12:00 Paris


def test_matching_viewer_gets_the_ad_and_others_never(geo: Geography) -> None:
    snap = snapshot([group(0)], [FRANCE], geo)
    counters, rng = MemoryCounters(), random.Random(1)
    [won] = decide(Viewer("fr", "FR"), 1, snap, counters, NOON, rng, CONFIG)
    assert won.ad.ad_id == "a0"
    assert decide(Viewer("de", "DE"), 1, snap, counters, NOON, rng, CONFIG) == []


def test_expired_authorization_stops_delivery_at_once(geo: Geography) -> None:
    snap = snapshot([group(0, ads=(ad("a0", "i0", auth_ends_at=NOON + 60),))], [FRANCE], geo)
    counters, rng = MemoryCounters(), random.Random(1)
    assert decide(Viewer("v", "FR"), 1, snap, counters, NOON + 59, rng, CONFIG)
    assert decide(Viewer("v", "FR"), 1, snap, counters, NOON + 60, rng, CONFIG) == []
    assert counters.reasons("g0")["authorization_expired"] == 1


def test_schedule_and_daypart_are_respected(geo: Geography) -> None:
    mornings = ("1" * 24 + "0" * 24) * 7  # 00:00–12:00 every day
    snap = snapshot(
        [group(0, start=NOON + 10), group(1, dayparting=mornings)], [FRANCE, FRANCE], geo
    )
    counters, rng = MemoryCounters(), random.Random(1)
    assert decide(Viewer("v", "FR"), 2, snap, counters, NOON, rng, CONFIG) == []
    assert counters.reasons("g0") == {"schedule": 1}
    assert counters.reasons("g1") == {"schedule": 1}
    assert len(decide(Viewer("v", "FR"), 2, snap, counters, NOON - 3_600, rng, CONFIG)) == 1


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 30))
def test_frequency_cap_is_never_exceeded(geo: Geography, cap: int, requests: int) -> None:
    snap = snapshot([group(0, frequency=cap)], [FRANCE], geo)
    counters, rng = MemoryCounters(), random.Random(2)
    served = sum(
        len(decide(Viewer("v", "FR"), 1, snap, counters, NOON + i, rng, CONFIG))
        for i in range(requests)
    )
    assert served == min(cap, requests)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_same_seed_same_decisions(geo: Geography, seed: int) -> None:
    groups = [group(i, bid=1_000_000 + 1_000 * (i % 3)) for i in range(6)]
    snap = snapshot(groups, [FRANCE] * 6, geo)

    def run() -> list[str]:
        counters, rng = MemoryCounters(), random.Random(seed)
        return [
            d.ad.ad_id
            for i in range(20)
            for d in decide(Viewer(f"v{i}", "FR"), 2, snap, counters, NOON + i, rng, CONFIG)
        ]

    assert run() == run()


def test_exhausted_budget_stops_bidding(geo: Geography) -> None:
    g = group(0, daily=10_000)
    snap = snapshot([g], [FRANCE], geo)
    counters, rng = MemoryCounters(), random.Random(1)
    day = datetime.fromtimestamp(NOON, g.timezone).date()
    assert counters.try_bill(budget_lines(g, day), 10_000)
    assert decide(Viewer("v", "FR"), 1, snap, counters, NOON, rng, CONFIG) == []
    assert counters.reasons("g0") == {"budget": 1}


def test_smooth_pacing_holds_back_early_in_the_day(geo: Geography) -> None:
    g = group(0, daily=100_000_000, smooth=True)
    snap = snapshot([g], [FRANCE], geo)
    counters, rng = MemoryCounters(), random.Random(1)
    early = NOON - 11 * 3_600  # 01:00 in Paris: ~2 % of the day's traffic seen
    day = datetime.fromtimestamp(early, g.timezone).date()
    counters.try_bill(budget_lines(g, day), 30_000_000)
    assert decide(Viewer("v", "FR"), 1, snap, counters, early, rng, CONFIG) == []
    assert counters.reasons("g0") == {"pacing": 1}


def test_outbid_groups_are_counted(geo: Geography) -> None:
    snap = snapshot([group(0, bid=9_000_000), group(1, bid=1_000_000)], [FRANCE, FRANCE], geo)
    counters = MemoryCounters()
    decide(Viewer("v", "FR"), 1, snap, counters, NOON, random.Random(1), CONFIG)
    assert counters.reasons("g0") == {"served": 1}
    assert counters.reasons("g1") == {"outbid": 1}


def test_pacing_is_sized_in_the_price_paid_per_click_not_the_bid(geo: Geography) -> None:
    """A CPC group ahead of its curve (891,862 micros at 01:00) by 108,138: measured at 25,000
    micros a click (40 clicks billed) that is four clicks, over its narrow gate, and it is held
    back; the same spend in two clicks of 500,000 is within one click of the curve, and it is
    served (sized in its bid of 600,000, both would be served)."""
    g = group(0, billing="CPC", goal="CLICK", bid=600_000, daily=50_000_000, smooth=True)
    snap = snapshot([g], [FRANCE], geo)
    early = NOON - 11 * 3_600
    day = datetime.fromtimestamp(early, g.timezone).date()
    cheap, dear = MemoryCounters(), MemoryCounters()
    for _ in range(40):
        assert cheap.try_bill(budget_lines(g, day), 25_000)
    for _ in range(2):
        assert dear.try_bill(budget_lines(g, day), 500_000)
    assert cheap.spent(f"ag:g0:{day}") == dear.spent(f"ag:g0:{day}") == 1_000_000
    assert decide(Viewer("v", "FR"), 1, snap, cheap, early, random.Random(1), CONFIG) == []
    assert cheap.reasons("g0") == {"pacing": 1}
    assert len(decide(Viewer("v", "FR"), 1, snap, dear, early, random.Random(1), CONFIG)) == 1
