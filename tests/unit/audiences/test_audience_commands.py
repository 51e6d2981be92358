"""Engagement and lookalike audiences are built from domain commands (issue 18): the open API's
bodies map to them, and what an audience keeps is read back as the same command on refresh, in
the form the API has always stored and shown (lookalike_spec, rule_spec)."""

from __future__ import annotations

import pytest

from sparkads.audiences.commands import EngagementRules, Lookalike
from sparkads.audiences.schemas import LookalikeSpec, RuleCreate

RULE = {"retention_days": 30, "event_source_ids": ["7001", "7002"], "filter_set": {
    "operator": "OR", "filters": [{"field": "EVENT", "operator": "EQUAL", "value": "PLAY 6S"},
                                  {"field": "EVENT", "operator": "EQ", "value": "LIKE"}]}}  # fmt: skip


@pytest.mark.parametrize(
    "spec",
    [
        {"source_audience_id": "1", "location_ids": ["3017382"], "audience_size": "BROAD"},
        {"source_audience_id": 2, "include_source": True, "mobile_os": "IOS",
         "placements": "Pangle", "location_ids": [3017382, "2921044"], "audience_share": 10},
    ],
)  # fmt: skip
def test_a_lookalike_is_kept_as_the_api_always_stored_it_and_read_back_the_same(
    spec: dict[str, object],
) -> None:
    body = LookalikeSpec.model_validate(spec)
    command = body.command()
    stored = command.stored()
    assert list(stored.items()) == list(body.model_dump(mode="json").items())
    assert Lookalike.of_stored(stored) == command


@pytest.mark.parametrize(
    "rule_spec",
    [
        {"include_rule_set": {"operator": "OR", "rules": [RULE]}},
        {"inclusion_rule_set": {"operator": "OR", "rules": [RULE, {**RULE, "retention_days": 7}]},
         "exclusion_rule_set": {"operator": "OR", "rules": [{**RULE, "event_source_ids": []}]}},
    ],
)  # fmt: skip
def test_an_engagement_audience_keeps_its_request_and_refreshes_with_the_same_rules(
    rule_spec: dict[str, object],
) -> None:
    body = RuleCreate.model_validate(
        {"advertiser_id": "9", "custom_audience_name": "engaged", "rule_spec": rule_spec,
         "audience_type": "ENGAGEMENT_ORGANIC_VIDEO", "retention_in_days": 90}
    )  # fmt: skip
    command = body.command()
    assert command.definition == body.model_dump(mode="json")
    assert EngagementRules.of_stored(command.definition) == command.rules
    assert command.rules.include[0].events == ("PLAY 6S", "LIKE")
    assert command.rules.include[0].sources == ("7001", "7002")
    assert (command.name, command.retention_in_days, command.auto_refresh) == ("engaged", 90, True)
