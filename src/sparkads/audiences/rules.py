"""Engagement audience rules (pure): TikTok's rule_spec turned into event queries.

A rule names events (its filter_set values, TikTok's names such as "PLAY 6S" or sparkads' short
ones such as "LIKE"), a look-back (`retention_days`) and optionally event sources: ad group ids for
ENGAGEMENT audiences, post ids for ENGAGEMENT_ORGANIC_VIDEO. Include rules are OR'ed, exclude rules
are OR'ed and subtracted. Only this advertiser's events count: sparkads has no organic feed, so an
"organic video" audience is the people who engaged with that post through this advertiser's ads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sparkads.audiences.commands import EngagementRules, EventRule
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText

# Filter values → sparkads event types (events.kinds.EventType).
FILTER_EVENTS: dict[str, frozenset[str]] = {
    "IMPRESSION": frozenset({"impression"}),
    "CLICK": frozenset({"click"}),
    "PLAY 2S": frozenset({"view_2s"}),
    "PLAY 6S": frozenset({"view_6s"}),
    "PLAY OVER": frozenset({"complete_view"}),
    "BUSINESS ACCOUNT PLAY 2S": frozenset({"view_2s"}),
    "BUSINESS ACCOUNT PLAY 6S": frozenset({"view_6s"}),
    "BUSINESS ACCOUNT PLAY OVER": frozenset({"complete_view"}),
    "BUSINESS ACCOUNT ENGAGEMENT": frozenset({"like", "comment", "share"}),
    "BUSINESS ACCOUNT PROFILE FOLLOW": frozenset({"follow"}),
    "BUSINESS ACCOUNT PROFILE VISIT": frozenset({"profile_visit"}),
    # sparkads' own short names
    "WATCHED 6S": frozenset({"view_6s"}),
    "LIKE": frozenset({"like"}),
    "COMMENT": frozenset({"comment"}),
    "SHARE": frozenset({"share"}),
    "FOLLOW": frozenset({"follow"}),
    "CONVERSION": frozenset({"conversion"}),
}
SOURCE_KINDS = {"ENGAGEMENT": "adgroup", "ENGAGEMENT_ORGANIC_VIDEO": "item"}
MAX_ORGANIC_POSTS = 10


@dataclass(frozen=True)
class EventQuery:
    """Viewers with one of `event_types` in the last `days` days, on these sources (all of the
    advertiser's when empty)."""

    event_types: frozenset[str]
    days: int
    adgroup_ids: tuple[str, ...] = ()
    item_ids: tuple[str, ...] = ()


def _query(rule: EventRule, source_kind: str) -> EventQuery:
    types: set[str] = set()
    for event in rule.events:
        value = " ".join(event.upper().replace("_", " ").split())
        if value not in FILTER_EVENTS:
            raise SparkadsError(
                "engagement_rule_invalid",
                detail=LocalText(
                    N_("event {value} is not one of {choices}"),
                    {"value": repr(event), "choices": ", ".join(FILTER_EVENTS)},
                ),
            )
        types |= FILTER_EVENTS[value]
    sources = tuple(dict.fromkeys(rule.sources))
    if source_kind == "item":
        if not 1 <= len(sources) <= MAX_ORGANIC_POSTS:
            raise SparkadsError(
                "engagement_rule_invalid",
                detail=LocalText(
                    N_("ENGAGEMENT_ORGANIC_VIDEO rules name 1 to {most} post ids"),
                    {"most": MAX_ORGANIC_POSTS},
                ),
            )
        return EventQuery(frozenset(types), rule.retention_days, item_ids=sources)
    return EventQuery(frozenset(types), rule.retention_days, adgroup_ids=sources)


def compile_rule(rules: EngagementRules) -> tuple[list[EventQuery], list[EventQuery]]:
    """(include, exclude) queries of a rule audience; raises engagement_rule_invalid."""
    kind = SOURCE_KINDS.get(rules.audience_type)
    if kind is None:
        raise SparkadsError(
            "engagement_rule_invalid",
            detail=LocalText(
                N_("audience_type {value} is not one of {choices}"),
                {"value": rules.audience_type, "choices": ", ".join(SOURCE_KINDS)},
            ),
        )
    return [_query(r, kind) for r in rules.include], [_query(r, kind) for r in rules.exclude]
