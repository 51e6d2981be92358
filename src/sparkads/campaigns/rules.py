"""Pure campaign rules: what each objective allows (R4), minimum budgets (R13), bids (R14),
schedules. No database, no clock: callers pass what they know. Each function raises SparkadsError
with a catalogue code, or returns normally.

The objective table is written out for people in docs/ads-manager-api.md; a test checks they agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sparkads.campaigns.enums import (
    BidType,
    BillingEvent,
    BudgetMode,
    Objective,
    OptimizationGoal,
    PromotionType,
)
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText, Np_
from sparkads.money import MICROS, from_micros

G, B = OptimizationGoal, BillingEvent

# objective -> optimisation goal -> billing events allowed with it
OBJECTIVE_GOALS: dict[Objective, dict[OptimizationGoal, tuple[BillingEvent, ...]]] = {
    Objective.REACH: {G.REACH: (B.CPM,)},
    Objective.TRAFFIC: {G.CLICK: (B.CPC,), G.TRAFFIC_LANDING_PAGE_VIEW: (B.OCPM,)},
    Objective.VIDEO_VIEWS: {G.VIDEO_VIEW: (B.CPV,), G.ENGAGED_VIEW: (B.CPV,)},
    Objective.ENGAGEMENT: {G.FOLLOWERS: (B.OCPM,), G.PROFILE_VIEWS: (B.OCPM,)},
    Objective.LEAD_GENERATION: {G.LEAD_GENERATION: (B.OCPM,)},
    Objective.APP_PROMOTION: {G.INSTALL: (B.CPC, B.OCPM), G.IN_APP_EVENT: (B.OCPM,)},
    Objective.WEB_CONVERSIONS: {G.CONVERT: (B.OCPM,)},
}

# objectives whose ad groups must say where people go (promotion_type), and what they may choose
PROMOTION_TYPES: dict[Objective, tuple[PromotionType, ...]] = {
    Objective.TRAFFIC: (PromotionType.WEBSITE, PromotionType.APP_ANDROID, PromotionType.APP_IOS),
    Objective.WEB_CONVERSIONS: (PromotionType.WEBSITE,),
    Objective.APP_PROMOTION: (PromotionType.APP_ANDROID, PromotionType.APP_IOS),
    Objective.LEAD_GENERATION: (PromotionType.LEAD_GENERATION, PromotionType.WEBSITE),
}

# R13: minimum daily budgets per currency, in whole units: (campaign, ad group).
# EUR and USD follow TikTok's 50 / 20; the others are the same order of value, rounded.
MINIMUM_DAILY_BUDGET: dict[str, tuple[int, int]] = {
    "EUR": (50, 20),
    "USD": (50, 20),
    "GBP": (45, 18),
    "CHF": (50, 20),
    "CAD": (70, 28),
    "AUD": (75, 30),
    "JPY": (7_000, 2_800),
    "BRL": (250, 100),
    "MXN": (900, 360),
    "SEK": (550, 220),
    "PLN": (220, 88),
}

LEVEL_EN = {"campaign": "campaign", "adgroup": "ad group"}
LEVEL_FR = {"campaign": "de la campagne", "adgroup": "du groupe d'annonces"}
OBJECT_FR = {"campaign": "Cette campagne", "adgroup": "Ce groupe d'annonces"}
# the budget a minimum is measured against, as a refusal says it (a lifetime ad group budget's
# minimum is the daily one times its scheduled days)
BUDGET_KIND = {BudgetMode.DAY: N_("a daily budget"), BudgetMode.TOTAL: N_("a lifetime budget")}
LIFETIME_OVER_DAYS = Np_(
    "a lifetime budget over {days} scheduled day", "a lifetime budget over {days} scheduled days"
)

# Highest bid accepted per billing event, in whole units (a typo guard, not a market rule).
MAXIMUM_BID = {B.CPM: 1_000, B.CPC: 100, B.CPV: 10, B.OCPM: 10_000}


def check_goal(objective: Objective, goal: OptimizationGoal, billing: BillingEvent) -> None:
    goals = OBJECTIVE_GOALS[objective]
    if goal not in goals:
        raise SparkadsError(
            "goal_not_allowed",
            objective=objective.value,
            goal=goal.value,
            allowed=", ".join(g.value for g in goals),
        )
    if billing not in goals[goal]:
        raise SparkadsError(
            "billing_not_allowed",
            goal=goal.value,
            billing=billing.value,
            allowed=", ".join(b.value for b in goals[goal]),
        )


def check_promotion(objective: Objective, promotion: PromotionType | None) -> None:
    allowed = PROMOTION_TYPES.get(objective)
    if allowed is None:
        if promotion is not None:
            raise SparkadsError(
                "invalid_parameter",
                field="promotion_type",
                detail=LocalText(
                    N_("{objective} ad groups take no promotion_type"),
                    {"objective": objective.value},
                ),
            )
        return
    if promotion not in allowed:
        raise SparkadsError(
            "invalid_parameter",
            field="promotion_type",
            detail=LocalText(
                N_("{objective} needs one of {choices}"),
                {"objective": objective.value, "choices": ", ".join(p.value for p in allowed)},
            ),
        )


@dataclass(frozen=True)
class Bid:
    bid_type: BidType
    billing: BillingEvent
    bid_price: int | None  # micros, for CPM / CPC / CPV
    conversion_bid_price: int | None  # micros, target cost per result (OCPM, shown as CPA)


def check_bid(bid: Bid) -> None:
    """R14: custom bids carry the amount that matches the billing event; lowest cost carries none."""
    if bid.bid_type is BidType.NO_BID:
        for field, value in (
            ("bid_price", bid.bid_price),
            ("conversion_bid_price", bid.conversion_bid_price),
        ):
            if value:
                raise SparkadsError(
                    "invalid_parameter",
                    field=field,
                    detail=LocalText(N_("BID_TYPE_NO_BID (lowest cost) takes no bid amount")),
                )
        return
    needed, other = (
        ("conversion_bid_price", "bid_price")
        if bid.billing is B.OCPM
        else ("bid_price", "conversion_bid_price")
    )
    amounts = {"bid_price": bid.bid_price, "conversion_bid_price": bid.conversion_bid_price}
    if not amounts[needed] or amounts[needed] <= 0:  # type: ignore[operator]
        raise SparkadsError("bid_required", field=needed, billing=bid.billing.value)
    if amounts[other]:
        raise SparkadsError(
            "invalid_parameter",
            field=other,
            detail=LocalText(
                N_("{billing} bids use {needed} only"),
                {"billing": bid.billing.value, "needed": needed},
            ),
        )
    highest = MAXIMUM_BID[bid.billing] * MICROS
    if amounts[needed] > highest:  # type: ignore[operator]
        raise SparkadsError(
            "invalid_parameter",
            field=needed,
            detail=LocalText(
                N_("at most {most} for {billing}"),
                {"most": MAXIMUM_BID[bid.billing], "billing": bid.billing.value},
            ),
        )


def scheduled_days(start: datetime, end: datetime) -> int:
    return max(1, math.ceil((end - start).total_seconds() / 86_400))


def minimum_budget(currency: str, *, level: str, mode: BudgetMode, days: int | None) -> int:
    """The smallest budget accepted, in micros: daily minimum, or daily minimum × days (lifetime)."""
    campaign_min, adgroup_min = MINIMUM_DAILY_BUDGET.get(currency, MINIMUM_DAILY_BUDGET["USD"])
    daily = campaign_min if level == "campaign" else adgroup_min
    if mode is BudgetMode.TOTAL and level == "adgroup":
        return daily * (days or 1) * MICROS
    return daily * MICROS


def budget_kind(*, level: str, mode: BudgetMode, days: int | None) -> LocalText:
    """What a minimum budget applies to, in the reader's language: "a daily budget", "a lifetime
    budget over 3 scheduled days" (only an ad group's lifetime minimum depends on its days)."""
    if mode is BudgetMode.TOTAL and level == "adgroup":
        return LocalText.counted(LIFETIME_OVER_DAYS, days or 1, days=days or 1)
    return LocalText(BUDGET_KIND[mode])


def check_budget(
    currency: str, *, level: str, mode: BudgetMode, budget: int | None, days: int | None = None
) -> None:
    if mode is BudgetMode.INFINITE:
        if budget:
            raise SparkadsError(
                "invalid_parameter",
                field="budget",
                detail=LocalText(N_("BUDGET_MODE_INFINITE takes no budget")),
            )
        return
    if budget is None:
        raise SparkadsError(
            "invalid_parameter",
            field="budget",
            detail=LocalText(N_("required with {other}"), {"other": mode.value}),
        )
    minimum = minimum_budget(currency, level=level, mode=mode, days=days)
    if budget < minimum:
        raise SparkadsError(
            "budget_below_minimum",
            level=LEVEL_EN[level],
            level_fr=LEVEL_FR[level],
            minimum=f"{from_micros(minimum).normalize():f}",
            currency=currency,
            given=f"{from_micros(budget).normalize():f}",
            mode=budget_kind(level=level, mode=mode, days=days),
        )


def check_dayparting(dayparting: str | None) -> None:
    if dayparting is None:
        return
    if len(dayparting) != 336 or set(dayparting) - {"0", "1"}:
        raise SparkadsError(
            "invalid_parameter",
            field="dayparting",
            detail=LocalText(N_("336 characters of 0 and 1: 48 half-hours × 7 days, Monday first")),
        )
    if "1" not in dayparting:
        raise SparkadsError(
            "invalid_parameter",
            field="dayparting",
            detail=LocalText(N_("at least one half-hour must be on")),
        )


def in_daypart(dayparting: str | None, local: datetime) -> bool:
    """Whether an instant, in the advertiser's timezone, falls in an active half-hour."""
    if not dayparting:
        return True
    slot = local.weekday() * 48 + local.hour * 2 + local.minute // 30
    return dayparting[slot] == "1"


def check_budget_mode_unchanged(
    level: str, current: BudgetMode, requested: BudgetMode | None
) -> None:
    if requested is not None and requested is not current:
        raise SparkadsError(
            "budget_mode_locked",
            level=LEVEL_EN[level],
            level_fr=OBJECT_FR[level],
            current=current.value,
            requested=requested.value,
        )
