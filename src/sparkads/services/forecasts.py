"""Forecasting a draft ad group: what the native API, the campaign wizard and the CLI all run.

The draft's targeting, audiences and post become a `traffic.forecast.Draft`, which is replayed
through the engine over the traffic log (`traffic.forecast`); the answer keeps its basis (how
many logged requests over how many days) next to the ranges, money in account units.
`sparkads backtest` checks the forecasts against what the engine delivered (`traffic.backtest`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import format_currency
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser
from sparkads.attributes import from_attributes
from sparkads.delivery.auction import Stats
from sparkads.delivery.compile import geography
from sparkads.delivery.model import Snapshot
from sparkads.i18n import N_, LocalText, Np_, fill, translate
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
    zero: ZeroReason | None = None  # the same, with its figures and its words
    # the daily reach's standard error at most (reach is estimated from sampled requests; the
    # audience is counted exactly, and reach is never shown above it)
    reach_error: float = 0.0


@dataclass(frozen=True)
class ZeroReason:
    """Why a forecast is zero, in words the wizard, POST /api/v1/forecasts and `sparkads forecast`
    all show: one source. `code` is stable ("targeting", "bid", "budget"); `winning_bid` (micros
    of `currency`, in the draft's bid kind) is the bid that would have won the cheapest of the
    matching requests the draft lost in the replay, when the bid is why."""

    code: str
    matching: int
    currency: str
    lowest_cost: bool
    winning_bid: int | None = None

    @property
    def winning_amount(self) -> Decimal | None:
        """`winning_bid` in account units, rounded up to the cent (a bid that wins, not just under)."""
        if self.winning_bid is None:
            return None
        return from_micros(-(-self.winning_bid // 10_000) * 10_000)

    def render(self, lang: str) -> dict[str, str]:
        """Code, message and solution in `lang` (catalogue texts, numbers and an amount only)."""
        if self.code == "bid":
            message = LocalText.counted(BID_LOST, self.matching, num=self.matching).render(lang)
            solution = translate(lang, LOWEST_COST if self.lowest_cost else CUSTOM_BID)
            amount = self.winning_amount
            if amount is not None:
                bid = format_currency(amount, self.currency, locale=lang)
                solution = f"{fill(translate(lang, WINNING_BID), {'bid': bid})} {solution}"
        else:
            message, solution = (translate(lang, text) for text in ZERO_TEXTS[self.code])
        return {"code": self.code, "message": message, "solution": solution}


BID_LOST = Np_(
    "No delivery expected: the bid won none of the {num} matching feed request.",
    "No delivery expected: the bid won none of the {num} matching feed requests.",
)
WINNING_BID = N_("A bid of {bid} would have won the cheapest of them.")
LOWEST_COST = N_(
    "Lowest cost bids just above the floor price, and other ads outbid it for these viewers: set a custom bid high enough to win, or widen the targeting to meet less contested auctions."  # noqa: E501
)
CUSTOM_BID = N_(
    "Raise the bid, or choose the lowest cost bid strategy; a wider targeting also meets cheaper auctions."
)
ZERO_TEXTS = {
    "targeting": (
        N_(
            "No delivery expected: no viewer in the traffic of the last days matches this targeting."
        ),
        N_(
            "Widen the targeting: more locations, a wider age range, fewer interests or behaviours, or other audiences."
        ),
    ),
    "budget": (
        N_(
            "No delivery expected: the ad wins auctions, but the daily budget does not pay for one."
        ),
        N_("Raise the daily budget."),
    ),
}


def outlook(
    session: Session,
    advertiser: Advertiser,
    group: DraftGroup,
    *,
    snapshot: Snapshot,
    history: dict[str, Stats],
    now: datetime,
    sample_rate: float | None = None,
) -> Outlook:
    """Raises `forecast_no_basis` when the traffic log is too thin to replay (saying the server's
    `sample_rate` when the log is empty)."""
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
    result = forecast(
        session, snapshot, draft, geography(), now=now, history=history, sample_rate=sample_rate
    )
    because = zero_because(result)
    zero = None
    if because is not None:
        lowest_cost = group.bid_type == "BID_TYPE_NO_BID"
        zero = ZeroReason(because, result.basis.matching, advertiser.currency, lowest_cost,
                          result.winning_bid if because == "bid" else None)  # fmt: skip
    reach_error = float(round(result.range("reach_error").high))
    return Outlook(
        advertiser.currency, result.audience, result.basis, _daily(result), because, zero,
        reach_error,
    )  # fmt: skip


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
