"""Domain commands of engagement and lookalike audiences: what `marketplace.audience_builder` is
asked to build, in domain terms (frozen dataclasses). The open API's bodies are checked by
`audiences.schemas` (TikTok's names and limits, bububa's spellings) and mapped there
(`RuleCreate.command()`, `LookalikeCreate.command()`); the demo maps them the same way. Each
audience keeps its definition so a refresh rebuilds it: a lookalike's spec as `stored()` writes
it, an engagement audience's request in TikTok's names (its rule_spec is shown back), read again
by `EngagementRules.of_stored`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class EventRule:
    """Viewers with one of these events (TikTok's filter values such as "PLAY 6S", or sparkads'
    short names such as "LIKE") in the last `retention_days`, on these event sources (ad groups,
    or posts for organic video audiences; all of the advertiser's when empty)."""

    events: tuple[str, ...]
    retention_days: int
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class EngagementRules:
    """Include rules OR'ed, exclude rules OR'ed and subtracted."""

    audience_type: str = "ENGAGEMENT"  # or ENGAGEMENT_ORGANIC_VIDEO
    include: tuple[EventRule, ...]
    exclude: tuple[EventRule, ...] = ()

    @classmethod
    def of_stored(cls, definition: Mapping[str, object]) -> EngagementRules:
        """The rules of an engagement audience's stored definition (its request, validated when
        the audience was made)."""
        spec = _mapping(definition.get("rule_spec"))
        return cls(
            audience_type=str(definition.get("audience_type", "ENGAGEMENT")),
            include=_stored_rules(spec.get("inclusion_rule_set")),
            exclude=_stored_rules(spec.get("exclusion_rule_set")),
        )


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _stored_rules(rule_set: object) -> tuple[EventRule, ...]:
    rules = []
    for rule in _listed(_mapping(rule_set).get("rules")):
        fields = _mapping(rule)
        filters = _listed(_mapping(fields.get("filter_set")).get("filters"))
        days = fields.get("retention_days")
        rules.append(
            EventRule(
                tuple(str(_mapping(f).get("value", "")) for f in filters),
                days if isinstance(days, int) else 0,
                tuple(str(s) for s in _listed(fields.get("event_source_ids"))),
            )
        )
    return tuple(rules)


@dataclass(frozen=True, kw_only=True)
class RuleAudience:
    """An engagement audience to create. `definition` is its request in TikTok's names, kept
    with the audience: refreshes read its rules again, the API shows its rule_spec back."""

    name: str
    rules: EngagementRules
    sub_type: str = "NORMAL"
    retention_in_days: int | None = None
    auto_refresh: bool = True
    definition: Mapping[str, object]


@dataclass(frozen=True, kw_only=True)
class Lookalike:
    """The viewers of these locations (and mobile OS) most like the source audience's: a size
    (NARROW 1 %, BALANCED 5 %, BROAD 10 %) or a share in % of the locations' population."""

    source_audience_id: str
    include_source: bool = False
    mobile_os: str = "ALL"
    placements: tuple[str, ...] = ("TikTok",)
    location_ids: tuple[str, ...]
    audience_size: str | None = None
    audience_share: float | None = None

    def stored(self) -> dict[str, object]:
        """As the audience keeps it (and the API shows it back as lookalike_spec)."""
        return {
            "source_audience_id": self.source_audience_id,
            "include_source": self.include_source,
            "mobile_os": self.mobile_os,
            "placements": list(self.placements),
            "location_ids": list(self.location_ids),
            "audience_size": self.audience_size,
            "audience_share": self.audience_share,
        }

    @classmethod
    def of_stored(cls, definition: Mapping[str, object]) -> Lookalike:
        size, share = definition.get("audience_size"), definition.get("audience_share")
        return cls(
            source_audience_id=str(definition["source_audience_id"]),
            include_source=definition.get("include_source") is True,
            mobile_os=str(definition.get("mobile_os", "ALL")),
            placements=tuple(str(p) for p in _listed(definition.get("placements"))),
            location_ids=tuple(str(i) for i in _listed(definition.get("location_ids"))),
            audience_size=None if size is None else str(size),
            audience_share=float(share) if isinstance(share, int | float) else None,
        )


@dataclass(frozen=True, kw_only=True)
class LookalikeAudience:
    name: str
    spec: Lookalike
    sub_type: str = "NORMAL"
