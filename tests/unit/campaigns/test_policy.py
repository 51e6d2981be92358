"""The automated policy check (pure): each rule kind, whole-word matching, and clear refusals of
rules that cannot be stored."""

from __future__ import annotations

import pytest

from sparkads.campaigns.policy import AdFacts, check, normalize, parse
from sparkads.errors import SparkadsError


def facts(**changes: object) -> AdFacts:
    base: dict[str, object] = {
        "caption": "Crêpes in 12 seconds #recipe",
        "duration": 12.0,
        "post_format": "STANDARD",
        "landing_page_url": "https://shop.brand.example/crepes",
        "age_groups": (),
    }
    return AdFacts(**(base | changes))  # type: ignore[arg-type]


def codes(rules: list[tuple[str, str]], ad: AdFacts) -> list[str]:
    return [f.code for f in check(parse(normalize(k, v) for k, v in rules), ad)]


def test_no_rule_no_finding() -> None:
    assert check(parse([]), facts()) == []


def test_prohibited_words_match_whole_words_and_hashtags_only() -> None:
    rules = [("prohibited_word", "Bet")]
    assert codes(rules, facts(caption="Place your #bet now")) == ["review_prohibited_word"]
    assert codes(rules, facts(caption="The alphabet of crêpes")) == []
    [finding] = check(parse([normalize("prohibited_word", "BET")]), facts(caption="bet!"))
    assert finding.params == {"word": "bet"}


def test_categories_name_the_word_that_matched() -> None:
    rules = [("prohibited_category", "Gambling:  casino, poker ")]
    [finding] = check(parse(normalize(k, v) for k, v in rules), facts(caption="Poker night"))
    assert (finding.code, finding.params) == (
        "review_prohibited_category",
        {"category": "Gambling", "word": "poker"},
    )


@pytest.mark.parametrize(
    ("ages", "expected"),
    [
        ((), ["review_needs_adult_targeting"]),
        (("AGE_13_17", "AGE_18_24"), ["review_needs_adult_targeting"]),
        (("AGE_18_24", "AGE_25_34"), []),
    ],
)
def test_age_restricted_categories_need_adults_only(
    ages: tuple[str, ...], expected: list[str]
) -> None:
    rules = [("age_restricted_category", "alcohol: beer, wine")]
    assert codes(rules, facts(caption="Cold beer", age_groups=ages)) == expected


def test_domains_blocked_with_their_subdomains_and_allow_lists() -> None:
    assert codes([("blocked_domain", "brand.example")], facts()) == ["review_blocked_domain"]
    assert codes([("blocked_domain", "other.example")], facts()) == []
    assert codes([("allowed_domain", "other.example")], facts()) == ["review_domain_not_allowed"]
    assert codes([("allowed_domain", "*.brand.example")], facts()) == []
    assert codes([("allowed_domain", "other.example")], facts(landing_page_url=None)) == []


def test_duration_and_format_rules() -> None:
    rules = [("min_duration", "5"), ("max_duration", "60"), ("blocked_format", "duet")]
    assert codes(rules, facts(duration=3.0)) == ["review_duration_not_allowed"]
    assert codes(rules, facts(duration=61.0)) == ["review_duration_not_allowed"]
    assert codes(rules, facts(duration=None)) == []  # a carousel has no duration
    assert codes(rules, facts(post_format="DUET")) == ["review_format_not_allowed"]


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("no_such_kind", "x"),
        ("prohibited_word", "   "),
        ("prohibited_category", "gambling"),
        ("blocked_domain", "not a domain"),
        ("min_duration", "ten"),
        ("max_duration", "-1"),
        ("blocked_format", "VERTICAL"),
    ],
)
def test_invalid_rules_are_refused_clearly(kind: str, value: str) -> None:
    with pytest.raises(SparkadsError) as raised:
        normalize(kind, value)
    assert raised.value.code == "policy_rule_invalid"
    assert raised.value.render("fr")["message"].startswith("Cette règle n'est pas valide")
