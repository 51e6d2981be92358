"""Forecasts: what a draft ad group's budget would buy today, before spending it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from sparkads.accounts.lookups import authorize_advertiser
from sparkads.api.context import ContextDep
from sparkads.api.native.deps import RequesterPrincipal
from sparkads.campaigns import rules
from sparkads.campaigns.enums import BidType, BillingEvent, Objective, OptimizationGoal
from sparkads.campaigns.queries import validated_targeting
from sparkads.i18n import negotiate_language
from sparkads.marketplace.reach import audience_estimate
from sparkads.money import to_micros
from sparkads.services.forecasts import DraftGroup, outlook

router = APIRouter(prefix="/api/v1", tags=["Forecasts"])


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
    targeting: Annotated[dict[str, object], Field(description="Ad group targeting fields.")]
    tiktok_item_id: str | None = None
    frequency: Annotated[int | None, Field(ge=1, le=1000)] = None
    runs: Annotated[
        int, Field(ge=1, le=5, description="Ignored: a forecast replays each logged day once.")
    ] = 3


class RangeOut(BaseModel):
    low: float
    high: float


class BasisOut(BaseModel):
    """What the forecast stands on: the traffic this server received."""

    requests: int = Field(description="Sampled feed requests in the log window.")
    represented_requests: int = Field(description="Feed requests they stand for.")
    days: int = Field(description="Days of the window with traffic (one range point each).")
    matching_requests: int = Field(description="Sampled requests the targeting accepts.")
    replayed_requests: int


class AudienceOut(BaseModel):
    size: int | None = Field(
        description="Distinct viewers seen in the window whom the targeting accepts; null when "
        "between 1 and 99 (never shown, so no count singles out a person)."
    )
    known_viewers: int
    window_days: int
    minimum: int


class ZeroReasonOut(BaseModel):
    """Why no delivery is expected, in the request's language (Accept-Language), as the campaign
    wizard says it."""

    code: str = Field(description="targeting, bid or budget (stable).")
    message: str
    solution: str
    winning_bid: float | None = Field(
        None,
        description="With code bid: the bid (account currency, in the bid's own kind) that would "
        "have won the cheapest of the matching requests the draft lost in the replay.",
    )


class ForecastOut(BaseModel):
    currency: str
    audience_size: int | None
    audience: AudienceOut
    basis: BasisOut
    daily: dict[str, RangeOut | None]
    reach_standard_error: float = Field(
        0.0,
        description="Reach is estimated from sampled feed requests (distinct viewers, each "
        "weighted by the chance that one of their requests was sampled): its standard error, "
        "on the day where it is largest. The audience is an exact count, and reach is never "
        "above it.",
    )
    zero_reason: ZeroReasonOut | None = Field(
        None, description="Why every day forecasts no impression; null when it delivers."
    )


@router.post("/forecasts")
def create_forecast(
    body: ForecastIn, who: RequesterPrincipal, context: ContextDep, request: Request
) -> ForecastOut:
    """Audience size, and daily impressions, reach, clicks, conversions, spend and CPA as ranges
    (lowest and highest day), from the feed requests of the last 7 days replayed through the
    decision engine with this draft added (nothing is saved). Reach counts distinct viewers and
    is never above the audience. A forecast of zero says why (`zero_reason`). Without enough
    traffic: 409 `forecast_no_basis`."""
    with context.traffic_uow() as uow:  # what this process has buffered counts too
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
        result = outlook(
            uow.session,
            advertiser,
            DraftGroup(
                targeting=spec,
                goal=body.optimization_goal.value,
                billing=body.billing_event.value,
                bid_type=body.bid_type.value,
                bid=(
                    bid.conversion_bid_price
                    if body.billing_event is BillingEvent.OCPM
                    else bid.bid_price
                )
                or 0,
                daily_budget=to_micros(body.budget),
                item_id=body.tiktok_item_id,
                frequency=body.frequency,
            ),
            snapshot=context.delivery.store.snapshot,
            history=context.delivery.counters.stats_snapshot(),
            now=context.clock.now(),
            sample_rate=context.traffic.settings.sample_rate,
        )
    audience, basis, zero = result.audience, result.basis, result.zero
    lang = negotiate_language(request.headers.get("accept-language"))
    return ForecastOut(
        currency=result.currency,
        audience_size=audience.size,
        audience=AudienceOut.model_validate(audience, from_attributes=True),
        basis=BasisOut(
            requests=basis.requests,
            represented_requests=round(basis.represented),
            days=basis.days,
            matching_requests=basis.matching,
            replayed_requests=basis.replayed,
        ),
        daily={
            name: RangeOut(low=r[0], high=r[1]) if r is not None else None
            for name, r in result.daily.items()
        },
        reach_standard_error=result.reach_error,
        zero_reason=ZeroReasonOut(
            **zero.render(lang),
            winning_bid=float(zero.winning_amount) if zero.winning_amount is not None else None,
        )
        if zero
        else None,
    )


class AudienceEstimateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    advertiser_id: str
    targeting: Annotated[dict[str, object], Field(description="Ad group targeting fields.")]


class AudienceEstimateOut(AudienceOut):
    has_basis: bool = Field(
        description="False when no viewer was seen in the window: the size is then unknown "
        "(null), never a guess."
    )


@router.post("/audience-estimates")
def create_audience_estimate(
    body: AudienceEstimateIn, who: RequesterPrincipal, context: ContextDep
) -> AudienceEstimateOut:
    """How many distinct viewers seen by the feed in the last 30 days this targeting accepts
    (audiences included and excluded), counted exactly over the viewer profiles. Counts from 1 to
    99 are not shown (`size` null), so no estimate singles out a person."""
    with context.traffic_uow() as uow:  # what this process has buffered counts too
        advertiser = authorize_advertiser(uow.session, who, body.advertiser_id)
        spec = validated_targeting(uow.session, advertiser, body.targeting).model_dump(mode="json")
        audience = audience_estimate(uow.session, spec, context.clock.now())
    return AudienceEstimateOut.model_validate(audience, from_attributes=True)
