"""How synthetic viewers react to a sponsored post: funnel order, and the effects of interest,
organic engagement, creator, length and fatigue on the rates."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from sparkads.simulation import behaviour
from sparkads.simulation import population as synthetic
from sparkads.simulation.behaviour import EVENTS, QUARTILES, PostProfile, rates, reactions
from sparkads.simulation.population import Population

FITNESS = "103"
POST = PostProfile("i1", FITNESS, 0.05, 20.0, 200_000, "DE")


@pytest.fixture(scope="module")
def people() -> Population:
    return synthetic.generate(5_000, seed=5)


def _viewers(people: Population, interested: bool, count: int = 50) -> list[int]:
    chosen = [i for i in range(people.size) if people.holds_interest_in(i, FITNESS) == interested]
    return chosen[:count]


def _share(
    people: Population, viewers: list[int], post: PostProfile, event: str, exposures: int = 0
) -> float:
    rng = random.Random(1)
    draws = [
        event in reactions(people, i, post, exposures, rng) for i in viewers for _ in range(400)
    ]
    return sum(draws) / len(draws)


def test_reactions_follow_the_funnel(people: Population) -> None:
    rng = random.Random(3)
    posts = [
        POST,
        replace(POST, duration=None),
        replace(POST, duration=7.0, organic_engagement=0.3),
    ]
    for i in range(0, people.size, 5):
        for post in posts:
            events = reactions(people, i, post, rng.randrange(3), rng)
            assert events[0] == "impression"
            assert len(events) == len(set(events))
            assert [EVENTS.index(e) for e in events] == sorted(EVENTS.index(e) for e in events)
            if len(events) > 1:
                assert events[1] == "view_2s"
            assert "view_6s" not in events or "view_2s" in events
            assert "complete_view" not in events or "view_6s" in events
            assert "complete_view" not in events or post.duration is not None
            assert "conversion" not in events or "click" in events
            _check_quartiles(events, post.duration)


def _check_quartiles(events: list[str], duration: float | None) -> None:
    """Quartiles reached follow one another and agree with the view events."""
    reached = [share for share, name in QUARTILES if name in events]
    assert reached == [share for share, _ in QUARTILES][: len(reached)]
    if duration is None or "view_2s" not in events:
        assert not reached
        return
    if "complete_view" in events:
        assert len(reached) == 3
    top = max(reached, default=0.0)
    if "view_6s" not in events:  # watched less than 6 s
        assert top * duration < 6.0
    nxt = next((share for share, _ in QUARTILES if share > top), None)
    if "view_6s" in events and nxt is not None:  # watched at least 6 s
        assert not nxt * duration <= 6.0


def test_play_quartiles_spread_over_the_video(people: Population) -> None:
    rng = random.Random(8)
    counts = {name: 0 for _, name in QUARTILES}
    for i in range(people.size):
        for name in reactions(people, i, POST, 0, rng):
            counts[name] = counts.get(name, 0) + 1
    assert counts["play_25"] > counts["play_50"] > counts["play_75"] > 0


def test_reactions_carousel_never_completes(people: Population) -> None:
    carousel = replace(POST, duration=None)
    assert _share(people, _viewers(people, True), carousel, "complete_view") == 0.0
    assert _share(people, _viewers(people, True), carousel, "view_6s") > 0.1


def test_reactions_same_seed_same_events(people: Population) -> None:
    def run(seed: int) -> list[list[str]]:
        rng = random.Random(seed)
        return [reactions(people, i, POST, 0, rng) for i in range(300)]

    assert run(9) == run(9)
    assert run(9) != run(10)


def test_interest_match_raises_click_rate(people: Population) -> None:
    interested = _share(people, _viewers(people, True), POST, "click")
    indifferent = _share(people, _viewers(people, False), POST, "click")
    assert interested > 2.5 * indifferent


def test_interest_in_a_subcategory_counts_for_its_category(people: Population) -> None:
    holder = next(
        i
        for i in range(people.size)
        if any(c.startswith("103") and len(c) == 6 for c in people.interests_of(i))
    )
    assert people.holds_interest_in(holder, FITNESS)
    assert rates(people, holder, POST)["click"] == pytest.approx(
        behaviour.BASE_RATES["click"]
        * behaviour.INTEREST_MATCH["click"]
        * 1.15 ** (people.country_of(holder) == "DE")
    )


def test_fatigue_lowers_click_rate_with_exposures(people: Population) -> None:
    viewers = _viewers(people, True)
    fresh, tired = (_share(people, viewers, POST, "click", n) for n in (0, 4))
    assert tired < 0.6 * fresh
    assert rates(people, viewers[0], POST, 4)["click"] == pytest.approx(
        rates(people, viewers[0], POST, 0)["click"] * behaviour.FATIGUE_ENGAGEMENT**4
    )


def test_higher_organic_engagement_raises_like_and_share_rates(people: Population) -> None:
    viewer = _viewers(people, True)[0]
    dull, lively = (
        rates(people, viewer, replace(POST, organic_engagement=e)) for e in (0.01, 0.15)
    )
    for event in ("like", "share", "view_2s"):
        assert lively[event] > dull[event]
    extreme = rates(people, viewer, replace(POST, organic_engagement=50.0))
    assert extreme["like"] <= behaviour.RATE_CAPS["like"]


def test_short_posts_complete_more_often_than_long_ones(people: Population) -> None:
    viewer = _viewers(people, True)[0]
    complete = {
        d: rates(people, viewer, replace(POST, duration=d))["complete_view"]
        for d in (7, 12, 25, 45, 90)
    }
    assert complete[12] > complete[7] > complete[25] > complete[45] > complete[90]


def test_nine_to_fifteen_seconds_gives_most_six_second_views(people: Population) -> None:
    viewer = _viewers(people, False)[0]
    six = {d: rates(people, viewer, replace(POST, duration=d))["view_6s"] for d in (5, 12, 25, 90)}
    assert six[12] == max(six.values())


def test_small_creators_convert_follows_better(people: Population) -> None:
    viewer = _viewers(people, True)[0]
    follow = [
        rates(people, viewer, replace(POST, creator_followers=f))["follow"]
        for f in (5_000, 50_000, 300_000, 2_000_000)
    ]
    assert follow == sorted(follow, reverse=True)
    assert follow[0] > follow[-1]
    assert behaviour.follower_tier(5_000) == "nano"
    assert behaviour.follower_tier(2_000_000) == "mega"


def test_creator_from_viewer_country_gets_a_small_boost(people: Population) -> None:
    viewer = _viewers(people, True)[0]
    home = people.country_of(viewer)
    local = rates(people, viewer, replace(POST, creator_country=home))["click"]
    foreign = rates(people, viewer, replace(POST, creator_country="JP"))["click"]
    assert foreign < local <= foreign * 1.2


def test_average_rates_land_in_public_benchmarks(people: Population) -> None:
    posts = [replace(POST, category_id=c) for c in (FITNESS, "112", "110")]
    average = {
        e: np.mean([rates(people, i, p)[e] for i in range(0, people.size, 10) for p in posts])
        for e in ("view_2s", "view_6s", "click")
    }
    assert 0.40 <= average["view_2s"] <= 0.60
    assert 0.20 <= average["view_6s"] <= 0.35
    assert 0.005 <= average["click"] <= 0.015
