"""Forecasting a draft ad group: what the native API, the campaign wizard and the CLI all run.

The draft's targeting, audiences and post become a `traffic.forecast.Draft`, which is replayed
through the engine over the traffic log (`traffic.forecast`); the answer keeps its basis (how
many logged requests over how many days) next to the ranges, money in account units.
`sparkads backtest` checks the forecasts against what the engine delivered (`traffic.backtest`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.attributes import from_attributes
from sparkads.delivery.auction import Stats
from sparkads.delivery.compile import geography
from sparkads.delivery.model import Snapshot
from sparkads.marketplace.reach import members
from sparkads.money import EUR_PER_UNIT, from_micros
from sparkads.services.units import Units
from sparkads.traffic.backtest import Comparison, backtest
from sparkads.traffic.forecast import Basis, Draft, Forecast, Plan, forecast, post_engagement
from sparkads.traffic.store import AudienceEstimate

COUNTS = ("impressions", "reach", "clicks", "conversions", "views_6s")


@dataclass(frozen=True)
class DraftGroup(Plan):
    """An ad group as planned, with the post it would sponsor and its frequency cap."""

    item_id: str | None = None
    frequency: int | None = None


@dataclass(frozen=True)
class Outlook:
    """Daily (low, high) ranges, money in account units, with what they stand on."""

    currency: str
    audience: AudienceEstimate
    basis: Basis
    daily: dict[str, tuple[float, float] | None]
    # why the forecast shows no delivery, and so what to change (empty when it delivers):
    # "targeting" (no logged viewer matches), "bid" (the draft won no auction), "budget" (it won
    # auctions but the daily budget could not pay for one)
    zero_because: str | None = None


def outlook(
    session: Session,
    advertiser: Advertiser,
    group: DraftGroup,
    *,
    snapshot: Snapshot,
    history: dict[str, Stats],
    now: datetime,
) -> Outlook:
    """Raises `forecast_no_basis` when the traffic log is too thin to replay."""
    included = list(group.targeting.get("audience_ids") or [])
    excluded = list(group.targeting.get("excluded_audience_ids") or [])
    draft = from_attributes(  # the plan as it is, and its frequency cap
        Draft,
        group,
        eur_rate=EUR_PER_UNIT.get(advertiser.currency, 1.0),
        timezone=ZoneInfo(advertiser.timezone),
        item_id=group.item_id or "",
        organic_engagement=post_engagement(session, group.item_id),
        included=tuple(members(session, included, now) or [frozenset()]) if included else (),
        excluded=tuple(members(session, excluded, now)) if excluded else (),
    )
    result = forecast(session, snapshot, draft, geography(), now=now, history=history)
    return Outlook(
        advertiser.currency, result.audience, result.basis, _daily(result), zero_because(result)
    )


def zero_because(result: Forecast) -> str | None:
    """What keeps a forecast at zero impressions every day: the targeting, the bid or the budget."""
    if any(run.impressions > 0 for run in result.runs):
        return None
    if result.basis.matching == 0:
        return "targeting"
    if not any(run.won > 0 for run in result.runs):
        return "bid"
    return "budget"


def _daily(result: Forecast) -> dict[str, tuple[float, float] | None]:
    daily: dict[str, tuple[float, float] | None] = {}
    for name in COUNTS:
        r = result.range(name)
        daily[name] = (float(round(r.low)), float(round(r.high)))
    spend = result.range("spend")
    daily["spend"] = (float(from_micros(int(spend.low))), float(from_micros(int(spend.high))))
    cpa = result.cpa()
    daily["cpa"] = (
        (float(from_micros(int(cpa.low))), float(from_micros(int(cpa.high)))) if cpa else None
    )
    return daily


def backtest_day(
    uow: Units,
    snapshot: Snapshot,
    day: date,
    *,
    history: dict[str, Stats] | None,
    days: int,
) -> list[Comparison]:
    """Day `day` of every live ad group that delivered then, forecast from the `days` of traffic
    log before it and compared with what was delivered (read only)."""
    with uow() as unit:
        return backtest(unit.session, snapshot, day, history=history, days=days)
