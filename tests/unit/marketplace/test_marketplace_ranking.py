"""Creator ranking: tiers, filters, audience match and engaged views per euro (pure)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sparkads.marketplace.ranking import (
    AudienceShares,
    CreatorFacts,
    Filters,
    Target,
    audience_match,
    rank,
    score,
    tier_of,
)

FRENCH_YOUNG = AudienceShares(
    countries={"FR": 0.8, "BE": 0.2},
    age_groups={"AGE_18_24": 0.5, "AGE_25_34": 0.3, "AGE_35_44": 0.2},
    genders={"GENDER_FEMALE": 0.6, "GENDER_MALE": 0.4},
    observed=5_000,
    estimated=False,
)


def _creator(creator_id: str, **fields: object) -> CreatorFacts:
    base = CreatorFacts(
        creator_id=creator_id,
        handle=creator_id,
        display_name=creator_id,
        sector="fitness",
        countries=("FR",),
        languages=("fr",),
        followers=50_000,
        fee_eur=300.0,
        posts=4,
        views_per_post=40_000.0,
        engagement_rate=0.10,
        audience=FRENCH_YOUNG,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("followers", "tier"),
    [(0, "nano"), (9_999, "nano"), (10_000, "micro"), (99_999, "micro"), (100_000, "mid"),
     (499_999, "mid"), (500_000, "macro"), (999_999, "macro"), (1_000_000, "mega")],
)  # fmt: skip
def test_tier_follows_follower_thresholds(followers: int, tier: str) -> None:
    assert tier_of(followers) == tier


def test_micro_with_high_engagement_and_low_fee_ranks_above_macro_for_the_same_budget() -> None:
    micro = _creator("micro", followers=60_000, views_per_post=45_000, engagement_rate=0.11,
                     fee_eur=250.0)  # fmt: skip
    macro = _creator("macro", followers=800_000, views_per_post=400_000, engagement_rate=0.008,
                     fee_eur=4_000.0)  # fmt: skip
    target = Target(countries=frozenset({"FR"}))
    ranked = rank([macro, micro], Filters(budget=5_000.0), target)
    assert [c.creator_id for c, _ in ranked] == ["micro", "macro"]
    micro_score, macro_score = ranked[0][1], ranked[1][1]
    assert micro_score.engaged_views_for_budget > macro_score.engaged_views_for_budget  # type: ignore[operator]
    assert micro_score.collaborations_for_budget == 20


def test_audience_match_is_the_product_of_the_target_shares() -> None:
    target = Target(
        countries=frozenset({"FR"}),
        age_groups=frozenset({"AGE_18_24", "AGE_25_34"}),
        genders=frozenset({"GENDER_FEMALE"}),
    )
    assert audience_match(FRENCH_YOUNG, target) == pytest.approx(0.8 * 0.8 * 0.6)
    assert audience_match(FRENCH_YOUNG, Target()) == 1.0


def test_filters_leave_out_creators_outside_fee_tier_sector_and_engagement() -> None:
    creators = [
        _creator("cheap"),
        _creator("dear", fee_eur=2_000.0),
        _creator("big", followers=2_000_000),
        _creator("food", sector="food"),
        _creator("flat", engagement_rate=0.01),
    ]
    filters = Filters(sector="fitness", max_fee=1_000.0, tiers=frozenset({"micro"}),
                      min_engagement_rate=0.05)  # fmt: skip
    assert [c.creator_id for c, _ in rank(creators, filters, Target())] == ["cheap"]


def test_budget_below_the_fee_leaves_the_creator_out() -> None:
    assert rank([_creator("a", fee_eur=600.0)], Filters(budget=500.0), Target()) == []


def test_score_explains_its_terms() -> None:
    result = score(_creator("a"), Target(countries=frozenset({"FR"})), budget=900.0)
    assert result.engaged_views_per_euro == pytest.approx(40_000 * 0.10 * 0.8 / 300)
    text = result.explanation()
    assert "40,000 expected views" in text
    assert "10.0% engagement" in text
    assert "80% audience match" in text
    assert "300.00 € fee" in text
    assert "3 collaboration(s)" in text
