"""How a synthetic viewer reacts to one impression of a sponsored post (pure: the rng is passed in).

`rates()` gives, for one viewer and post, the probability of each event per impression (conversion:
per click): a base rate times multipliers for interest match, the post's organic engagement, the
creator's country and follower tier, the post's length and creative fatigue, then capped.
`reactions()` draws the events of one impression from those rates along the funnel
impression → 2 s view → (6 s view → complete view | click → conversion | like, comment, ...), so
the marginal rate of every event stays the one `rates()` gives. Defaults are approximations of
public TikTok in-feed benchmarks, documented with their sources in docs/simulation.md.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from sparkads.simulation.population import Population

EVENTS = (
    "impression", "view_2s", "view_6s", "complete_view", "click", "like", "comment", "share",
    "follow", "profile_visit", "conversion", "play_25", "play_50", "play_75",
)  # fmt: skip
# Drawn once the viewer stopped on the post (after "view_2s"), in this order.
AFTER_VIEW = ("click", "like", "comment", "share", "follow", "profile_visit")
VIEWS = ("view_2s", "view_6s", "complete_view")

# Per impression, for a viewer with a matching interest the multipliers below raise these; the
# population average (about a quarter of viewers match a given category) lands mid-benchmark.
BASE_RATES = {
    "view_2s": 0.60,  # 2 s view rate of in-feed ads: ~40-60 % of impressions
    "view_6s": 0.33,  # 6 s (focused) view rate: ~20-35 %
    "complete_view": 0.12,  # watched to the end, for a 15-30 s video: ~8-15 %
    "click": 0.009,  # CTR of in-feed ads: ~0.5-1.5 %
    "like": 0.030,  # likes are most of a post's engagement rate (a few % of views)
    "comment": 0.003,  # comments: about a tenth of likes
    "share": 0.004,  # shares: a little more than comments
    "follow": 0.003,  # follows from a sponsored post: a few per thousand
    "profile_visit": 0.010,  # profile visits: about one per hundred impressions
    "conversion": 0.04,  # per click (CVR): a few % of landing-page visits convert
}
RATE_CAPS = {
    "view_2s": 0.95, "view_6s": 0.80, "complete_view": 0.70, "click": 0.10, "like": 0.20,
    "comment": 0.05, "share": 0.05, "follow": 0.05, "profile_visit": 0.10, "conversion": 0.30,
}  # fmt: skip
# The viewer holds the post's category (or its parent, or a sub-category): multiplier per event.
INTEREST_MATCH = {
    "view_2s": 1.5, "view_6s": 1.5, "complete_view": 1.5, "click": 2.5, "like": 2.0,
    "comment": 2.0, "share": 2.0, "follow": 2.0, "profile_visit": 2.0, "conversion": 1.5,
}  # fmt: skip
NO_INTEREST = 0.6  # any event, when the viewer holds nothing in the post's category
# Organic engagement (likes + comments + shares per view): (rate / reference) ** elasticity,
# bounded; the reference is a typical TikTok post.
ENGAGEMENT_REFERENCE = 0.05
ENGAGEMENT_BOUNDS = (0.5, 2.0)
ENGAGEMENT_ELASTICITY = {
    "view_2s": 0.25, "view_6s": 0.35, "complete_view": 0.35, "click": 0.2, "like": 0.6,
    "comment": 0.5, "share": 0.6, "follow": 0.4, "profile_visit": 0.3, "conversion": 0.0,
}  # fmt: skip
SAME_COUNTRY = 1.15  # creator from the viewer's country: every event but conversion
# (followers below, tier, follow multiplier): smaller creators convert follows better.
FOLLOWER_TIERS = (
    (10_000, "nano", 1.6), (100_000, "micro", 1.3), (500_000, "mid", 1.0),
    (1_000_000, "macro", 0.8), (math.inf, "mega", 0.6),
)  # fmt: skip
# (length up to, seconds; 6 s view multiplier; complete view multiplier): 9-15 s is the sweet spot.
DURATION_EFFECTS = (
    (9.0, 0.8, 1.3), (15.0, 1.2, 1.5), (30.0, 1.0, 1.0), (60.0, 0.9, 0.6), (math.inf, 0.8, 0.3),
)  # fmt: skip
CAROUSEL_6S = 0.8  # photo carousels (no duration): dwell of 6 s is rarer, no complete view
# Creative fatigue: multiplier per earlier exposure of the same viewer to the same post.
FATIGUE_VIEWS = 0.9
FATIGUE_ENGAGEMENT = 0.8  # click, like, comment, share, follow, profile visit


@dataclass(frozen=True)
class PostProfile:
    """What the behaviour model knows of a sponsored post."""

    item_id: str
    category_id: str  # interest category, e.g. the creator's sector's top level; "" if unknown
    organic_engagement: float  # (likes + comments + shares) per view
    duration: float | None  # seconds; None for a photo carousel
    creator_followers: int
    creator_country: str  # ISO alpha-2; "" if unknown


def follower_tier(followers: int) -> str:
    return next(name for limit, name, _ in FOLLOWER_TIERS if followers < limit)


def rates(
    population: Population, viewer_index: int, post: PostProfile, exposures: int = 0
) -> dict[str, float]:
    """Probability of each event per impression (conversion: per click), `exposures` being the
    number of earlier impressions of this post to this viewer."""
    interested = bool(post.category_id) and population.holds_interest_in(
        viewer_index, post.category_id
    )
    local = bool(post.creator_country) and post.creator_country == population.country_of(
        viewer_index
    )
    engagement = max(post.organic_engagement, 1e-6) / ENGAGEMENT_REFERENCE
    result = {}
    for event, base in BASE_RATES.items():
        rate = base * (INTEREST_MATCH[event] if interested else NO_INTEREST)
        low, high = ENGAGEMENT_BOUNDS
        rate *= min(high, max(low, engagement ** ENGAGEMENT_ELASTICITY[event]))
        if local and event != "conversion":
            rate *= SAME_COUNTRY
        rate *= _length(event, post.duration) * _fatigue(event, exposures)
        if event == "follow":
            rate *= next(m for limit, _, m in FOLLOWER_TIERS if post.creator_followers < limit)
        result[event] = min(rate, RATE_CAPS[event])
    # Funnel order: nothing happens more often than the step it follows.
    result["view_6s"] = min(result["view_6s"], result["view_2s"])
    result["complete_view"] = min(result["complete_view"], result["view_6s"])
    for event in AFTER_VIEW:
        result[event] = min(result[event], result["view_2s"])
    return result


def _length(event: str, duration: float | None) -> float:
    if event not in ("view_6s", "complete_view"):
        return 1.0
    if duration is None:
        return CAROUSEL_6S if event == "view_6s" else 0.0
    six, complete = next((s, c) for limit, s, c in DURATION_EFFECTS if duration <= limit)
    return six if event == "view_6s" else complete


def _fatigue(event: str, exposures: int) -> float:
    if event == "conversion":
        return 1.0  # already lowered through the click
    factor = FATIGUE_VIEWS if event in VIEWS else FATIGUE_ENGAGEMENT
    return float(factor ** max(exposures, 0))


def reactions(
    population: Population,
    viewer_index: int,
    post: PostProfile,
    exposures: int,
    rng: random.Random,
    plays: random.Random | None = None,
) -> list[str]:
    """The events that follow one impression, "impression" first, in funnel order; then the
    quartiles the play reached, drawn from `plays` (default: `rng`)."""
    p = rates(population, viewer_index, post, exposures)
    events = ["impression"]
    if rng.random() >= p["view_2s"]:
        return events
    events.append("view_2s")
    if rng.random() < p["view_6s"] / p["view_2s"]:
        events.append("view_6s")
        if p["complete_view"] and rng.random() < p["complete_view"] / p["view_6s"]:
            events.append("complete_view")
    events.extend(event for event in AFTER_VIEW if rng.random() < p[event] / p["view_2s"])
    if "click" in events and rng.random() < p["conversion"]:
        events.append("conversion")
    return events + play_progress(events, post, plays or rng)


QUARTILES = ((0.25, "play_25"), (0.50, "play_50"), (0.75, "play_75"))


def play_progress(events: list[str], post: PostProfile, rng: random.Random) -> list[str]:
    """The quartiles of the video the play reached, as a player reports them (`play_25` …; the
    end is `complete_view`): the time watched is drawn within what the view events say (2-6 s,
    6 s to the end, the end)."""
    duration = post.duration
    if not duration or "view_2s" not in events:
        return []
    if "complete_view" in events:
        watched = duration
    else:
        low, high = (6.0, duration) if "view_6s" in events else (2.0, min(6.0, duration))
        watched = low + (max(high, low) - low) * rng.random()
    return [name for share, name in QUARTILES if watched >= share * duration]
