"""Engagement audience rules: TikTok's rule_spec turned into event queries."""

from __future__ import annotations

from typing import Any

import pytest

from sparkads.audiences.rules import EventQuery
from sparkads.audiences.rules import compile_rule as compile_rules
from sparkads.audiences.schemas import RuleCreate
from sparkads.errors import SparkadsError


def compile_rule(body: RuleCreate) -> tuple[list[EventQuery], list[EventQuery]]:
    """The rules of the body, as the open API maps it (`RuleCreate.command()`), compiled."""
    return compile_rules(body.command().rules)


def _rule(*values: str, audience_type: str = "ENGAGEMENT", **rule: Any) -> RuleCreate:
    return RuleCreate.model_validate(
        {
            "advertiser_id": "1",
            "custom_audience_name": "engaged",
            "audience_type": audience_type,
            "rule_spec": {
                "include_rule_set": {
                    "operator": "OR",
                    "rules": [
                        {
                            "retention_days": 30,
                            "filter_set": {
                                "operator": "OR",
                                "filters": [
                                    {"field": "EVENT", "operator": "EQ", "value": v} for v in values
                                ],
                            },
                            **rule,
                        }
                    ],
                }
            },
        }
    )


def test_tiktok_and_short_event_names_map_to_sparkads_events() -> None:
    [query], exclude = compile_rule(_rule("PLAY 6S", "BUSINESS_ACCOUNT_ENGAGEMENT", "FOLLOW"))
    assert query.event_types == {"view_6s", "like", "comment", "share", "follow"}
    assert query.days == 30
    assert exclude == []


def test_unknown_event_is_refused_with_the_supported_list() -> None:
    with pytest.raises(SparkadsError) as caught:
        compile_rule(_rule("ADD TO CART"))
    assert caught.value.code == "engagement_rule_invalid"
    assert "PLAY 6S" in caught.value.render()["message"]


def test_organic_video_rule_needs_post_ids() -> None:
    with pytest.raises(SparkadsError, match="post ids"):
        compile_rule(_rule("LIKE", audience_type="ENGAGEMENT_ORGANIC_VIDEO"))
    [query], _ = compile_rule(
        _rule("LIKE", audience_type="ENGAGEMENT_ORGANIC_VIDEO", event_source_ids=["7123"])
    )
    assert query.item_ids == ("7123",)


def test_official_and_bububa_rule_set_names_are_both_accepted() -> None:
    bububa = _rule("LIKE").model_dump(mode="json")
    spec = bububa["rule_spec"]
    official = {**bububa, "rule_spec": {"inclusion_rule_set": spec["inclusion_rule_set"],
                                        "exclusion_rule_set": spec["inclusion_rule_set"]}}  # fmt: skip
    include, exclude = compile_rule(RuleCreate.model_validate(official))
    assert include == exclude
    assert include[0].event_types == {"like"}
