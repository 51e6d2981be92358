from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from factories.delivery import ad, group
from sparkads.delivery import auction
from sparkads.delivery.auction import Stats

RESERVE = 500_000.0
bids = st.tuples(
    st.sampled_from(["CPM", "CPC", "OCPM", "CPV"]),
    st.integers(min_value=10_000, max_value=50_000_000),
    st.sampled_from(["BID_TYPE_CUSTOM", "BID_TYPE_CUSTOM", "BID_TYPE_NO_BID"]),
)


def _bidders(specs: list[tuple[str, int, str]], seed: int) -> list[auction.Bidder]:
    rng = random.Random(seed)
    request = rng.getrandbits(64)
    goals = {"CPM": "REACH", "CPC": "CLICK", "OCPM": "CONVERT", "CPV": "VIDEO_VIEW"}
    return [
        auction.bidder(
            group(i, billing=b, goal=goals[b], bid=amount, bid_type=kind),
            ad(f"a{i}", f"i{i}"),
            Stats(),
            RESERVE,
            auction.tiebreak(request, i),
        )
        for i, (b, amount, kind) in enumerate(specs)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(bids, min_size=1, max_size=8), st.integers(1, 3), st.integers(0, 1000))
def test_price_never_above_bid_nor_own_ecpm(
    specs: list[tuple[str, int, str]], slots: int, seed: int
) -> None:
    for win in auction.run(_bidders(specs, seed), slots, RESERVE):
        b = win.bidder
        assert win.price_ecpm <= b.ecpm + 1e-6
        assert win.price_ecpm >= RESERVE - 1e-6
        if b.group.bid_type == "BID_TYPE_CUSTOM":
            assert win.event_price <= b.group.bid


@settings(max_examples=200, deadline=None)
@given(st.lists(bids, min_size=2, max_size=8), st.integers(0, 1000))
def test_winners_are_the_highest_ecpm_in_order(
    specs: list[tuple[str, int, str]], seed: int
) -> None:
    bidders = _bidders(specs, seed)
    wins = auction.run(bidders, 2, RESERVE)
    eligible = sorted((b.ecpm for b in bidders if b.ecpm >= RESERVE), reverse=True)
    assert [w.bidder.ecpm for w in wins] == eligible[:2]


@given(st.lists(bids, min_size=1, max_size=8), st.integers(0, 1000))
def test_same_seed_same_outcome(specs: list[tuple[str, int, str]], seed: int) -> None:
    first = [w.bidder.group.adgroup_id for w in auction.run(_bidders(specs, seed), 3, RESERVE)]
    again = [w.bidder.group.adgroup_id for w in auction.run(_bidders(specs, seed), 3, RESERVE)]
    assert first == again


def test_second_price_pays_the_runner_up() -> None:
    high, low = group(0, bid=8_000_000), group(1, bid=3_000_000)
    bidders = [
        auction.bidder(g, ad(f"a{i}", f"i{i}"), Stats(), RESERVE, 0.5)
        for i, g in enumerate((high, low))
    ]
    [win] = auction.run(bidders, 1, RESERVE)
    assert win.bidder.group is high
    assert win.price_ecpm == 3_000_000
    assert win.event_price == 3_000_000  # CPM: price per 1,000 impressions


def test_history_moves_the_click_estimate() -> None:
    entry = ad()
    fresh = auction.p_ctr(entry, Stats())
    clicked = auction.p_ctr(entry, Stats(impressions=5_000, clicks=500))
    ignored = auction.p_ctr(entry, Stats(impressions=5_000, clicks=0))
    assert ignored < fresh < clicked


def test_one_post_is_shown_once_per_feed_request() -> None:
    same_post = [group(i, ads=(ad(f"a{i}", "same"),)) for i in range(3)]
    bidders = [
        auction.bidder(g, g.ads[0], Stats(), RESERVE, i / 3) for i, g in enumerate(same_post)
    ]
    assert len(auction.run(bidders, 3, RESERVE)) == 1
