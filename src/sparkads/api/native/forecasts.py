"""Forecasts: what a draft ad group's budget would buy today, before spending it."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from sparkads.accounts.service import authorize_advertiser
from sparkads.api.context import ContextDep
from sparkads.api.native.deps import RequesterPrincipal
from sparkads.campaigns import rules
from sparkads.campaigns.adgroups import validated_targeting
from sparkads.campaigns.enums import BidType, BillingEvent, Objective, OptimizationGoal
from sparkads.delivery.compile import geography
from sparkads.money import EUR_PER_UNIT, from_micros, to_micros
from sparkads.simulation import population as synthetic
from sparkads.simulation.behaviour import PostProfile
from sparkads.simulation.forecast import Draft, Range, forecast
from sparkads.simulation.simulator import post_profiles

router = APIRouter(prefix="/api/v1", tags=["Forecasts"])
POPULATION_SIZE = 100_000


@cache
def _population() -> synthetic.Population:
    return synthetic.generate(POPULATION_SIZE, 7)


class ForecastIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: str
    objective_type: Objective = Objective.TRAFFIC
    optimization_goal: OptimizationGoal = OptimizationGoal.CLICK
    billing_event: BillingEvent = BillingEvent.CPC
    bid_type: BidType = BidType.CUSTOM
    bid_price: Annotated[float | None, Field(ge=0, le=100_000)] = None
    conversion_bid_price: Annotated[float | None, Field(ge=0, le=100_000)] = None
    budget: Annotated[float, Field(gt=0, le=10**9, description="Daily budget, account currency.")]
    targeting: Annotated[dict[str, Any], Field(description="Ad group targeting fields.")]
    tiktok_item_id: str | None = None
    frequency: Annotated[int | None, Field(ge=1, le=1000)] = None
    runs: Annotated[int, Field(ge=1, le=5)] = 3


class RangeOut(BaseModel):
    low: float
    high: float


class ForecastOut(BaseModel):
    currency: str
    audience_size: int
    population_size: int
    daily: dict[str, RangeOut | None]


def _money(r: Range | None) -> RangeOut | None:
    return (
        None
        if r is None
        else RangeOut(low=float(from_micros(int(r.low))), high=float(from_micros(int(r.high))))
    )


@router.post("/forecasts")
def create_forecast(body: ForecastIn, who: RequesterPrincipal, context: ContextDep) -> ForecastOut:
    """Audience size, and daily impressions, reach, clicks, conversions, spend and CPA as ranges,
    from simulated days of today's competition with this draft added (nothing is saved)."""
    with context.uow() as uow:
        advertiser = authorize_advertiser(uow.session, who, body.advertiser_id)
        rules.check_goal(body.objective_type, body.optimization_goal, body.billing_event)
        bid = rules.Bid(
            body.bid_type,
            body.billing_event,
            to_micros(body.bid_price) if body.bid_price is not None else None,
            to_micros(body.conversion_bid_price) if body.conversion_bid_price is not None else None,
        )
        rules.check_bid(bid)
        spec = validated_targeting(uow.session, advertiser, body.targeting).model_dump(mode="json")
        profiles = post_profiles(uow.session)
        currency, zone = advertiser.currency, ZoneInfo(advertiser.timezone)
    post = profiles.get(body.tiktok_item_id or "") or PostProfile("", "", 0.06, 12.0, 50_000, "")
    draft = Draft(
        targeting=spec,
        goal=body.optimization_goal.value,
        billing=body.billing_event.value,
        bid_type=body.bid_type.value,
        bid=(bid.conversion_bid_price if body.billing_event is BillingEvent.OCPM else bid.bid_price)
        or 0,
        daily_budget=to_micros(body.budget),
        eur_rate=EUR_PER_UNIT.get(currency, 1.0),
        timezone=zone,
        post=post,
        frequency=body.frequency,
    )
    people = _population()
    result = forecast(
        context.delivery.store.snapshot,
        people,
        profiles,
        draft,
        geography(),
        start=context.clock.now(),
        requests_per_day=people.size // 5,
        runs=body.runs,
        history=context.delivery.counters.stats_snapshot(),
    )
    daily: dict[str, RangeOut | None] = {
        name: RangeOut(low=result.range(name).low, high=result.range(name).high)
        for name in ("impressions", "reach", "clicks", "conversions", "views_6s")
    }
    daily["spend"] = _money(result.range("spend"))
    daily["cpa"] = _money(result.cpa())
    return ForecastOut(
        currency=currency,
        audience_size=result.audience_size,
        population_size=result.population_size,
        daily=daily,
    )
