"""Creator search and ranking (pure): tiers, filters, audience match and the score.

The score is expected engaged views per euro of fee, with its terms kept so the answer can show its
reasoning:

    expected views per post × engagement rate × audience match ÷ fee (EUR)

- expected views per post: the mean views (organic + paid) of the creator's live posts;
- engagement rate: (likes + comments + shares) ÷ views over those posts, organic and paid;
- audience match: the share of the creator's audience inside the advertiser's target, the product
  of the country, age group and gender shares (independence assumed), 1 without a target;
- fee: the creator's asking fee per sponsored post.

For a budget, the expected engaged views are those of as many collaborations as the budget pays.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import floor

TIERS = (
    ("nano", 0, 10_000),
    ("micro", 10_000, 100_000),
    ("mid", 100_000, 500_000),
    ("macro", 500_000, 1_000_000),
    ("mega", 1_000_000, None),
)
TIER_NAMES = tuple(name for name, _, _ in TIERS)


def tier_of(followers: int) -> str:
    for name, _low, high in TIERS:
        if high is None or followers < high:
            return name
    return TIERS[-1][0]


@dataclass(frozen=True)
class AudienceShares:
    """Who a creator's audience is, each dimension's shares summing to 1 (interests: the share of
    viewers holding each category). `observed` viewers come from events; with few of them the
    shares lean on the population of the creator's countries (`estimated`)."""

    countries: Mapping[str, float] = field(default_factory=dict)
    age_groups: Mapping[str, float] = field(default_factory=dict)
    genders: Mapping[str, float] = field(default_factory=dict)
    interests: Mapping[str, float] = field(default_factory=dict)
    observed: int = 0
    estimated: bool = True


@dataclass(frozen=True)
class CreatorFacts:
    creator_id: str
    handle: str
    display_name: str
    sector: str
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    followers: int
    fee_eur: float
    posts: int
    views_per_post: float
    engagement_rate: float
    audience: AudienceShares

    @property
    def tier(self) -> str:
        return tier_of(self.followers)


@dataclass(frozen=True)
class Target:
    countries: frozenset[str] = frozenset()
    age_groups: frozenset[str] = frozenset()
    genders: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.countries or self.age_groups or self.genders)


@dataclass(frozen=True)
class Filters:
    sector: str | None = None
    country: str | None = None
    languages: frozenset[str] = frozenset()
    min_followers: int | None = None
    max_followers: int | None = None
    tiers: frozenset[str] = frozenset()
    min_engagement_rate: float | None = None
    max_engagement_rate: float | None = None
    max_fee: float | None = None
    min_audience_match: float | None = None
    budget: float | None = None  # creators whose fee is above it are left out


@dataclass(frozen=True)
class Score:
    expected_views: float
    engagement_rate: float
    audience_match: float
    fee_eur: float
    engaged_views_per_euro: float
    budget: float | None
    collaborations_for_budget: int | None
    engaged_views_for_budget: float | None

    def explanation(self) -> str:
        text = (
            f"{self.expected_views:,.0f} expected views × {self.engagement_rate:.1%} engagement"
            f" × {self.audience_match:.0%} audience match ÷ {self.fee_eur:,.2f} € fee"
            f" = {self.engaged_views_per_euro:,.2f} engaged views per euro"
        )
        if self.budget is not None:
            text += (
                f"; {self.budget:,.2f} € pays {self.collaborations_for_budget} collaboration(s)"
                f" for {self.engaged_views_for_budget:,.0f} engaged views"
            )
        return text


def _share_in(shares: Mapping[str, float], wanted: Iterable[str]) -> float:
    return sum(shares.get(key, 0.0) for key in wanted)


def audience_match(audience: AudienceShares, target: Target) -> float:
    match = 1.0
    for shares, wanted in (
        (audience.countries, target.countries),
        (audience.age_groups, target.age_groups),
        (audience.genders, target.genders),
    ):
        if wanted:
            match *= _share_in(shares, wanted)
    return min(1.0, match)


def score(facts: CreatorFacts, target: Target, budget: float | None = None) -> Score:
    match = audience_match(facts.audience, target)
    per_post = facts.views_per_post * facts.engagement_rate * match
    per_euro = per_post / facts.fee_eur if facts.fee_eur > 0 else 0.0
    count = floor(budget / facts.fee_eur) if budget is not None and facts.fee_eur > 0 else None
    return Score(
        expected_views=facts.views_per_post,
        engagement_rate=facts.engagement_rate,
        audience_match=match,
        fee_eur=facts.fee_eur,
        engaged_views_per_euro=per_euro,
        budget=budget,
        collaborations_for_budget=count,
        engaged_views_for_budget=None if count is None else count * per_post,
    )


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def passes(facts: CreatorFacts, filters: Filters, result: Score) -> bool:
    f = filters
    return (
        (f.sector is None or facts.sector == f.sector)
        and (f.country is None or f.country in facts.countries)
        and (not f.languages or bool(f.languages & set(facts.languages)))
        and _within(facts.followers, f.min_followers, f.max_followers)
        and (not f.tiers or facts.tier in f.tiers)
        and _within(facts.engagement_rate, f.min_engagement_rate, f.max_engagement_rate)
        and _within(facts.fee_eur, None, f.max_fee)
        and _within(facts.fee_eur, None, f.budget)
        and _within(result.audience_match, f.min_audience_match, None)
    )


def rank(
    creators: Sequence[CreatorFacts], filters: Filters, target: Target
) -> list[tuple[CreatorFacts, Score]]:
    """Creators passing the filters, best engaged views per euro first (then more followers)."""
    scored = [(c, score(c, target, filters.budget)) for c in creators]
    kept = [(c, s) for c, s in scored if passes(c, filters, s)]
    return sorted(
        kept, key=lambda cs: (-cs[1].engaged_views_per_euro, -cs[0].followers, cs[0].creator_id)
    )
