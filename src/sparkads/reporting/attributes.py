"""Attribute metrics: settings shown beside the numbers (campaign_name, budget, bid...), one table
(also in docs/kpis.md, checked by tests/unit/test_kpi_doc.py).

Each attribute has a value at the levels TikTok documents for it (advertiser, campaign, ad group,
ad). Ad group settings (budget, bid, billing event...) also show on a campaign's row, as TikTok's
campaign view does, when the campaign's ad groups agree on them; a campaign's own budget is its
`campaign_budget`, and its `budget` unless it has none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.money import from_micros

LEVELS = ("advertiser", "campaign", "adgroup", "ad")
LEVEL_OF_DIMENSION = {
    "advertiser_id": "advertiser",
    "campaign_id": "campaign",
    "adgroup_id": "adgroup",
    "ad_id": "ad",
}


@dataclass
class Row:
    """What a report row is about: its level and the objects above it."""

    level: str
    advertiser: Advertiser
    campaign: Campaign | None = None
    group: AdGroup | None = None
    ad: Ad | None = None
    siblings: list[AdGroup] = field(default_factory=list)  # a campaign's live ad groups


@dataclass(frozen=True)
class Attribute:
    name: str
    levels: tuple[str, ...]  # where it has a value (elsewhere: null)
    value: str  # what it shows, as written in docs/kpis.md
    read: Callable[[Row], Any]


def amount(micros: int | None) -> str | None:
    """Money in the account currency: 2 decimals, more only when the amount has them (a bid of
    0.055 stays 0.055)."""
    if micros is None:
        return None
    value = from_micros(micros)
    cents = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return str(cents) if cents == value else str(value.normalize())


def _bid(group: AdGroup) -> str | None:
    return amount(group.bid_price or group.conversion_bid_price)


def _bid_strategy(group: AdGroup) -> str:
    if group.bid_type == "BID_TYPE_NO_BID":
        return "BID_STRATEGY_LOWEST_COST"
    return "BID_STRATEGY_COST_CAP" if group.billing_event == "OCPM" else "BID_STRATEGY_BID_CAP"


def _group_setting(setting: Callable[[AdGroup], Any]) -> Callable[[Row], Any]:
    """An ad group setting: the ad group's (ad group and ad rows), or the one value all of a
    campaign's live ad groups share (campaign rows; null when they differ)."""

    def read(row: Row) -> Any:
        if row.level == "campaign":
            values = {setting(group) for group in row.siblings}
            return values.pop() if len(values) == 1 else None
        return setting(row.group) if row.group else None

    return read


def _budget(row: Row) -> str | None:
    if row.level != "campaign":
        return amount(row.group.budget) if row.group else None
    if row.campaign and row.campaign.budget:
        return amount(row.campaign.budget)
    modes = {group.budget_mode for group in row.siblings}
    if len(modes) != 1 or any(group.budget is None for group in row.siblings):
        return None
    return amount(sum(group.budget or 0 for group in row.siblings))


def _of_ad(name: str, value: str, setting: Callable[[Ad], str | None]) -> Attribute:
    """An ad's own setting: a value on ad rows only."""
    return Attribute(name, ("ad",), value, lambda r: setting(r.ad) if r.ad else None)


_CAMPAIGN_AND_BELOW = ("campaign", "adgroup", "ad")
_SHARED = "; on a campaign's row, the value all its live ad groups share (else null)"


def _shared(name: str, value: str, setting: Callable[[AdGroup], str | None]) -> Attribute:
    """An ad group setting, shown on campaign rows too when its live ad groups share it."""
    return Attribute(name, _CAMPAIGN_AND_BELOW, value + _SHARED, _group_setting(setting))


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("advertiser_name", LEVELS, "the ad account's name", lambda r: r.advertiser.name),
    Attribute(
        "currency",
        LEVELS,
        "the ad account's currency (every money metric is in it)",
        lambda r: r.advertiser.currency,
    ),
    Attribute(
        "campaign_name",
        _CAMPAIGN_AND_BELOW,
        "the campaign's name",
        lambda r: r.campaign.campaign_name if r.campaign else None,
    ),
    Attribute(
        "objective_type",
        _CAMPAIGN_AND_BELOW,
        "the campaign's objective",
        lambda r: r.campaign.objective_type if r.campaign else None,
    ),
    Attribute(
        "campaign_budget",
        _CAMPAIGN_AND_BELOW,
        "the campaign's budget (null with BUDGET_MODE_INFINITE)",
        lambda r: amount(r.campaign.budget) if r.campaign else None,
    ),
    Attribute(
        "campaign_id",
        ("adgroup", "ad"),
        "the campaign's id (a string, as TikTok sends it)",
        lambda r: r.campaign.campaign_id if r.campaign else None,
    ),
    Attribute(
        "adgroup_name",
        ("adgroup", "ad"),
        "the ad group's name",
        lambda r: r.group.adgroup_name if r.group else None,
    ),
    Attribute(
        "budget",
        ("campaign", "adgroup", "ad"),
        "ad group and ad rows: the ad group's budget. Campaign rows: the campaign's budget; "
        "without one (BUDGET_MODE_INFINITE), the sum of its live ad groups' budgets when they "
        "all have one in the same budget mode, else null",
        _budget,
    ),
    _shared(
        "bid",
        "the ad group's bid (`bid_price`, else `conversion_bid_price`; null without a bid)",
        _bid,
    ),
    _shared(
        "bid_strategy",
        "from the ad group's bid type: BID_TYPE_NO_BID is BID_STRATEGY_LOWEST_COST; a custom "
        "bid is BID_STRATEGY_COST_CAP with OCPM, else BID_STRATEGY_BID_CAP",
        _bid_strategy,
    ),
    _shared(
        "billing_event",
        "the ad group's billing event (`CPM`, `CPC`, `CPV`, `OCPM`)",
        lambda g: g.billing_event,
    ),
    _shared("smart_target", "the ad group's optimization goal", lambda g: g.optimization_goal),
    _shared("placement_type", "the ad group's placement type", lambda g: g.placement_type),
    _shared("promotion_type", "the ad group's promotion type", lambda g: g.promotion_type),
    Attribute(
        "adgroup_id",
        ("ad",),
        "the ad group's id (a string, as TikTok sends it)",
        lambda r: r.group.adgroup_id if r.group else None,
    ),
    Attribute(
        "tt_app_id",
        _CAMPAIGN_AND_BELOW,
        "null: a Spark ad promotes a post, no app (TikTok's value for campaigns without one)",
        lambda r: None,
    ),
    Attribute("tt_app_name", _CAMPAIGN_AND_BELOW, "null: no app (see `tt_app_id`)", lambda r: None),
    Attribute(
        "mobile_app_id", _CAMPAIGN_AND_BELOW, "null: no app (see `tt_app_id`)", lambda r: None
    ),
    Attribute(
        "dpa_target_audience_type",
        _CAMPAIGN_AND_BELOW,
        "null: no product catalogue behind a Spark ad",
        lambda r: None,
    ),
    _of_ad("ad_name", "the ad's name", lambda ad: ad.ad_name),
    _of_ad(
        "ad_text", "the ad's text (the post's caption shows in the feed)", lambda ad: ad.ad_text
    ),
    _of_ad("call_to_action", "the ad's call to action", lambda ad: ad.call_to_action),
    _of_ad("ad_url", "the ad's landing page", lambda ad: ad.landing_page_url),
    _of_ad("tiktok_item_id", "the sponsored post", lambda ad: ad.tiktok_item_id),
    _of_ad("identity_id", "the identity the ad is shown under", lambda ad: ad.identity_id),
)
BY_NAME = {attribute.name: attribute for attribute in ATTRIBUTES}
LEVEL_NAMES = {
    "advertiser": "advertiser",
    "campaign": "campaign",
    "adgroup": "ad group",
    "ad": "ad",
}
WITHOUT_ID = frozenset({"advertiser_name", "currency"})  # need no id dimension


def levels_text(attribute: Attribute) -> str:
    """The levels as docs/kpis.md writes them ("all", or "campaign, ad group, ad")."""
    if attribute.levels == LEVELS:
        return "all"
    return ", ".join(LEVEL_NAMES[level] for level in attribute.levels)


class Reader:
    """Reads attributes for report rows, loading each campaign, ad group and ad once."""

    def __init__(self, session: Session, advertiser: Advertiser) -> None:
        self.session, self.advertiser = session, advertiser
        self._siblings: dict[str, list[AdGroup]] = {}

    def value(self, name: str, dims: dict[str, str]) -> Any:
        attribute = BY_NAME[name]
        row = self._row(dims)
        return attribute.read(row) if row.level in attribute.levels else None

    def _row(self, dims: dict[str, str]) -> Row:
        level = next((LEVEL_OF_DIMENSION[d] for d in dims if d in LEVEL_OF_DIMENSION), "advertiser")
        get = self.session.get
        ad = get(Ad, dims["ad_id"]) if "ad_id" in dims else None
        group = get(AdGroup, dims.get("adgroup_id") or (ad.adgroup_id if ad else ""))
        campaign = get(Campaign, dims.get("campaign_id") or (group.campaign_id if group else ""))
        row = Row(level, self.advertiser, campaign, group, ad)
        if level == "campaign" and campaign is not None:
            row.siblings = self._live_groups(campaign.campaign_id)
        return row

    def _live_groups(self, campaign_id: str) -> list[AdGroup]:
        if campaign_id not in self._siblings:
            self._siblings[campaign_id] = list(
                self.session.scalars(
                    select(AdGroup).where(
                        AdGroup.campaign_id == campaign_id, AdGroup.operation_status != "DELETE"
                    )
                )
            )
        return self._siblings[campaign_id]
